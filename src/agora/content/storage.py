"""Source files, stored once per content in Django's default storage (MEDIA_ROOT).

The name is the SHA-256 of the bytes, so the same file uploaded twice is stored once, and
a file written by an ingest that was killed before its transaction committed is simply
found (and used) by the re-run.
"""

import hashlib
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_save(data: bytes, original_name: str) -> tuple[str, str]:
    """Store the bytes under their hash (once) and return (hash, storage name)."""
    digest = content_hash(data)
    suffix = PurePosixPath(original_name).suffix.lower()[:10]
    name = f"hub/{digest[:2]}/{digest}{suffix}"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another process stored the same bytes first
            default_storage.delete(saved)
    return digest, name


def source_open(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()
