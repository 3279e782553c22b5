"""Turn a file into a title, metadata and sections, by its type; refuse what cannot be read.

The type is taken from the file name's extension and checked against the content's first
bytes (a ".pdf" that is not a PDF is refused as corrupt, not guessed at).
"""

from collections.abc import Callable
from pathlib import PurePosixPath

from agora.content.extraction.base import (
    Extracted,
    ExtractionError,
    SectionDraft,
    anchors_for,
)
from agora.content.extraction.docx import extract_docx
from agora.content.extraction.html import extract_html
from agora.content.extraction.markdown import extract_markdown
from agora.content.extraction.pdf import extract_pdf
from agora.content.extraction.tabular import extract_csv, extract_json
from agora.content.extraction.text import extract_text

__all__ = ["EXTRACTORS", "Extracted", "ExtractionError", "SectionDraft", "anchors_for",
           "extract", "is_supported"]

EXTRACTORS: dict[str, Callable[[bytes], Extracted]] = {
    ".pdf": extract_pdf,
    ".docx": extract_docx,
    ".html": extract_html,
    ".htm": extract_html,
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".txt": extract_text,
    ".text": extract_text,
    ".csv": extract_csv,
    ".json": extract_json,
}


def is_supported(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in EXTRACTORS


def extract(name: str, data: bytes) -> Extracted:
    """Return what `name`'s content says; raise ExtractionError naming why it cannot."""
    suffix = PurePosixPath(name).suffix.lower()
    extractor = EXTRACTORS.get(suffix)
    if extractor is None:
        supported = ", ".join(sorted(EXTRACTORS))
        raise ExtractionError(
            f"Unsupported file type “{suffix or 'none'}” (supported: {supported})."
        )
    if not data.strip():
        raise ExtractionError("The file is empty.")
    if suffix == ".pdf" and not data.lstrip()[:5] == b"%PDF-":
        raise ExtractionError("The PDF is corrupt or not a PDF (it does not start with %PDF-).")
    if suffix == ".docx" and not data.startswith(b"PK"):
        raise ExtractionError("The Word document is corrupt or not a .docx (not a zip package).")
    if suffix not in (".pdf", ".docx") and b"\x00" in data[:8192]:
        raise ExtractionError("The file is binary, not text.")
    extracted = extractor(data)
    extracted.sections = [section for section in extracted.sections if section.text.strip()]
    if not extracted.sections:
        raise ExtractionError("The file has no text to extract.")
    return extracted
