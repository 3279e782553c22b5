"""PDF with pypdf: the outline (bookmarks) gives the sections, else one section a page.

Encrypted files are refused (even those that open with an empty password: their owner
chose to lock them), and so is anything pypdf cannot parse.
"""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from agora.content.extraction.base import Extracted, ExtractionError, Outline

MAX_PAGES = 2000


def _outline_titles(reader: PdfReader) -> list[tuple[int, int, str]]:
    """Return (page index, level, title) of each bookmark, in document order."""
    found: list[tuple[int, int, str]] = []

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except (PyPdfError, KeyError, TypeError, ValueError):
                continue
            if page is not None and page >= 0 and item.title:
                found.append((page, level, str(item.title)))

    try:
        walk(reader.outline, 1)
    except (PyPdfError, KeyError, TypeError, ValueError):
        return []
    return sorted(found, key=lambda entry: entry[0])


def extract_pdf(data: bytes) -> Extracted:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed files are reported, not logged
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("The PDF is encrypted.")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise ExtractionError(f"The PDF has more than {MAX_PAGES} pages.")
        texts = [page.extract_text() or "" for page in pages]
        bookmarks = _outline_titles(reader)
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except ExtractionError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ExtractionError(f"The PDF is corrupt or not a PDF ({error}).") from None
    outline = Outline()
    if bookmarks:
        by_page: dict[int, list[tuple[int, str]]] = {}
        for page, level, title in bookmarks:
            by_page.setdefault(page, []).append((level, title))
        for index, text in enumerate(texts):
            rest = text
            for level, title in by_page.get(index, []):
                head, found, tail = rest.partition(title)
                if found:
                    outline.add(head)
                    rest = tail
                outline.heading(level + 1 if info_title else level, title)
            outline.add(rest)
    else:
        for index, text in enumerate(texts):
            if len(texts) > 1:
                outline.heading(2, f"Page {index + 1}")
            outline.add(text)
    if not any(text.strip() for text in texts):
        raise ExtractionError("The PDF has no text to extract (it may be scanned images).")
    return outline.finish("application/pdf", title=str(info_title).strip())
