"""The sharing grants in force, as SQL the access filter embeds in its query.

`access.filters` matches a record against the agreements and consents in force for the
viewer's organisation and the purpose. Over many records it uses two *uncorrelated*
row-value subqueries, `(owner, category) IN (agreement pairs)` and `(subject, category)
IN (consent pairs)`: each is evaluated once per query — SQLite builds a temporary index
of the pairs, PostgreSQL a hashed subplan — instead of once per candidate row. Over one
person's few records it looks at that person's consents only and looks the agreements up
row by row (`agreement_exists_sql`). Being part of the same statement, the grants are
read in the same snapshot as the records: a withdrawal or a suspension counts on the
very next query.
"""

from agora.access.models import Agreement, Consent, DataCategory


def _quoted(name: str) -> str:
    """Quote a table name as standard SQL does (and so both SQLite and PostgreSQL)."""
    return f'"{name}"'


def _tables() -> dict[str, str]:
    qn = _quoted
    return {
        "agreement": qn(Agreement._meta.db_table),
        "agreement_categories": qn(Agreement.categories.through._meta.db_table),
        "agreement_purposes": qn(Agreement.purposes.through._meta.db_table),
        "category": qn(DataCategory._meta.db_table),
        "consent": qn(Consent._meta.db_table),
        "consent_categories": qn(Consent.categories.through._meta.db_table),
    }


def consent_pairs_sql(*, subject: bool = False) -> str:
    """SQL selecting (person_id, category_id) of the consents in force.

    Parameters, in order: recipient id, purpose id, now, now (adapted for the database),
    then the person's id when `subject` is true (only that person's consents).
    """
    t = _tables()
    sql = (
        f"SELECT agora_c.person_id, agora_cc.datacategory_id FROM {t['consent']} agora_c "  # noqa: S608 (table names from the models)
        f"JOIN {t['consent_categories']} agora_cc ON agora_cc.consent_id = agora_c.id "
        "WHERE agora_c.recipient_id = %s AND agora_c.purpose_id = %s "
        "AND agora_c.given_at <= %s AND agora_c.expires_at > %s "
        "AND agora_c.withdrawn_at IS NULL"
    )
    if subject:
        sql += " AND agora_c.person_id = %s"
    return sql


def agreement_pairs_sql(*, special: bool) -> str:
    """SQL selecting (provider_id, category_id) of the agreements in force.

    Without `special` (the purpose has no Art. 9 condition) special categories are left
    out. Parameters, in order: recipient id, purpose id, the active status, now, now
    (adapted for the database).
    """
    t = _tables()
    sql = _agreements_sql("agora_a.provider_id, agora_ac.datacategory_id")
    if special:
        return sql
    return sql.replace(" WHERE ", f" JOIN {t['category']} agora_dc "
                       "ON agora_dc.id = agora_ac.datacategory_id WHERE ", 1) + (
        " AND NOT agora_dc.is_special")


def agreement_exists_sql(*, special: bool, provider: str, category: str) -> str:
    """SQL selecting a row when an agreement in force shares `category` from `provider`
    (SQL expressions, typically the outer record's columns): for a correlated EXISTS.

    Parameters as for `agreement_pairs_sql`. Special categories are left out by the
    outer category, against their (uncorrelated, so once computed) ids: one table fewer
    to join for every record looked at.
    """
    t = _tables()
    sql = (_agreements_sql("1")
           + f" AND agora_a.provider_id = {provider} AND agora_ac.datacategory_id = {category}")
    if special:
        return sql
    return sql + (f" AND {category} NOT IN "  # noqa: S608 (table names from the models)
                  f"(SELECT agora_dc.id FROM {t['category']} agora_dc WHERE agora_dc.is_special)")


def _agreements_sql(selected: str) -> str:
    t = _tables()
    return (
        f"SELECT {selected} FROM {t['agreement']} agora_a "  # noqa: S608 (table names from the models)
        f"JOIN {t['agreement_categories']} agora_ac ON agora_ac.agreement_id = agora_a.id "
        f"JOIN {t['agreement_purposes']} agora_ap ON agora_ap.agreement_id = agora_a.id "
        "WHERE agora_a.recipient_id = %s AND agora_ap.purpose_id = %s AND agora_a.status = %s "
        "AND agora_a.valid_from <= %s AND agora_a.valid_to > %s"
    )
