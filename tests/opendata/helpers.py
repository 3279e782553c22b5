"""Helpers for the open data tests: a publisher, its client, datasets with CSV resources."""

from datetime import date

from agora.content.services import Upload
from agora.core.actors import SYSTEM
from agora.opendata import services
from agora.topics.models import Topic
from tests.api.helpers import KeyedClient, make_client, make_organization

BINS_CSV = (
    b"ward,month,collections,missed\n"
    b"North,2026-01,1200,14\n"
    b"North,2026-02,1180,9\n"
    b"South,2026-01,980,21\n"
    b"South,2026-02,1010,7\n"
    b"Riverside,2026-01,640,3\n"
)


def publisher(organization=None) -> KeyedClient:
    return make_client(organization or make_organization(), name="Data portal",
                       scopes=("datasets:write",))


def topic(slug: str = "waste", name: str = "Bins and recycling") -> Topic:
    return Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def dataset(owner, name: str = "bin-collections", *, title: str = "Bin collections by ward",
            tags=("bins", "waste"), groups=("waste",), csv: bytes | None = BINS_CSV,
            **fields):
    for slug in groups:
        topic(slug, slug.title())
    document = services.dataset_create(actor=SYSTEM, owner=owner, data=services.DatasetInput(
        name=name, title=title, notes=fields.pop("notes", f"Monthly figures: {title}."),
        tags=tuple(tags), groups=tuple(groups), license_id=fields.pop("license_id", "CC-BY-4.0"),
        temporal_start=date(2026, 1, 1), temporal_end=date(2026, 2, 28), spatial="Riverton",
        frequency="MONTHLY", **fields))
    if csv is not None:
        services.resource_create(actor=SYSTEM, document=document, data=services.ResourceInput(
            name="Collections", format="CSV", upload=Upload(name=f"{name}.csv", data=csv)))
    return document
