"""Find the person a request is about, by public id or by national identifier.

These lookups sit below the access rules (`people` imports no other domain app), so
they only find: they never say whether the caller may know the person exists. Callers
(the records selectors, pages) decide that with `access.decisions` and give the same
answer for "unknown" and "refused". With no viewer they find nothing (fail closed).
"""

import uuid

from agora.core.compiled import CompiledRead
from agora.people.identifiers import national_id_hash
from agora.people.models import Person

# Both keys are unique: one row at most, so a slice (no ORDER BY, as `.first()` adds),
# compiled once per process (decision 51); every API call and single view reads one.
_BY_PUBLIC_ID = CompiledRead(
    Person, lambda public_id: Person.objects.filter(public_id=public_id)[:1],
    fields=("public_id",), stand_ins=((uuid.UUID(int=1),), (uuid.UUID(int=2),)))
_BY_USER = CompiledRead(
    Person, lambda user_id: Person.objects.filter(user_id=user_id)[:1],
    fields=("user",), stand_ins=((1,), (2,)))
_BY_NATIONAL_ID = CompiledRead(
    Person, lambda digest: Person.objects.filter(national_id_hash=digest)[:1],
    fields=("national_id_hash",), stand_ins=(("0" * 64,), ("1" * 64,)))


def person_find(*, viewer: object | None, person_id: uuid.UUID | str) -> Person | None:
    """Return the person with this public id, or None when there is none (or no viewer)."""
    if viewer is None:
        return None
    try:
        public_id = person_id if isinstance(person_id, uuid.UUID) else uuid.UUID(str(person_id))
    except ValueError:
        return None
    return _BY_PUBLIC_ID.first(public_id)


def person_find_by_national_id(*, viewer: object | None, national_id: str) -> Person | None:
    """Return the person holding this national identifier, matched on its keyed hash.

    The identifier is normalised (spaces, dots and dashes dropped, case folded) before
    hashing; the number itself is never stored or compared.
    """
    if viewer is None:
        return None
    try:
        digest = national_id_hash(national_id)
    except ValueError:  # nothing but punctuation: no one holds it
        return None
    return _BY_NATIONAL_ID.first(digest)


def person_of_user(*, user_id: int) -> Person | None:
    """Return the person whose account this is, or None (an account need not have one)."""
    return _BY_USER.first(user_id)
