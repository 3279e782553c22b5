"""The resident's own data, read through the domain selectors with their own viewer.

Thin adapters so the pages and the download read the same way: records through
`records_for_person` (each read logged on the own-data basis), consents through
`access`'s selector.
"""

from collections.abc import Iterator

from agora.access.selectors import consents_for_person
from agora.access.viewers import Viewer
from agora.records.selectors import MAX_PAGE, records_for_person

# Reading one's own records needs no purpose: the decision's own-data basis.
OWN_DATA_PURPOSE = None


def records(*, viewer: Viewer) -> Iterator:
    """Yield every record about the viewer's person, page by page, each read logged."""
    offset = 0
    while True:
        page = records_for_person(
            viewer=viewer, person=viewer.person, purpose=OWN_DATA_PURPOSE,
            limit=MAX_PAGE, offset=offset,
        )
        yield from page.items
        offset += MAX_PAGE
        if offset >= page.total:
            return


def consents(*, viewer: Viewer) -> list:
    """Return the person's consents, newest first (active, expired and withdrawn)."""
    return list(consents_for_person(viewer=viewer, person=viewer.person))
