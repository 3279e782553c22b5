"""The sharing grants in force, as SQL the access filter embeds in its query.

`access.filters` matches a record against the agreements and consents in force for the
viewer's organisation and the purpose. Over many records it uses two *uncorrelated*
row-value subqueries, `(owner, category) IN (agreement pairs)` and `(subject, category)
IN (consent pairs)`: each is evaluated once per query — SQLite builds a temporary index
of the pairs, PostgreSQL a hashed subplan — instead of once per candidate row. Over one
person's few records it looks the agreements up row by row (`agreement_exists_sql`), and
the consents too on SQLite (`consent_exists_sql`; PostgreSQL hashes that person's few
consents once). Being part of the same statement, the grants are
read in the same snapshot as the records: a withdrawal or a suspension counts on the
very next query.
"""

from collections.abc import Iterable

from django.db import transaction

from agora.access.models import Agreement, AgreementGrant, Consent


def _quoted(name: str) -> str:
    """Quote a table name as standard SQL does (and so both SQLite and PostgreSQL)."""
    return f'"{name}"'


def _tables() -> dict[str, str]:
    return {
        "grant": _quoted(AgreementGrant._meta.db_table),
        "consent": _quoted(Consent._meta.db_table),
        "consent_categories": _quoted(Consent.categories.through._meta.db_table),
    }


def consent_pairs_sql(*, subject: bool = False) -> str:
    """SQL selecting (person_id, category_id) of the consents in force.

    Parameters, in order: recipient id, purpose id, now, now (adapted for the database),
    then the person's id when `subject` is true (only that person's consents).
    """
    sql = _consents_sql("agora_c.person_id, agora_cc.datacategory_id")
    return sql + " AND agora_c.person_id = %s" if subject else sql


def consent_exists_sql(*, person: str, category: str) -> str:
    """SQL selecting a row when a consent in force lets `person` be read in `category`
    (SQL expressions, typically the outer record's columns): for a correlated EXISTS.

    Parameters as for `consent_pairs_sql` without `subject`.
    """
    return (_consents_sql("1")
            + f" AND agora_c.person_id = {person} AND agora_cc.datacategory_id = {category}")


def _consents_sql(selected: str) -> str:
    t = _tables()
    return (
        f"SELECT {selected} FROM {t['consent']} agora_c "  # noqa: S608 (table names from the models)
        f"JOIN {t['consent_categories']} agora_cc ON agora_cc.consent_id = agora_c.id "
        "WHERE agora_c.recipient_id = %s AND agora_c.purpose_id = %s "
        "AND agora_c.given_at <= %s AND agora_c.expires_at > %s "
        "AND agora_c.withdrawn_at IS NULL"
    )


def agreement_pairs_sql(*, special: bool) -> str:
    """SQL selecting (provider_id, category_id) of the agreements in force.

    Without `special` (the purpose has no Art. 9 condition) special categories are left
    out. Parameters, in order: recipient id, purpose id, now, now (adapted for the
    database).
    """
    return _grants_sql("agora_g.provider_id, agora_g.category_id", special)


def agreement_exists_sql(*, special: bool, provider: str, category: str) -> str:
    """SQL selecting a row when an agreement in force shares `category` from `provider`
    (SQL expressions, typically the outer record's columns): for a correlated EXISTS.

    Parameters as for `agreement_pairs_sql`.
    """
    return (_grants_sql("1", special)
            + f" AND agora_g.provider_id = {provider} AND agora_g.category_id = {category}")


def _grants_sql(selected: str, special: bool) -> str:
    exclude = "" if special else " AND NOT agora_g.special"
    return (
        f"SELECT {selected} FROM {_tables()['grant']} agora_g "  # noqa: S608 (table names from the models)
        "WHERE agora_g.recipient_id = %s AND agora_g.purpose_id = %s "
        f"AND agora_g.valid_from <= %s AND agora_g.valid_to > %s{exclude}"
    )


def refresh_agreement_grants(agreement_ids: Iterable[int]) -> None:
    """Rewrite the `AgreementGrant` rows of these agreements from their present state.

    Called on every change that could alter what an agreement grants (`access.signals`),
    in the same transaction as the change.
    """
    agreement_ids = list(agreement_ids)
    if not agreement_ids:
        return
    with transaction.atomic():
        AgreementGrant.objects.filter(agreement_id__in=agreement_ids).delete()
        active = Agreement.objects.filter(
            pk__in=agreement_ids, status=Agreement.Status.ACTIVE
        ).prefetch_related("categories", "purposes")
        AgreementGrant.objects.bulk_create(
            AgreementGrant(
                agreement=agreement, recipient_id=agreement.recipient_id,
                provider_id=agreement.provider_id, purpose=purpose, category=category,
                special=category.is_special, valid_from=agreement.valid_from,
                valid_to=agreement.valid_to,
            )
            for agreement in active
            for purpose in agreement.purposes.all()
            for category in agreement.categories.all()
        )
