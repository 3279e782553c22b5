"""Datasets, resources, organisations and groups as CKAN's Action API shows them.

Plain functions from our models to CKAN's dictionaries, so the API views and the DCAT
output read the same facts. `base` is the site's absolute URL (no trailing slash).
"""

from typing import Any

from django.urls import reverse

from agora.content.models import Document
from agora.opendata.models import DatasetMeta, DatastoreTable, Frequency, Resource
from agora.organizations.models import Organization
from agora.topics.models import Topic

LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database Licence 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "OGL-UK-3.0": ("Open Government Licence 3.0", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
}


def _iso(value) -> str | None:
    return value.replace(tzinfo=None).isoformat() if value else None


def meta_of(document: Document) -> DatasetMeta | None:
    try:
        return document.dataset_meta
    except DatasetMeta.DoesNotExist:
        return None


def dataset_name(document: Document) -> str:
    meta = meta_of(document)
    return meta.name if meta else str(document.public_id)


def license_id_of(document: Document) -> str:
    meta = meta_of(document)
    return (meta.license_id if meta and meta.license_id else document.licence) or "notspecified"


def organization_dict(organization: Organization, *, count: int | None = None) -> dict[str, Any]:
    result = {
        "id": str(organization.public_id), "name": organization.slug,
        "title": organization.name, "display_name": organization.name,
        "description": "", "type": "organization", "is_organization": True,
        "state": "active" if organization.is_active else "deleted",
        "approval_status": "approved", "image_url": "",
        "created": _iso(getattr(organization, "created_at", None)),
    }
    if count is not None:
        result["package_count"] = count
    return result


def group_dict(topic: Topic, *, count: int | None = None) -> dict[str, Any]:
    result = {
        "id": topic.slug, "name": topic.slug, "title": topic.name,
        "display_name": topic.name, "description": topic.summary,
        "type": "group", "is_organization": False, "state": "active",
        "approval_status": "approved", "image_url": "",
    }
    if count is not None:
        result["package_count"] = count
    return result


def resource_url(resource: Resource, base: str) -> str:
    if resource.url:
        return resource.url
    return base + reverse("opendata:resource_download", kwargs={
        "name": dataset_name(resource.dataset), "resource_id": resource.public_id})


def datastore_of(resource: Resource) -> DatastoreTable | None:
    try:
        return resource.datastore
    except DatastoreTable.DoesNotExist:
        return None


def resource_dict(resource: Resource, base: str) -> dict[str, Any]:
    return {
        "id": str(resource.public_id), "package_id": str(resource.dataset.public_id),
        "name": resource.name, "description": resource.description,
        "format": resource.format, "mimetype": resource.media_type or None,
        "url": resource_url(resource, base), "url_type": "" if resource.url else "upload",
        "size": resource.size, "hash": resource.content_hash and f"sha256:{resource.content_hash}",
        "position": resource.position, "state": "active",
        "created": _iso(resource.created_at), "last_modified": _iso(resource.modified_at),
        "datastore_active": datastore_of(resource) is not None,
    }


def package_dict(document: Document, base: str) -> dict[str, Any]:
    """Return a dataset as CKAN's package_show shows it, with Agora's extra fields."""
    meta = meta_of(document)
    license_id = license_id_of(document)
    title, url = LICENCES.get(license_id, (license_id, ""))
    tags = [tag.name for tag in meta.tags.all()] if meta else []
    resources = [resource_dict(resource, base) for resource in document.resources.all()]
    frequency = meta.frequency if meta else Frequency.UNKNOWN.value
    extras = {
        "frequency": frequency,
        "spatial_text": meta.spatial if meta else "",
        "temporal_start": meta.temporal_start.isoformat() if meta and meta.temporal_start else "",
        "temporal_end": meta.temporal_end.isoformat() if meta and meta.temporal_end else "",
    }
    version = document.current_version
    return {
        "id": str(document.public_id), "name": dataset_name(document), "title": document.title,
        "notes": document.summary, "type": "dataset",
        "state": meta.state if meta else "active",
        "private": document.classification != "open",
        "license_id": license_id, "license_title": title, "license_url": url,
        "isopen": license_id in LICENCES,
        "author": document.publisher or document.owner.name, "author_email": None,
        "maintainer": document.owner.name,
        "maintainer_email": (meta.maintainer_email or None) if meta else None,
        "url": base + reverse("opendata:dataset", kwargs={"name": dataset_name(document)}),
        "version": str(version.number) if version else None,
        "owner_org": str(document.owner.public_id),
        "organization": organization_dict(document.owner),
        "groups": [group_dict(topic) for topic in document.topics.all()],
        "tags": [{"id": name, "name": name, "display_name": name, "state": "active",
                  "vocabulary_id": None} for name in tags],
        "num_tags": len(tags), "resources": resources, "num_resources": len(resources),
        "metadata_created": _iso(document.created_at),
        "metadata_modified": _iso(max(document.updated_at, meta.modified_at) if meta
                                  else document.updated_at),
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
        **extras,
        "agora_versions_url": base + reverse("portal:document",
                                             kwargs={"public_id": document.public_id}),
    }
