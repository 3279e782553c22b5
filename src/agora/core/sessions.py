"""Django's database sessions, with the read every signed-in page makes compiled once.

The same table, the same data and the same answers as `django.contrib.sessions.backends.db`
(sessions made by either are read by the other); only the read of an unexpired session
by its key is a `CompiledRead` (decision 51) instead of a queryset built and compiled
on every page.
"""

import logging
from datetime import UTC, datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from agora.core.compiled import CompiledRead

_UNEXPIRED = CompiledRead(
    Session,
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    fields=("session_key", "expire_date"),
    stand_ins=(("stand-in-1", datetime(2000, 1, 1, tzinfo=UTC)),
               ("stand-in-2", datetime(2001, 1, 1, tzinfo=UTC))),
)


class SessionStore(db.SessionStore):
    """Database sessions whose load is one compiled read."""

    def _get_session_from_db(self):
        try:
            found = _UNEXPIRED.first(self.session_key, timezone.now())
        except SuspiciousOperation as error:  # as Django's: logged, and no session
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
            found = None
        if found is None:
            self._session_key = None
        return found
