"""Writes of open datasets: create, patch, add a resource; each one transaction.

A dataset is a hub document (kind dataset, classification open): creating or changing
one publishes its description through `content.services.document_publish`, so the hub's
search, versions and log see it like any document, and a change of title or notes is a
new version (CKAN users ask for history). What the hub does not hold is written to
`DatasetMeta` in the same transaction. A resource's file is parsed and checked before
the transaction; its DataStore table is created and filled inside it.
"""

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import PurePosixPath

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from agora.access.models import Classification
from agora.audit.models import LogEntry
from agora.audit.services import log_append
from agora.content.models import Document
from agora.content.permissions import publisher_check
from agora.content.services import Details, Upload, audit_actor, document_publish
from agora.content.storage import source_save
from agora.core.exceptions import Conflict, InvalidInput, NotFound
from agora.opendata import datastore, datastore_writes
from agora.opendata.models import DatasetMeta, DatastoreTable, Frequency, Resource, Tag
from agora.organizations.models import Organization

MAX_RESOURCE_BYTES = 200 * 1024 * 1024
LOADABLE = {"CSV": "text/csv", "JSON": "application/json"}


@dataclass(frozen=True)
class DatasetInput:
    """What a publisher says about a dataset (CKAN's package fields)."""

    name: str
    title: str
    notes: str = ""
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # topic slugs
    license_id: str = ""
    temporal_start: date | None = None
    temporal_end: date | None = None
    spatial: str = ""
    frequency: str = Frequency.UNKNOWN.value
    maintainer_email: str = ""
    extra: dict = field(default_factory=dict)


def _check(data: DatasetInput) -> None:
    errors = []
    if not data.name or slugify(data.name) != data.name or len(data.name) > 100:
        errors.append(("name", "Must be lower-case letters, digits and hyphens, "
                               "at most 100 characters."))
    if not data.title.strip():
        errors.append(("title", "Missing value"))
    if len(data.title) > 300:
        errors.append(("title", "Must be at most 300 characters."))
    if data.frequency not in Frequency.values:
        errors.append(("frequency", f"Must be one of {', '.join(Frequency.values)}."))
    if data.temporal_start and data.temporal_end and data.temporal_start > data.temporal_end:
        errors.append(("temporal_end", "Must not be before temporal_start."))
    bad_tags = [tag for tag in data.tags if not tag.strip() or len(tag) > 100]
    if bad_tags:
        errors.append(("tags", "Each tag must be 1 to 100 characters."))
    if errors:
        raise InvalidInput(" ".join(f"{name}: {message}" for name, message in errors),
                           errors=[{"field": name, "message": message}
                                   for name, message in errors])


def _description(data: DatasetInput) -> bytes:
    """Return the Markdown that the hub publishes for the dataset (front matter + notes)."""
    lines = ["---", f"title: {_yaml(data.title)}", f"summary: {_yaml(data.notes[:1000])}"]
    if data.license_id:
        lines.append(f"licence: {_yaml(data.license_id)}")
    lines += ["---", "", f"# {data.title}", "", data.notes or data.title, ""]
    facts = [("Update frequency", Frequency(data.frequency).label),
             ("Covers", data.spatial),
             ("From", data.temporal_start and data.temporal_start.isoformat()),
             ("To", data.temporal_end and data.temporal_end.isoformat()),
             ("Tags", ", ".join(data.tags))]
    lines += ["## About this dataset", ""] + [f"- {label}: {value}"
                                              for label, value in facts if value]
    return ("\n".join(lines) + "\n").encode()


def _yaml(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tags(names: tuple[str, ...]) -> list[Tag]:
    wanted = list(dict.fromkeys(name.strip() for name in names))
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=wanted)}
    for name in wanted:
        if name not in existing:
            existing[name] = Tag.objects.get_or_create(name=name)[0]
    return [existing[name] for name in wanted]


def _publish(*, actor, owner: Organization, data: DatasetInput) -> Document:
    published = document_publish(
        actor=actor, owner=owner,
        upload=Upload(name=f"{data.name}.md", data=_description(data)),
        source_key=f"opendata/{data.name}",
        details=Details(classification=Classification.OPEN.value, kind=Document.Kind.DATASET,
                        topics=data.groups, title=data.title),
    )
    return published.document


def _meta_apply(meta: DatasetMeta, data: DatasetInput) -> None:
    for name in ("license_id", "temporal_start", "temporal_end", "spatial", "frequency",
                 "maintainer_email"):
        setattr(meta, name, getattr(data, name))


def dataset_create(*, actor, owner: Organization, data: DatasetInput) -> Document:
    """Publish a new open dataset of the owner: its description document and its details."""
    publisher_check(actor, owner)
    _check(data)
    if DatasetMeta.objects.filter(name=data.name).exists():
        raise InvalidInput("That URL is already in use.",
                           errors=[{"field": "name", "message": "That URL is already in use."}])
    try:
        with transaction.atomic():
            document = _publish(actor=actor, owner=owner, data=data)
            if hasattr(document, "dataset_meta"):
                raise Conflict("This organisation already has a dataset at that address.")
            meta = DatasetMeta(document=document, name=data.name)
            _meta_apply(meta, data)
            meta.save()
            meta.tags.set(_tags(data.tags))
    except IntegrityError:
        raise InvalidInput(
            "That URL is already in use.",
            errors=[{"field": "name", "message": "That URL is already in use."}]) from None
    return document


def dataset_input_of(document: Document) -> DatasetInput:
    """Return the dataset's current details as the input a patch starts from."""
    meta = document.dataset_meta
    return DatasetInput(
        name=meta.name, title=document.title, notes=document.summary,
        tags=tuple(tag.name for tag in meta.tags.all()),
        groups=tuple(topic.slug for topic in document.topics.all()),
        license_id=meta.license_id, temporal_start=meta.temporal_start,
        temporal_end=meta.temporal_end, spatial=meta.spatial, frequency=meta.frequency,
        maintainer_email=meta.maintainer_email,
    )


def dataset_patch(*, actor, document: Document, changes: dict) -> Document:
    """Change some of a dataset's details; a changed description is a new hub version."""
    publisher_check(actor, document.owner)
    if not DatasetMeta.objects.filter(pk=document.pk).exists():
        message = ("This dataset was published to the hub as a file, without open data "
                   "details; change it in the hub.")
        raise InvalidInput(message, errors=[{"field": "id", "message": message}])
    current = dataset_input_of(document)
    unknown = set(changes) - set(asdict(current))
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(sorted(unknown))}.")
    if "name" in changes and changes["name"] != current.name:
        raise InvalidInput("A dataset's name cannot change (links to it would break).",
                           errors=[{"field": "name", "message": "Cannot be changed."}])
    data = replace(current, **changes)
    _check(data)
    with transaction.atomic():
        _publish(actor=actor, owner=document.owner, data=data)
        meta = DatasetMeta.objects.select_for_update().get(pk=document.pk)
        _meta_apply(meta, data)
        meta.save()
        meta.tags.set(_tags(data.tags))
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.DATASET_CHANGE,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"Changed the open data details of “{data.title}”.",
            resource_type="dataset", resource_id=str(document.public_id),
        )
    document.refresh_from_db()
    return document


@dataclass(frozen=True)
class ResourceInput:
    name: str
    description: str = ""
    format: str = ""
    url: str = ""
    upload: Upload | None = None


def _format_of(data: ResourceInput) -> str:
    declared = data.format.strip().upper()
    if declared:
        return declared[:20]
    source = data.upload.name if data.upload else data.url
    return PurePosixPath(source.split("?")[0]).suffix.lstrip(".").upper()[:20]


def resource_create(*, actor, document: Document, data: ResourceInput) -> Resource:
    """Add a file (or a link) to a dataset; a CSV or JSON file is loaded into the DataStore.

    The file is checked whole first: a ragged row or a wrong encoding refuses the file with
    every bad line named, and nothing is stored.
    """
    publisher_check(actor, document.owner)
    if not data.upload and not data.url:
        raise InvalidInput("Upload a file or give a url.",
                           errors=[{"field": "url", "message": "Missing value"}])
    name = (data.name or (data.upload.name if data.upload else data.url)).strip()[:300]
    resource_format = _format_of(data)
    parsed = fields = None
    digest = stored = ""
    if data.upload is not None:
        if len(data.upload.data) > MAX_RESOURCE_BYTES:
            raise InvalidInput(f"The file is larger than {MAX_RESOURCE_BYTES:,} bytes.",
                               errors=[{"field": "upload", "message": "Too large"}])
        if resource_format in LOADABLE:
            parsed = datastore.parse(data.upload.data, resource_format)
            fields = datastore.fields_infer(parsed)
        digest, stored = source_save(data.upload.data, data.upload.name)
    with transaction.atomic():
        position = Resource.objects.filter(dataset=document).count()
        resource = Resource.objects.create(
            dataset=document, position=position, name=name, description=data.description,
            format=resource_format, url="" if data.upload else data.url,
            media_type=LOADABLE.get(resource_format, ""), file_name=stored,
            content_hash=digest, size=len(data.upload.data) if data.upload else None,
        )
        if parsed is not None:
            table_name = f"datastore_{resource.public_id.hex}"
            count = datastore.table_load(table_name, fields, parsed)
            DatastoreTable.objects.create(resource=resource, table_name=table_name,
                                          fields=fields, row_count=count)
        DatasetMeta.objects.filter(pk=document.pk).update(modified_at=resource.created_at)
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.RESOURCE_ADD,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"Added “{name}” to “{document.title}”"
                   + (f" ({len(parsed.rows):,} rows loaded)." if parsed else "."),
            resource_type="dataset", resource_id=str(document.public_id),
        )
    return resource


def dataset_delete(*, actor, document: Document) -> Document:
    """Delete a dataset as CKAN does: state deleted, out of the catalogue and its search;
    its owner still reads it (package_show), and its files and rows are kept."""
    publisher_check(actor, document.owner)
    with transaction.atomic():
        meta = DatasetMeta.objects.select_for_update().filter(pk=document.pk).first()
        if meta is None:
            message = ("This dataset was published to the hub as a file, without open data "
                       "details; withdraw it in the hub.")
            raise InvalidInput(message, errors=[{"field": "id", "message": message}])
        if meta.state != "deleted":
            meta.state = "deleted"
            meta.save(update_fields=["state", "modified_at"])
            log_append(
                actor=audit_actor(actor), action=LogEntry.Action.DATASET_CHANGE,
                decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
                reason=f"Deleted the dataset “{document.title}” from the open data catalogue.",
                resource_type="dataset", resource_id=str(document.public_id),
            )
    document.refresh_from_db()
    return document


def resource_delete(*, actor, resource: Resource) -> None:
    """Remove a file from its dataset; its DataStore table is dropped with it."""
    document = resource.dataset
    publisher_check(actor, document.owner)
    with transaction.atomic():
        resource.delete()  # the table goes with its DatastoreTable row (apps.py)
        DatasetMeta.objects.filter(pk=document.pk).update(modified_at=timezone.now())
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.DATASET_CHANGE,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"Removed “{resource.name}” from “{document.title}”.",
            resource_type="dataset", resource_id=str(document.public_id),
        )


def resource_for_datastore(*, actor, document: Document, name: str) -> Resource:
    """Add a resource with no file whose rows datastore_create will write (CKAN's
    url_type datastore)."""
    publisher_check(actor, document.owner)
    with transaction.atomic():
        resource = Resource.objects.create(
            dataset=document, position=Resource.objects.filter(dataset=document).count(),
            name=name.strip()[:300] or "Data", format="CSV", media_type="text/csv")
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.RESOURCE_ADD,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"Added “{resource.name}” to “{document.title}” (rows from the API).",
            resource_type="dataset", resource_id=str(document.public_id),
        )
    return resource


@dataclass(frozen=True)
class DatastoreWrite:
    """What a datastore_create or datastore_upsert call asks (CKAN's parameters)."""

    records: list = field(default_factory=list)
    fields: list | None = None
    primary_key: tuple[str, ...] = ()
    method: str = "insert"


def datastore_create(*, actor, resource: Resource, data: DatastoreWrite) -> DatastoreTable:
    """Create the resource's table (or add fields to it) and insert the records given."""
    document = resource.dataset
    publisher_check(actor, document.owner)
    with transaction.atomic():
        table = DatastoreTable.objects.select_for_update().filter(resource=resource).first()
        existing = table.fields if table else []
        wanted = data.fields if data.fields is not None else \
            datastore_writes.fields_infer_from(data.records)
        fields, added = datastore_writes.fields_merge(existing, wanted)
        if not fields:
            raise InvalidInput("fields: Give the fields, or records to infer them from.",
                               errors=[{"field": "fields", "message": "Missing value"}])
        key = list(data.primary_key)
        unknown = [name for name in key if name not in {f["id"] for f in fields}]
        if unknown:
            raise InvalidInput(f"primary_key: There is no field “{unknown[0]}”.", errors=[
                {"field": "primary_key", "message": f"There is no field “{unknown[0]}”"}])
        if table is not None and key and key != table.primary_key:
            message = "The table's primary key cannot change."
            raise InvalidInput(message, errors=[{"field": "primary_key", "message": message}])
        rows = datastore_writes.records_check(data.records, fields, key=key, needs_key=False)
        if table is None:
            table_name = f"datastore_{resource.public_id.hex}"
            datastore_writes.table_create(table_name, fields)
            if key:
                datastore_writes.unique_index(table_name, fields, key)
            table = DatastoreTable(resource=resource, table_name=table_name, primary_key=key)
        elif added:
            datastore_writes.columns_add(table.table_name, added)
        table.fields = fields
        _rows_write(table, rows, method="upsert" if key and table.pk else "insert")
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.DATASET_CHANGE,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"DataStore of “{resource.name}”: {len(added)} new field(s), "
                   f"{len(rows):,} record(s) written.",
            resource_type="dataset", resource_id=str(document.public_id),
        )
    return table


def _rows_write(table: DatastoreTable, rows: list[dict], *, method: str) -> None:
    try:
        with transaction.atomic():
            datastore_writes.rows_write(table.table_name, table.fields, rows, method=method,
                                        key=list(table.primary_key))
    except IntegrityError:
        raise InvalidInput("records: Two records have the same primary key.", errors=[
            {"field": "records", "message": "Two records have the same primary key"}]) from None
    table.row_count = datastore_writes.row_count(table.table_name)
    table.save()
    DatasetMeta.objects.filter(pk=table.resource.dataset_id).update(modified_at=timezone.now())


UPSERT_METHODS = ("upsert", "insert", "update")


def datastore_upsert(*, actor, resource: Resource, data: DatastoreWrite) -> int:
    """Insert, update or upsert records of the resource's table by its primary key (or _id);
    a bad record refuses them all. Return how many were written."""
    document = resource.dataset
    publisher_check(actor, document.owner)
    if data.method not in UPSERT_METHODS:
        raise InvalidInput("method: Must be upsert, insert or update.",
                           errors=[{"field": "method", "message": "Must be upsert, insert or "
                                                                  "update"}])
    with transaction.atomic():
        table = _table_locked(resource)
        key = list(table.primary_key)
        rows = datastore_writes.records_check(data.records, table.fields, key=key,
                                              needs_key=data.method != "insert")
        _rows_write(table, rows, method=data.method)
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.DATASET_CHANGE,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"DataStore of “{resource.name}”: {len(rows):,} record(s) "
                   f"({data.method}).",
            resource_type="dataset", resource_id=str(document.public_id),
        )
    return len(rows)


def _table_locked(resource: Resource) -> DatastoreTable:
    table = DatastoreTable.objects.select_for_update().filter(resource=resource).first()
    if table is None:
        raise NotFound(f"Resource “{resource.public_id}” has no DataStore table.")
    return table


def datastore_delete(*, actor, resource: Resource, filters: dict | None) -> int:
    """Delete the rows matching the filters; with none, drop the whole table. Return how
    many rows went."""
    document = resource.dataset
    publisher_check(actor, document.owner)
    with transaction.atomic():
        table = _table_locked(resource)
        if filters:
            deleted = datastore_writes.rows_delete(table.table_name, table.fields, filters)
            table.row_count -= deleted
            table.save(update_fields=["row_count", "loaded_at"])
            what = f"{deleted:,} row(s) deleted"
        else:
            deleted = table.row_count
            table.delete()  # the table is dropped with its row (apps.py)
            what = "table deleted"
        DatasetMeta.objects.filter(pk=document.pk).update(modified_at=timezone.now())
        log_append(
            actor=audit_actor(actor), action=LogEntry.Action.DATASET_CHANGE,
            decision=LogEntry.Decision.PERMIT, organization=document.owner.slug,
            reason=f"DataStore of “{resource.name}”: {what}.",
            resource_type="dataset", resource_id=str(document.public_id),
        )
    return deleted
