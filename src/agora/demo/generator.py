"""Draw the town of Riverton from a seed: a plan of plain data, no database involved.

The same seed gives the same plan on every machine: names come from the tables in
`names`, randomness from one `random.Random(seed)`, ages are counted from a fixed
reference date (not today), and every identifier is a UUID5 of a natural key.
"""

import base64
import hashlib
import hmac
import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from agora.demo import names
from agora.demo.households import HOUSEHOLD_SHAPES

DEFAULT_SEED = 2026
REFERENCE_DATE = date(2026, 1, 1)
# Namespace of every demo UUID (a UUID5 of the demo's own name, fixed forever).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "demo.agora.riverton.example")


@dataclass(frozen=True)
class OrganisationPlan:
    public_id: uuid.UUID
    slug: str
    name: str
    kind: str
    description: str
    contact_email: str
    contact_phone: str
    website: str


@dataclass(frozen=True)
class AccountPlan:
    """A sign-in: a member of staff, the operator or a resident."""

    public_id: uuid.UUID
    email: str
    given_name: str
    family_name: str
    is_operator: bool = False
    organisation: str = ""  # slug, for staff
    roles: tuple[str, ...] = ()
    totp_secret: str = ""  # staff and the operator sign in with a second factor


@dataclass(frozen=True)
class PersonPlan:
    public_id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date
    household_role: str
    note: str = ""
    email: str = ""  # empty for people without an account (children)
    phone: str = ""
    account: AccountPlan | None = None


@dataclass(frozen=True)
class HouseholdPlan:
    public_id: uuid.UUID
    label: str
    address_line: str
    town: str
    postcode: str
    tenure: str
    members: tuple[PersonPlan, ...]


@dataclass
class TownPlan:
    seed: int
    organisations: list[OrganisationPlan] = field(default_factory=list)
    staff: list[AccountPlan] = field(default_factory=list)  # the operator first
    households: list[HouseholdPlan] = field(default_factory=list)

    @property
    def residents(self) -> list[PersonPlan]:
        return [p for h in self.households for p in h.members if p.account]

    @property
    def people(self) -> list[PersonPlan]:
        return [p for h in self.households for p in h.members]


def stable_uuid(seed: int, *parts: object) -> uuid.UUID:
    """Return the UUID5 of a natural key, the same on every machine."""
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in (seed, *parts)))


def totp_secret(seed: int, email: str) -> str:
    """Return the fixed base32 TOTP secret of a demo account (20 bytes, as RFC 6238 uses)."""
    digest = hmac.new(f"riverton-demo-{seed}".encode(), email.encode(), hashlib.sha1).digest()
    return base64.b32encode(digest).decode("ascii")


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded.lower() if c.isascii() and c.isalnum())


class _Drawer:
    """Hand out names, phone numbers and email addresses without repeating one."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.emails: set[str] = set()
        self.names: set[tuple[str, str]] = set()
        self.phones = rng.sample(range(1000), 1000)

    def name(self, family: str | None = None, older: bool = False) -> tuple[str, str]:
        pool = names.OLDER_GIVEN_NAMES if older else names.GIVEN_NAMES
        while True:
            pair = (self.rng.choice(pool), family or self.rng.choice(names.FAMILY_NAMES))
            if pair not in self.names:
                self.names.add(pair)
                return pair

    def email(self, given: str, family: str, domain: str) -> str:
        base = f"{_ascii(given)}.{_ascii(family)}"
        candidate, n = f"{base}@{domain}", 2
        while candidate in self.emails:
            candidate, n = f"{base}{n}@{domain}", n + 1
        self.emails.add(candidate)
        return candidate

    def mobile(self) -> str:
        return f"07700 900{self.phones.pop():03d}"


def _date_of_birth(rng: random.Random, age_range: tuple[int, int]) -> date:
    """Return a birth date giving an age in the range on the reference date."""
    age = rng.randint(*age_range)
    return date(REFERENCE_DATE.year - age - 1, 1, 1) + timedelta(days=rng.randint(1, 364))


def _organisations(seed: int, rng: random.Random, drawer: _Drawer, plan: TownPlan) -> None:
    landlines = rng.sample(range(100, 1000), len(names.ORGANISATIONS))
    for spec, landline in zip(names.ORGANISATIONS, landlines, strict=True):
        mail_domain = f"{spec['mail']}.{names.EMAIL_DOMAIN}"
        plan.organisations.append(
            OrganisationPlan(
                public_id=stable_uuid(seed, "organisation", spec["slug"]),
                slug=spec["slug"],
                name=spec["name"],
                kind=spec["kind"],
                description=spec["description"],
                contact_email=f"hello@{mail_domain}",
                contact_phone=f"01632 960{landline:03d}",
                website=f"https://{mail_domain}/",
            )
        )
        for roles in spec["staff"]:
            given, family = drawer.name()
            email = drawer.email(given, family, mail_domain)
            plan.staff.append(
                AccountPlan(
                    public_id=stable_uuid(seed, "user", email),
                    email=email,
                    given_name=given,
                    family_name=family,
                    organisation=spec["slug"],
                    roles=tuple(roles) if isinstance(roles, tuple) else (roles,),
                    totp_secret=totp_secret(seed, email),
                )
            )


def _address(rng: random.Random, tenure: str, used: set[str]) -> tuple[str, str]:
    while True:
        if tenure == "temporary":
            line = f"Room {rng.randint(1, 40)}, {rng.choice(names.TEMPORARY_ADDRESSES)}"
            district = "RV1"
        elif tenure == "social_rent" and rng.random() < 0.7:
            street, district = names.ESTATE_STREET
            line = f"Flat {rng.randint(1, 60)}, {rng.choice(names.ESTATE_BLOCKS)}, {street}"
        else:
            street, district = rng.choice(names.STREETS)
            line = f"{rng.randint(1, 120)} {street}"
        if line not in used:
            used.add(line)
            letters = "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
            return line, f"{district} {rng.randint(1, 9)}{letters}"


def _households(seed: int, rng: random.Random, drawer: _Drawer, plan: TownPlan) -> None:
    used_addresses: set[str] = set()
    for index, shape in enumerate(HOUSEHOLD_SHAPES, start=1):
        address_line, postcode = _address(rng, shape["tenure"], used_addresses)
        family_name: str | None = None
        members = []
        for position, (role, ages, has_account, note) in enumerate(shape["members"], start=1):
            older = ages[0] >= 65
            # Family members share the head's surname; sharers, lodgers and some partners don't.
            keeps_name = role in {"child", "relative"} or (role == "partner" and rng.random() < 0.7)
            given, family = drawer.name(family_name if keeps_name else None, older=older)
            family_name = family_name or family
            key = ("household", index, "member", position)
            account = None
            email = phone = ""
            if has_account:
                email = drawer.email(given, family, names.EMAIL_DOMAIN)
                phone = drawer.mobile()
                account = AccountPlan(
                    public_id=stable_uuid(seed, "user", email),
                    email=email,
                    given_name=given,
                    family_name=family,
                )
            members.append(
                PersonPlan(
                    public_id=stable_uuid(seed, *key),
                    given_name=given,
                    family_name=family,
                    date_of_birth=_date_of_birth(rng, ages),
                    household_role=role,
                    note=note,
                    email=email,
                    phone=phone,
                    account=account,
                )
            )
        plan.households.append(
            HouseholdPlan(
                public_id=stable_uuid(seed, "household", index),
                label=shape["label"],
                address_line=address_line,
                town=names.TOWN,
                postcode=postcode,
                tenure=shape["tenure"],
                members=tuple(members),
            )
        )


def town_plan(seed: int = DEFAULT_SEED) -> TownPlan:
    """Return the plan of Riverton drawn from this seed."""
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not secrets)
    drawer = _Drawer(rng)
    plan = TownPlan(seed=seed)
    operator_email = f"operator@{names.EMAIL_DOMAIN}"
    drawer.emails.add(operator_email)
    plan.staff.append(
        AccountPlan(
            public_id=stable_uuid(seed, "user", operator_email),
            email=operator_email,
            given_name="Pat",
            family_name="Okonjo",
            is_operator=True,
            totp_secret=totp_secret(seed, operator_email),
        )
    )
    _organisations(seed, rng, drawer, plan)
    _households(seed, rng, drawer, plan)
    return plan
