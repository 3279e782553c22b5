"""The data protection officer's pages: who may open them, the access report and its CSV."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.audit.models import LogEntry
from agora.audit.reports import CSV_COLUMNS
from agora.audit.services import AuditActor, log_append
from agora.organizations.models import Membership
from tests.console.test_views import error_summary, sign_in
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganizationFactory,
    RecordFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]

DPO = Membership.Role.DPO
PERMIT, DENY = "permit", "deny"


@pytest.fixture
def dpo(council):
    return MembershipFactory(organization=council, role=DPO, user__email="dpo@example.org").user


def logged(organization, *, decision=PERMIT, purpose="housing-allocation", resource_id="",
           reason="Read a record.", label="someone"):
    return log_append(
        actor=AuditActor("staff", str(uuid.uuid4()), label), action="record.read",
        decision=decision, reason=reason, organization=organization, purpose=purpose,
        resource_type="record" if resource_id else "", resource_id=resource_id,
    )


@pytest.fixture
def entries(council, foodbank):
    """Council staff reads, food bank reads of a council record (one refused), unrelated."""
    record = RecordFactory(owner=council)
    agreement = AgreementFactory(provider=foodbank, recipient=council)
    return {
        "own": logged("council", label="council-caseworker"),
        "theirs_on_ours": logged("foodbank", resource_id=str(record.public_id),
                                 purpose="emergency-food-support", label="foodbank-reader"),
        "refused": logged("foodbank", decision=DENY, resource_id=str(record.public_id),
                          purpose="debt-advice", label="foodbank-snooper",
                          reason="No agreement covers it."),
        "agreement": logged("foodbank", resource_id=str(agreement.public_id),
                            purpose="", label="foodbank-admin"),
        "unrelated": logged("foodbank", resource_id=str(RecordFactory(owner=foodbank).public_id),
                            label="foodbank-unrelated"),
    }


def report(client, **params):
    return client.get(reverse("console:dpo_access", args=["council"]), params)


# Who may open the pages


@pytest.mark.parametrize("role", [Membership.Role.ADMIN, Membership.Role.CASEWORKER])
def test_other_roles_may_not_open_the_report(client, council, role):
    sign_in(client, MembershipFactory(organization=council, role=role).user)
    assert report(client).status_code == 403
    assert client.get(reverse("console:dpo_access_csv", args=["council"])).status_code == 403


def test_dpo_of_another_organisation_gets_not_found(client, council, foodbank):
    sign_in(client, MembershipFactory(organization=foodbank, role=DPO).user)
    assert report(client).status_code == 404


def test_operator_may_open_the_report(client, council, entries):
    sign_in(client, UserFactory(operator=True))
    response = report(client)
    assert response.status_code == 200
    entry = LogEntry.objects.filter(action="log.read").latest("seq")
    assert entry.organization == ""  # an operator acts for no organisation
    assert entry.resource_id == "council"


# The report


def test_report_shows_what_concerns_the_organisation(client, dpo, entries):
    sign_in(client, dpo)
    response = report(client)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("council-caseworker", "foodbank-reader", "foodbank-snooper", "foodbank-admin"):
        assert name in html
    assert "foodbank-unrelated" not in html


def test_refused_attempts_stand_out_at_the_top(client, dpo, entries):
    sign_in(client, dpo)
    html = report(client).content.decode()
    banner = html.index("Refused attempts")
    assert banner < html.index("Entries by organisation, purpose and result")
    assert '<strong class="govuk-tag govuk-tag--red">1 refused</strong>' in html
    assert "decision=deny" in html  # a link that shows only the refused ones


def test_counts_by_organisation_purpose_and_result(client, dpo, entries):
    sign_in(client, dpo)
    response = report(client)
    counts = [(r.organization, r.purpose, r.decision, r.count) for r in response.context["counts"]]
    assert counts == [
        ("council", "housing-allocation", PERMIT, 1),
        ("foodbank", "", PERMIT, 1),
        ("foodbank", "debt-advice", DENY, 1),
        ("foodbank", "emergency-food-support", PERMIT, 1),
    ]


def test_filters_by_purpose_result_and_acting_organisation(client, dpo, entries):
    sign_in(client, dpo)
    html = report(client, decision="deny").content.decode()
    assert "foodbank-snooper" in html and "foodbank-reader" not in html

    html = report(client, purpose="emergency-food-support").content.decode()
    assert "foodbank-reader" in html and "council-caseworker" not in html

    html = report(client, actor="council").content.decode()
    assert "council-caseworker" in html and "foodbank-reader" not in html


def test_filters_by_time_range(client, dpo, entries):
    sign_in(client, dpo)
    today = entries["own"].created_at.astimezone()
    day = {"start_0": today.day, "start_1": today.month, "start_2": today.year}
    html = report(client, **day).content.decode()
    assert "council-caseworker" in html
    html = report(client, start_0=1, start_1=1, start_2=today.year + 1).content.decode()
    assert "council-caseworker" not in html
    assert "No entries match." in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_0": 31, "start_1": 2, "start_2": 2026}, "From must be a real date"),
        ({"end_0": 1, "end_1": "", "end_2": 2026}, "To must include a month"),
        ({"start_0": 2, "start_1": 3, "start_2": 2026, "end_0": 1, "end_1": 3, "end_2": 2026},
         "The end of the period must be the same as or after its start"),
        ({"purpose": "curiosity"}, "Choose a purpose from the list"),
        ({"decision": "maybe"}, "Choose permitted, refused or both"),
        ({"actor": "nobody"}, "Choose an organisation from the list"),
    ],
)
def test_bad_filters_show_the_error_summary_and_log_nothing(client, dpo, entries, params,
                                                            message):
    sign_in(client, dpo)
    before = LogEntry.objects.count()
    response = report(client, **params)
    assert message in error_summary(response)
    assert LogEntry.objects.count() == before
    assert response.context.get("page") is None


def test_reading_the_report_is_logged(client, dpo, entries):
    sign_in(client, dpo)
    before = LogEntry.objects.count()
    report(client, decision="deny")
    entry = LogEntry.objects.get(seq=before)
    assert LogEntry.objects.count() == before + 1
    assert (entry.action, entry.organization, entry.actor_id) == (
        "log.read", "council", str(dpo.public_id))
    assert "result deny" in entry.reason


def test_report_queries_stay_bounded(client, dpo, council, entries,
                                     django_assert_max_num_queries):
    sign_in(client, dpo)
    with django_assert_max_num_queries(25) as few:
        report(client)
    for n in range(60):
        logged("council", label=f"bulk-{n}",
               decision=DENY if n % 3 else PERMIT, purpose=f"purpose-{n % 5}")
    with django_assert_max_num_queries(len(few)):
        response = report(client)
    assert len(response.context["page"].object_list) == 50


# CSV export


def test_csv_export_streams_the_filtered_entries_with_a_header(client, dpo, entries):
    sign_in(client, dpo)
    before = LogEntry.objects.count()
    response = client.get(reverse("console:dpo_access_csv", args=["council"]),
                          {"actor": "foodbank"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="access-council-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == list(CSV_COLUMNS)
    labels = {dict(zip(CSV_COLUMNS, row, strict=True))["actor_label"] for row in rows[1:]}
    assert labels == {"foodbank-reader", "foodbank-snooper", "foodbank-admin"}
    export = LogEntry.objects.get(seq=before)
    assert export.action == "log.read" and export.reason.startswith("Exported")


def test_csv_export_refuses_bad_filters(client, dpo, entries):
    sign_in(client, dpo)
    before = LogEntry.objects.count()
    response = client.get(reverse("console:dpo_access_csv", args=["council"]),
                          {"purpose": "curiosity"})
    assert response.status_code == 400
    assert "Choose a purpose from the list" in error_summary(response)
    assert LogEntry.objects.count() == before


# Agreements overview


def test_overview_lists_agreements_with_expiry_warnings(client, dpo, council, foodbank,
                                                        django_assert_max_num_queries):
    AgreementFactory(provider=council, recipient=foodbank, title="Ending soon",
                     valid_to=timezone.now() + timedelta(days=5))
    AgreementFactory(provider=foodbank, recipient=council, title="Long one")
    AgreementFactory(provider=council, recipient=foodbank, title="Expired one",
                     valid_to=timezone.now() - timedelta(days=2))
    AgreementFactory(provider=foodbank, recipient=OrganizationFactory(), title="Not ours")
    sign_in(client, dpo)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("console:dpo", args=["council"]))
    html = response.content.decode()
    assert "2 agreements need attention" in html
    assert "Ends in 4 days." in html or "Ends in 5 days." in html
    assert '<strong class="govuk-tag govuk-tag--red">Expired</strong>' in html
    assert "Long one" in html and "Not ours" not in html


def test_overview_is_for_the_dpo_only(client, council):
    sign_in(client, MembershipFactory(organization=council, role=Membership.Role.ADMIN).user)
    assert client.get(reverse("console:dpo", args=["council"])).status_code == 403
