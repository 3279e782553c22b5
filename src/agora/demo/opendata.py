"""Riverton's open data: a few datasets with CSV and JSON files loaded into the DataStore.

Made through the same services as the CKAN API's package_create and resource_create, so
the catalogue, the API, the DataStore and DCAT-AP show them like any publisher's.
Figures are drawn from a fixed seed, so every load makes the same bytes; a dataset that
is already there is left alone (a second load adds nothing).
"""

import json
import random
from collections.abc import Callable
from datetime import date

from agora.content.services import Upload
from agora.core.actors import SYSTEM
from agora.demo.hub_corpus import COUNCIL, FOODBANK, HOUSING, WARDS
from agora.opendata.models import DatasetMeta
from agora.opendata.services import DatasetInput, ResourceInput, dataset_create, resource_create
from agora.opendata.statistics import statistics_publish_all
from agora.organizations.models import Organization

MONTHS = [f"2025-{month:02d}" for month in range(1, 13)]
ESTATES = ["Mill Lane", "Quay Street", "High Street", "Castle Court", "Northbank Road",
           "Station Approach"]


def _csv(header: list[str], rows: list[list]) -> bytes:
    lines = [",".join(header)] + [",".join(str(value) for value in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _datasets(rng: random.Random) -> list[tuple[str, DatasetInput, list[tuple[str, str, bytes]]]]:
    missed = [[ward, month, 1800 + rng.randrange(600), rng.randrange(4, 40)]
              for month in MONTHS for ward in WARDS]
    recycling = [[ward, month, round(34 + rng.random() * 20, 1)]
                 for month in MONTHS[::3] for ward in WARDS]
    parcels = [[month, 280 + rng.randrange(120), 700 + rng.randrange(300)] for month in MONTHS]
    repairs = [{"estate": rng.choice(ESTATES), "month": month,
                "priority": rng.choice(["emergency", "urgent", "routine"]),
                "days_to_fix": rng.randrange(1, 60)}
               for month in MONTHS for _ in range(8)]
    return [
        (COUNCIL, DatasetInput(
            name="missed-bin-collections", title="Missed bin collections by ward",
            notes="Collections made and collections reported missed, by ward and month, "
                  "from the council's waste contract returns.",
            tags=("bins", "waste", "wards"), groups=("bin-collections",),
            license_id="OGL-UK-3.0", temporal_start=date(2025, 1, 1),
            temporal_end=date(2025, 12, 31), spatial="Riverton", frequency="MONTHLY"),
         [("Missed collections 2025", "CSV",
           _csv(["ward", "month", "collections", "missed"], missed))]),
        (COUNCIL, DatasetInput(
            name="household-recycling-rates", title="Household recycling rates by ward",
            notes="The share of household waste sent for recycling, by ward, each quarter.",
            tags=("recycling", "waste", "wards"), groups=("bin-collections",),
            license_id="OGL-UK-3.0", temporal_start=date(2025, 1, 1),
            temporal_end=date(2025, 12, 31), spatial="Riverton", frequency="QUARTERLY"),
         [("Recycling rates 2025", "CSV", _csv(["ward", "quarter start", "rate"], recycling))]),
        (FOODBANK, DatasetInput(
            name="food-parcels-issued", title="Food parcels issued each month",
            notes="Parcels handed out at Riverton Food Bank's pantries and the people they fed.",
            tags=("food", "poverty"), groups=("food-support",), license_id="CC-BY-4.0",
            temporal_start=date(2025, 1, 1), temporal_end=date(2025, 12, 31),
            spatial="Riverton", frequency="MONTHLY"),
         [("Parcels 2025", "CSV", _csv(["month", "parcels", "people fed"], parcels))]),
        (HOUSING, DatasetInput(
            name="housing-repairs", title="Housing repairs and how long they took",
            notes="Repairs reported by tenants of the housing authority, with their priority "
                  "and the days until the repair was done.",
            tags=("housing", "repairs"), groups=("social-housing",), license_id="CC-BY-4.0",
            temporal_start=date(2025, 1, 1), temporal_end=date(2025, 12, 31),
            spatial="Riverton", frequency="WEEKLY"),
         [("Repairs 2025", "JSON", json.dumps(repairs, indent=1).encode())]),
    ]


def opendata_load(*, step: Callable[[str], None], seed: int = 2026) -> int:
    """Publish Riverton's open datasets that are not there yet; return how many were new."""
    owners = {org.slug: org for org in Organization.objects.filter(
        slug__in=[COUNCIL, FOODBANK, HOUSING])}
    existing = set(DatasetMeta.objects.values_list("name", flat=True))
    created = 0
    for owner, data, files in _datasets(random.Random(seed)):  # noqa: S311 (demo figures)
        if data.name in existing or owner not in owners:
            continue
        document = dataset_create(actor=SYSTEM, owner=owners[owner], data=data)
        for name, file_format, content in files:
            resource_create(actor=SYSTEM, document=document, data=ResourceInput(
                name=name, format=file_format,
                upload=Upload(name=f"{data.name}.{file_format.lower()}", data=content)))
        created += 1
    step(f"Open data: {created} new datasets")
    return created


def statistics_load(*, step: Callable[[str], None]) -> int:
    """Publish the request statistics of every organisation that handles requests."""
    refreshed = statistics_publish_all(actor=SYSTEM)
    step(f"Open data: statistics of {len(refreshed)} organisations")
    return len(refreshed)
