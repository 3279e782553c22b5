"""Issue, check and revoke Open311 API keys (decision 28).

A key is `o311_` + 8 characters of prefix + `_` + 43 characters of secret (256 random
bits). It is stored as a plain SHA-256 digest, looked up by that digest: the key is
random and long, so a slow password hash would add nothing but a delay to every POST.
The prefix names the key in lists and in `agora open311 key revoke`.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from agora.cases.open311_models import Open311Key
from agora.core.actors import SystemActor
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from agora.organizations.models import ApiClient, Organization
from agora.organizations.selectors import user_can_manage_members
from agora.people.models import User

KEY_START = "o311_"
# `last_used_at` is written at most this often per key, so busy clients cost no extra write.
_USE_RESOLUTION = timedelta(minutes=5)

Actor = User | SystemActor | None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _require_manager(actor: Actor, organization: Organization) -> None:
    if not user_can_manage_members(actor, organization):
        raise PermissionDenied("Only an administrator of this organisation or an operator "
                               "can manage its Open311 keys.")


def open311_key_issue(*, actor: Actor, client: ApiClient) -> tuple[Open311Key, str]:
    """Issue a key to an active client of an active organisation; return it and the key.

    The key itself is returned once, here, and never stored.
    """
    _require_manager(actor, client.organization)
    if not (client.is_active and client.organization.is_active):
        raise InvalidInput(f"The client {client.name} of {client.organization.name} is not "
                           "active; an inactive client cannot hold a key.")
    for _attempt in range(3):
        prefix = secrets.token_hex(4)
        key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                record = Open311Key.objects.create(client=client, prefix=prefix,
                                                   digest=_digest(key))
            return record, key
        except IntegrityError:  # the prefix was taken: draw again
            continue
    raise AssertionError("Three random prefixes in a row were taken.")  # pragma: no cover


def open311_key_import(*, actor: SystemActor, client: ApiClient, key: str) -> Open311Key:
    """Store a key made elsewhere (the demo's fixed one), if new; only the server may.

    Return the stored key; a key already stored is returned as it is.
    """
    if not isinstance(actor, SystemActor):
        raise PermissionDenied("Only the command line imports Open311 keys.")
    parts = key.split("_")
    if len(parts) != 3 or f"{parts[0]}_" != KEY_START or len(parts[1]) != 8 or len(parts[2]) < 43:
        raise InvalidInput("An Open311 key is o311_, 8 characters, _ and 43 or more characters.")
    record, _created = Open311Key.objects.get_or_create(
        digest=_digest(key), defaults={"client": client, "prefix": parts[1]})
    return record


def open311_key_list(*, actor: Actor, organization: Organization) -> QuerySet[Open311Key]:
    """Return the organisation's keys (revoked ones too) for whoever may manage them."""
    if not user_can_manage_members(actor, organization):
        return Open311Key.objects.none()
    return (Open311Key.objects.filter(client__organization=organization)
            .select_related("client").order_by("client__name", "created_at"))


@transaction.atomic
def open311_key_revoke(*, actor: Actor, prefix: str) -> Open311Key:
    """Revoke the key with this prefix; it stops working at once. Revoking twice is fine."""
    key = (Open311Key.objects.select_for_update().select_related("client__organization")
           .filter(prefix=prefix.strip().removeprefix(KEY_START)).first())
    if key is None or not user_can_manage_members(actor, key.client.organization):
        raise NotFound("No Open311 key has this prefix.")
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def open311_key_client(api_key: str) -> ApiClient | None:
    """Return the active client an unrevoked key stands for, or None.

    Note when the key was last used, at most every few minutes.
    """
    if not api_key.startswith(KEY_START) or len(api_key) > 200:
        return None
    key = (Open311Key.objects.select_related("client__organization")
           .filter(digest=_digest(api_key), revoked_at__isnull=True).first())
    if key is None or not (key.client.is_active and key.client.organization.is_active):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > _USE_RESOLUTION:
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.client
