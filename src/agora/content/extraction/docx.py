"""Word documents with python-docx: "Heading N" and "Title" styles give the sections."""

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError

from agora.content.extraction.base import Extracted, ExtractionError, Outline


def _heading_level(style_name: str) -> int | None:
    if style_name == "Title":
        return 1
    if style_name.startswith("Heading "):
        number = style_name.removeprefix("Heading ").strip()
        if number.isdigit():
            return min(int(number) + 1, 6)  # Heading 1 sits below the title
    return None


def extract_docx(data: bytes) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractionError(f"The Word document is corrupt or not a .docx ({error}).") from None
    outline = Outline()
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                outline.add(" | ".join(cell for cell in cells if cell))
            continue
        level = _heading_level(block.style.name if block.style is not None else "")
        if level is not None:
            outline.heading(level, block.text)
        else:
            outline.add(block.text)
    title = (document.core_properties.title or "").strip()
    return outline.finish(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        title=title or outline.title,
    )
