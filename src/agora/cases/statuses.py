"""Status models: the statuses a service's requests move through, and which moves are allowed.

A service may define its own status types (`cases.models.StatusType`); one that defines
none uses `DEFAULT_MODEL` below, which fits most applications: received, being looked
at, waiting for the resident (the deadline's clock stops), and four ways to end.
"""

from dataclasses import dataclass, field
from datetime import datetime

from agora.cases.models import StatusType
from agora.catalog.models import Service


@dataclass(frozen=True)
class Status:
    """One status of a model, as the code uses it (a `StatusType` row, or a default)."""

    code: str
    label: str
    resident_text: str
    next_step: str = ""
    is_initial: bool = False
    is_final: bool = False
    suspends_deadline: bool = False
    expected_days: int | None = None
    next_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusModel:
    statuses: tuple[Status, ...]
    by_code: dict[str, Status] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {status.code: status for status in self.statuses})

    @property
    def initial(self) -> Status:
        return next((s for s in self.statuses if s.is_initial), self.statuses[0])

    def get(self, code: str) -> Status | None:
        return self.by_code.get(code)

    def allowed_from(self, code: str) -> list[Status]:
        """Return the statuses a request in `code` may move to, in the model's order."""
        current = self.by_code.get(code)
        if current is None:
            return []
        return [self.by_code[c] for c in current.next_codes if c in self.by_code]


_ENDINGS = ("approved", "refused", "completed", "withdrawn")

DEFAULT_MODEL = StatusModel((
    Status(
        "received", "Received",
        "We have received your request.",
        "Someone will look at it and tell you if we need anything else.",
        is_initial=True, expected_days=5,
        next_codes=("in-progress", "waiting-for-you", *_ENDINGS),
    ),
    Status(
        "in-progress", "In progress",
        "Someone is working on your request.",
        "We will tell you when we have decided.",
        expected_days=10,
        next_codes=("waiting-for-you", *_ENDINGS),
    ),
    Status(
        "waiting-for-you", "Waiting for the resident",
        "We need something from you before we can carry on.",
        "Reply to our message or send what we asked for. The time limit is paused until "
        "you do.",
        suspends_deadline=True,
        next_codes=("in-progress", *_ENDINGS),
    ),
    Status(
        "approved", "Approved", "Your request has been approved.",
        "The timeline says what you will get and when.", is_final=True,
    ),
    Status(
        "refused", "Refused", "Your request has been refused.",
        "The timeline says why, and how to ask us to look at it again.", is_final=True,
    ),
    Status(
        "completed", "Completed", "We have done what you asked.",
        "Nothing more is needed from you.", is_final=True,
    ),
    Status(
        "withdrawn", "Withdrawn", "The request was withdrawn.",
        "Nothing more will happen. You can make a new request at any time.", is_final=True,
    ),
))


def _from_row(row: StatusType) -> Status:
    return Status(
        code=row.code, label=row.label, resident_text=row.resident_text,
        next_step=row.next_step, is_initial=row.is_initial, is_final=row.is_final,
        suspends_deadline=row.suspends_deadline, expected_days=row.expected_days,
        next_codes=tuple(str(code) for code in row.next_codes),
    )


def status_models_for(service_ids: set[int] | list[int]) -> dict[int, StatusModel]:
    """Return the status model of each service, in one query (the default where none)."""
    rows: dict[int, list[Status]] = {}
    if service_ids:
        for row in StatusType.objects.filter(service_id__in=set(service_ids)).order_by(
            "service_id", "order", "code"
        ):
            rows.setdefault(row.service_id, []).append(_from_row(row))
    return {
        service_id: StatusModel(tuple(rows[service_id])) if service_id in rows else DEFAULT_MODEL
        for service_id in service_ids
    }


# Each process keeps the models it has read, keyed by the service and the moment it was
# last saved: `cases.services.status_model_define` saves the service with its new model,
# so a changed model has a new key and is read afresh, in every process (decision 46).
_CACHE: dict[tuple[int, datetime | None], StatusModel] = {}
_CACHE_MAX = 1000


def status_model_for(service: Service | int) -> StatusModel:
    """Return the status model of one service (given as a row, from the process's cache).

    Given only an id, the model is read from the database: the row's `updated_at` is
    what tells a cached model from a changed one.
    """
    if isinstance(service, int):
        return status_models_for([service])[service]
    key = (service.pk, service.updated_at)
    model = _CACHE.get(key)
    if model is None:
        model = status_models_for([service.pk])[service.pk]
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = model
    return model
