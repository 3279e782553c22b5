"""Announce a change to the outbox, inside the transaction that makes the change.

A domain service calls `announce(...)` once, within its `transaction.atomic()` block;
the notifications app (connected in its `ready()`) writes the outbox row in that same
transaction, so a rolled-back change announces nothing and a committed one always has
its event (docs/decisions.md 34). The seam lives here, in the lowest layer, because the
apps that announce (access, content, cases) sit below or beside notifications and must
not import it.

`announce` refuses to run outside a transaction and refuses when nothing records the
event: an event can never be dropped silently.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.dispatch import Signal

event_announced = Signal()
"""Sent by `announce` with type, organizations, person, source, subject and data."""


def announce(
    type: str,
    *,
    organizations: Iterable[Any],
    source: str,
    subject: str,
    data: dict[str, Any],
    person: Any = None,
) -> None:
    """Record that `type` happened to `subject`, for `organizations`, in this transaction.

    `organizations` are the organisations concerned (each receives it on its webhooks);
    `person` is the resident it is about (told by email, never sent to partners);
    `data` is the minimal payload: ids and what changed, nothing personal.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"announce({type!r}) must run inside the change's transaction.")
    recorded = event_announced.send(
        sender=type, type=type, organizations=[o for o in organizations if o is not None],
        person=person, source=source, subject=subject, data=data,
    )
    if not recorded:
        raise ImproperlyConfigured(
            f"Nothing records the event {type!r}: add agora.notifications to INSTALLED_APPS."
        )
