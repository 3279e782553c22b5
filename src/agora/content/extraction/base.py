"""What every extractor returns, and the outline that turns headings into sections."""

from dataclasses import dataclass, field

from django.utils.text import slugify

from agora.core.exceptions import InvalidInput

# How a heading path reads: "Council tax \u203a Discounts" (a single right angle quote).
HEADING_SEPARATOR = " \u203a "


class ExtractionError(InvalidInput):
    """The file cannot be taken: its reason names the problem (type, corrupt, encrypted…)."""

    code = "unreadable-document"
    title = "The document cannot be read"


@dataclass(frozen=True)
class SectionDraft:
    heading_path: tuple[str, ...]
    text: str

    @property
    def heading(self) -> str:
        return HEADING_SEPARATOR.join(self.heading_path)


@dataclass
class Extracted:
    """The text of a file split into sections, with the title and metadata it declared."""

    media_type: str
    title: str = ""
    sections: list[SectionDraft] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Return the whole text, each section under its heading, for differences."""
        parts = []
        for section in self.sections:
            if section.heading_path:
                parts.append("#" * len(section.heading_path) + " " + section.heading_path[-1])
            parts.append(section.text)
        return "\n\n".join(parts)


class Outline:
    """Collect text under the current heading path as headings arrive, in document order.

    Headings of level 1 that repeat the title are not part of the path, so a citation
    reads "Council tax > Discounts", not "Council tax > Council tax > Discounts".
    """

    def __init__(self) -> None:
        self.title = ""
        self._path: list[tuple[int, str]] = []
        self._buffer: list[str] = []
        self.sections: list[SectionDraft] = []

    def heading(self, level: int, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self._flush()
        if level == 1 and not self.title:
            self.title = text
            self._path = []
            return
        while self._path and self._path[-1][0] >= level:
            self._path.pop()
        self._path.append((level, text))

    def add(self, text: str) -> None:
        text = text.strip()
        if text:
            self._buffer.append(text)

    def _flush(self) -> None:
        if self._buffer:
            path = tuple(name for _, name in self._path)
            self.sections.append(SectionDraft(path, "\n\n".join(self._buffer)))
            self._buffer = []

    def finish(
        self, media_type: str, *, title: str = "", metadata: dict | None = None
    ) -> Extracted:
        self._flush()
        return Extracted(
            media_type=media_type, title=title or self.title, sections=self.sections,
            metadata=metadata or {},
        )


def anchors_for(sections: list[SectionDraft]) -> list[str]:
    """Return one unique, readable anchor per section, from its last heading."""
    seen: dict[str, int] = {}
    anchors = []
    for section in sections:
        base = slugify(section.heading_path[-1])[:100] if section.heading_path else ""
        base = base or "introduction"
        count = seen.get(base, 0) + 1
        seen[base] = count
        anchors.append(base if count == 1 else f"{base}-{count}")
    return anchors
