"""Plain text: one section, or one per underlined heading; the first line is the title."""

import re

from agora.content.extraction.base import Extracted, Outline

_UNDERLINE = re.compile(r"^(=+|-+)\s*$")


def decode(data: bytes) -> str:
    """Return the text of bytes in UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def extract_text(data: bytes) -> Extracted:
    lines = decode(data).replace("\r\n", "\n").split("\n")
    outline = Outline()
    title = next((line.strip() for line in lines if line.strip()), "")
    paragraph: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and _UNDERLINE.match(following) and len(following.strip()) >= 3:
            outline.add(" ".join(paragraph))
            paragraph = []
            outline.heading(1 if following.strip().startswith("=") else 2, line)
            continue
        if _UNDERLINE.match(line) and paragraph == [] and index and lines[index - 1].strip():
            continue
        if line.strip():
            paragraph.append(line.strip())
        else:
            outline.add(" ".join(paragraph))
            paragraph = []
    outline.add(" ".join(paragraph))
    return outline.finish("text/plain", title=outline.title or title)
