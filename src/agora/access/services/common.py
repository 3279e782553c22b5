"""What the agreement and consent services share: the actor type, its log form, inputs."""

from collections.abc import Iterable

from agora.audit.services import AuditActor
from agora.core.actors import SystemActor
from agora.core.exceptions import InvalidInput
from agora.people.models import User

Actor = User | SystemActor


def audit_actor(actor: Actor, kind: str) -> AuditActor:
    """Return the actor as the log records it (`kind` is person or staff for a user)."""
    if isinstance(actor, SystemActor):
        return AuditActor(kind="system", id="cli", label=str(actor))
    return AuditActor(kind=kind, id=str(actor.public_id), label=actor.email)


def resolve(model, items: Iterable, field: str) -> list:
    """Return model instances for items given as instances or codes; refuse unknown codes."""
    found, codes = [], []
    for item in items:
        (found if isinstance(item, model) else codes).append(item)
    if codes:
        known = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
        missing = [str(code) for code in codes if code not in known]
        if missing:
            message = f"Unknown {field}: {', '.join(missing)}."
            raise InvalidInput(message, errors=[{"field": field, "message": message}])
        found += [known[code] for code in codes]
    return list(dict.fromkeys(found))
