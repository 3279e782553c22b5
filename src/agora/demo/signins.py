"""The demo's sign-ins as a table, and the current second-factor code of a demo account."""

import time
from dataclasses import dataclass

from agora.demo.generator import TownPlan
from agora.demo.records import national_ids
from agora.organizations.models import Membership


@dataclass(frozen=True)
class SignIn:
    email: str
    who: str
    totp_secret: str = ""


def _organisation_names(plan: TownPlan) -> dict[str, str]:
    return {o.slug: o.name for o in plan.organisations}


def sign_ins(plan: TownPlan, *, everyone: bool = False) -> list[SignIn]:
    """Return the sign-ins worth showing: the operator, an admin and a caseworker of each
    organisation, one data protection officer, and a few residents in different
    situations (or every account)."""
    labels = dict(Membership.Role.choices)
    org_names = _organisation_names(plan)
    rows: list[SignIn] = []
    shown_roles: set[tuple[str, str]] = set()
    for account in plan.staff:
        if account.is_operator:
            rows.append(SignIn(account.email, "Platform operator", account.totp_secret))
            continue
        key = (account.organisation, account.roles[0])
        # One data protection officer (the first organisation's) shows the DPO's pages.
        shown = {"admin", "caseworker"} | ({"dpo"} if not any(
            role == "dpo" for _, role in shown_roles) else set())
        if not everyone and (account.roles[0] not in shown or key in shown_roles):
            continue
        shown_roles.add(key)
        roles = " and ".join(labels[r] for r in account.roles)
        rows.append(
            SignIn(account.email, f"{roles}, {org_names[account.organisation]}",
                   account.totp_secret)
        )
    # Residents show their (fake) national identifier: caseworkers search by it.
    identifiers = national_ids(plan)
    shown_households = plan.households if everyone else plan.households[::4]
    for household in shown_households:
        for person in household.members:
            if person.account:
                rows.append(SignIn(
                    person.email,
                    f"Resident: {household.label}; national id {identifiers[person.public_id]}",
                ))
                if not everyone:
                    break
    return rows


def totp_code_now(secret: str, *, at: float | None = None) -> str:
    """Return the 6-digit TOTP code of this secret now (allauth's own computation)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))


def demo_totp_code(email: str) -> str | None:
    """Return the current code of the account's TOTP authenticator, or None if it has none."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.filter(
        user__email__iexact=email.strip(), type=Authenticator.Type.TOTP
    ).first()
    if authenticator is None:
        return None
    return totp_code_now(decrypt(authenticator.data["secret"]))
