"""Ingest: take files, folders and zip archives into the hub, one document at a time.

Files are published a batch at a time (`services.documents_publish`: one transaction per
batch, a savepoint per file), so an ingest killed half-way leaves only whole documents
(the batch in hand is rolled back whole), and running it again publishes what is missing
and skips what is there (same bytes, same version). Every file that cannot be taken is
reported with its reason, and the ingest goes on with the next.

Archives are read with the standard library's `zipfile`, after checks against zip bombs
(too many entries, too large once unpacked, a suspicious compression ratio) and against
entries whose names climb out of the archive ("../", absolute paths, drive letters).
"""

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

from agora.content.extraction import is_supported
from agora.content.services import Details, Published, Upload, documents_publish
from agora.organizations.models import Organization

ZIP_MAX_ENTRIES = 5000
ZIP_MAX_RATIO = 100  # uncompressed size / compressed size, per entry and overall
ZIP_MAX_TOTAL = 1024 * 1024 * 1024  # 1 GiB unpacked
# Files per transaction. A commit per file cost more than most files' own writes; a batch
# of 25 text files is a fraction of a second's work, and a few megabytes of memory.
BATCH_FILES = 25
BATCH_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Candidate:
    """A file to take: its display name, the key it is known by, how to read it."""

    name: str
    key: str
    size: int
    read: Callable[[], bytes]


@dataclass(frozen=True)
class Refusal:
    name: str
    reason: str


@dataclass
class IngestReport:
    created: int = 0
    new_versions: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return self.created + self.new_versions + self.changed + self.unchanged


def _unsafe_member(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return (path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":"))


def _zip_candidates(path: Path, label: str) -> Iterator[Candidate | Refusal]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        yield Refusal(label, f"The zip archive is corrupt ({error}).")
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > ZIP_MAX_ENTRIES:
            yield Refusal(label, f"The zip archive has {len(members):,} entries; the limit is "
                          f"{ZIP_MAX_ENTRIES:,} (a zip bomb?).")
            return
        total = sum(info.file_size for info in members)
        packed = sum(info.compress_size for info in members) or 1
        if total > ZIP_MAX_TOTAL or (total > 1024 * 1024 and total / packed > ZIP_MAX_RATIO):
            yield Refusal(label, f"The zip archive unpacks to {total:,} bytes from {packed:,} "
                          f"(more than {ZIP_MAX_RATIO}:1, or over the limit: a zip bomb?).")
            return
        for info in sorted(members, key=lambda member: member.filename):
            name = f"{label}/{info.filename}"
            if _unsafe_member(info.filename):
                yield Refusal(name, "The entry's path leaves the archive (path traversal).")
                continue
            if info.flag_bits & 0x1:
                yield Refusal(name, "The entry is encrypted.")
                continue
            if info.file_size > settings.CONTENT_MAX_BYTES:
                yield Refusal(name, f"The file is {info.file_size:,} bytes; the limit is "
                              f"{settings.CONTENT_MAX_BYTES:,}.")
                continue
            if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO \
                    and info.file_size > 1024 * 1024:
                yield Refusal(name, f"The entry expands more than {ZIP_MAX_RATIO}:1 (a zip bomb?).")
                continue
            if not is_supported(info.filename):
                suffix = PurePosixPath(info.filename).suffix or "none"
                yield Refusal(name, f"Unsupported file type “{suffix}”.")
                continue
            yield Candidate(name, name, info.file_size,
                            lambda member=info.filename: _zip_read(path, member))


def _zip_read(path: Path, member: str) -> bytes:
    """Read one entry, opening the archive again: the list of candidates holds no files open."""
    with zipfile.ZipFile(path) as archive:
        return archive.read(member)


def _file_candidate(path: Path, key: str) -> Iterator[Candidate | Refusal]:
    if path.suffix.lower() == ".zip":
        yield from _zip_candidates(path, key)
        return
    if not is_supported(path.name):
        yield Refusal(key, f"Unsupported file type “{path.suffix or 'none'}”.")
        return
    size = path.stat().st_size
    if size > settings.CONTENT_MAX_BYTES:
        yield Refusal(key, f"The file is {size:,} bytes; the limit is "
                      f"{settings.CONTENT_MAX_BYTES:,}.")
        return
    yield Candidate(key, key, size, path.read_bytes)


def candidates(paths: list[Path]) -> list[Candidate | Refusal]:
    """Return every file under the paths (folders walked in name order, zips opened)."""
    return list(_walk(paths))


def _walk(paths: list[Path]) -> Iterator[Candidate | Refusal]:
    for root in paths:
        if not root.exists():
            yield Refusal(str(root), "No such file or folder.")
        elif root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in path.relative_to(root).parts):
                    continue  # hidden files and folders (.git, .DS_Store)
                yield from _file_candidate(path, path.relative_to(root).as_posix())
        else:
            yield from _file_candidate(root, root.name)


def ingest(
    *, actor, owner: Organization, items: list[Candidate | Refusal], details: Details,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Publish every candidate for the owner; report what was refused and why.

    `items` comes from `candidates(paths)`, so a caller can show a progress bar of known
    length.
    """
    report = IngestReport()
    step = progress or (lambda name: None)
    batch: list[tuple[Candidate, bytes]] = []
    size = 0
    for item in items:
        if isinstance(item, Refusal):
            report.refused.append(item)
            step(item.name)
            continue
        try:
            data = item.read()
        except OSError as error:
            report.refused.append(Refusal(item.name, f"It could not be read ({error})."))
            step(item.name)
            continue
        batch.append((item, data))
        size += len(data)
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            _publish_batch(actor, owner, batch, details, report, step)
            batch, size = [], 0
    if batch:
        _publish_batch(actor, owner, batch, details, report, step)
    return report


def _publish_batch(
    actor, owner: Organization, batch: list[tuple[Candidate, bytes]], details: Details,
    report: IngestReport, step: Callable[[str], None],
) -> None:
    outcomes = documents_publish(
        actor=actor, owner=owner, details=details,
        files=[(Upload(item.name, data), item.key) for item, data in batch],
    )
    for (item, _), outcome in zip(batch, outcomes, strict=True):
        if not isinstance(outcome, Published):
            report.refused.append(Refusal(item.name, outcome.detail))
        elif outcome.outcome == "created":
            report.created += 1
        elif outcome.outcome == "new-version":
            report.new_versions += 1
        elif outcome.outcome == "details-changed":
            report.changed += 1
        else:
            report.unchanged += 1
        step(item.name)
