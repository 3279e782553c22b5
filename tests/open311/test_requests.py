"""POST and GET requests, GET one request and tokens: what clients and residents see."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from agora.audit.models import LogEntry
from agora.cases.models import Case
from agora.cases.open311_keys import open311_key_issue, open311_key_revoke
from agora.cases.services import case_status_change
from agora.core.actors import SYSTEM
from tests.factories import ApiClientFactory, OrganizationFactory, PersonFactory, UserFactory
from tests.open311.helpers import assert_error, json_body, street_service, xml_root

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def pothole():
    return street_service("pothole")


@pytest.fixture
def reporting_app():
    """A community group's reporting app: not the council, but a member with a key."""
    client = ApiClientFactory(name="Fix Riverton",
                              organization=OrganizationFactory(name="Riverton Streets Group",
                                                               kind="community"))
    return client, open311_key_issue(actor=SYSTEM, client=client)[1]


def report(client, key, fmt="json", **fields):
    data = {"api_key": key, "service_code": "pothole", "lat": "51.501", "long": "-0.142",
            "description": "A deep pothole by the bus stop.", "attribute[size]": "large",
            "email": "walker@example.org", "first_name": "Sam", "last_name": "Walker",
            "phone": "01632 960123", **fields}
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_a_report_becomes_a_request_on_the_councils_queue(client, pothole, reporting_app):
    app, key = reporting_app
    response = report(client, key, **{"attribute[hazards][]": ["deep", "water"]})

    assert response.status_code == 200
    [created] = json_body(response)
    case = Case.objects.get()
    assert created["service_request_id"] == case.reference
    assert created["token"] == str(case.public_id)
    assert created["account_id"] is None
    assert "Riverton Council" in created["service_notice"]
    assert case.organization == pothole.provider  # the handling organisation's queue
    assert case.channel == "open311" and case.is_open and case.person is None
    assert (case.latitude, case.longitude) == (51.501, -0.142)
    assert (case.reporter_name, case.reporter_email) == ("Sam Walker", "walker@example.org")
    assert case.answers == {"size": "large", "hazards": ["deep", "water"]}
    entry = LogEntry.objects.get(action="case.create")
    assert entry.actor_kind == "client" and entry.resource_id == case.reference
    assert entry.organization == app.organization.slug


def test_a_report_in_xml_answers_in_xml(client, pothole, reporting_app):
    response = report(client, reporting_app[1], fmt="xml", lat=None, long=None,
                      address_string="Outside 4 Mill Lane")
    root = xml_root(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == Case.objects.get().reference
    assert request.findtext("account_id") == ""
    assert Case.objects.get().address == "Outside 4 Mill Lane"


def _resident(email: str, verified: bool):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return PersonFactory(user=user, email=email)


def test_a_verified_residents_report_is_in_their_requests(client, pothole, reporting_app):
    person = _resident("walker@example.org", verified=True)
    [created] = json_body(report(client, reporting_app[1], email="Walker@Example.org"))
    case = Case.objects.get()
    assert case.person == person
    link = LogEntry.objects.get(action="case.update")
    assert link.subject == str(person.public_id) and link.resource_id == case.reference
    assert created["account_id"] is None  # whether the email has an account is not said


def test_an_unverified_address_links_nobody(client, pothole, reporting_app):
    _resident("walker@example.org", verified=False)
    staff = UserFactory(email="staff@example.org", is_staff=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    PersonFactory(user=staff)
    report(client, reporting_app[1])
    report(client, reporting_app[1], email="staff@example.org")
    assert list(Case.objects.values_list("person", flat=True)) == [None, None]
    assert not LogEntry.objects.filter(action="case.update").exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_keys_are_refused_and_nothing_is_written(client, pothole, reporting_app, fmt):
    _app, key = reporting_app
    assert_error(report(client, "", fmt), 403, "invalid api_key", fmt)
    assert_error(report(client, key + "x", fmt), 403, "invalid api_key", fmt)
    assert_error(report(client, key, fmt, service_code="no-such"), 400, "no service", fmt)
    open311_key_revoke(actor=SYSTEM, prefix=key.split("_")[1])
    assert_error(report(client, key, fmt), 403, "invalid api_key", fmt)
    assert not Case.objects.exists() and not LogEntry.objects.exists()


@pytest.mark.parametrize("fields, status, words", [
    ({"service_code": "no-such"}, 400, "no service takes reports"),
    ({"service_code": ""}, 400, "service_code is missing"),
    ({"lat": None, "long": None}, 400, "no location"),
    ({"description": "x" * 4001}, 400, "at most 4,000"),
    ({"attribute[size]": None}, 400, "attribute[size]"),
    ({"attribute[size]": "enormous"}, 400, "must be one of"),
    ({"attribute[colour]": "red"}, 400, "no attribute colour"),
    ({"email": "nobody"}, 400, "not an email address"),
    ({"media_url": "ftp://example.org/x.jpg"}, 400, "media_url"),
])
def test_bad_reports_are_refused_and_nothing_is_written(client, pothole, reporting_app, fields,
                                                        status, words):
    assert_error(report(client, reporting_app[1], **fields), status, words)
    assert not Case.objects.exists() and not LogEntry.objects.exists()


def test_a_service_not_offered_over_open311_takes_no_reports(client, reporting_app):
    street_service("council-tax", location_based=False)
    street_service("pothole", status="draft", provider=OrganizationFactory())
    for code in ("council-tax", "pothole"):
        assert_error(report(client, reporting_app[1], service_code=code), 400, "no service")


def test_an_oversized_body_is_a_400_not_a_500(client, pothole, reporting_app, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_error(report(client, reporting_app[1], description="x" * 2000), 400, "too large")


def _two_reports(client, key):
    report(client, key, description="First", media_url="https://example.org/1.jpg")
    report(client, key, description="Second", email="other@example.org")
    return list(Case.objects.order_by("created_at"))


PRIVATE = ("walker@example.org", "Walker", "01632", "other@example.org", "Sam")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_public_reads_never_show_the_reporter(client, pothole, reporting_app, fmt):
    _two_reports(client, reporting_app[1])
    logged = LogEntry.objects.count()
    for path in (f"requests.{fmt}", f"requests/{Case.objects.first().reference}.{fmt}"):
        body = client.get(f"{BASE}/{path}").content.decode()
        assert not [word for word in PRIVATE if word in body], body
    assert LogEntry.objects.count() == logged  # nothing personal read, nothing logged


def test_requests_list_in_json(client, pothole, reporting_app):
    first, second = _two_reports(client, reporting_app[1])
    listed = json_body(client.get(f"{BASE}/requests.json"))
    assert [r["service_request_id"] for r in listed] == [second.reference, first.reference]
    item = listed[1]
    assert list(item) == [
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url"]
    assert item["status"] == "open"
    assert item["status_notes"] == "We have received your request."
    assert item["description"] == "First" and item["media_url"] == "https://example.org/1.jpg"
    assert item["agency_responsible"] == "Riverton Council"
    assert item["requested_datetime"][-6:] in ("+00:00", "+01:00")
    assert item["expected_datetime"] is not None
    assert (item["lat"], item["long"]) == (51.501, -0.142)


def test_a_residents_own_request_shows_only_place_service_and_status(client, pothole,
                                                                      reporting_app):
    _resident("walker@example.org", verified=True)
    report(client, reporting_app[1], description="Outside my house, number 12",
           media_url="https://example.org/my-house.jpg")
    [item] = json_body(client.get(f"{BASE}/requests.json"))
    assert item["description"] is None and item["media_url"] is None
    assert item["lat"] == 51.501 and item["status"] == "open"


def test_requests_list_in_xml(client, pothole, reporting_app):
    _two_reports(client, reporting_app[1])
    root = xml_root(client.get(f"{BASE}/requests.xml"))
    requests = root.findall("request")
    assert [r.findtext("description") for r in requests] == ["Second", "First"]
    assert requests[0].findtext("status") == "open"
    assert requests[0].find("media_url").text is None


def test_closed_requests_say_closed_with_the_residents_words(client, pothole, reporting_app):
    first, second = _two_reports(client, reporting_app[1])
    case_status_change(viewer=SYSTEM, reference=first.reference, status="completed")
    by_status = {s: [r["service_request_id"] for r in
                     json_body(client.get(f"{BASE}/requests.json?status={s}"))]
                 for s in ("open", "closed", "open,closed")}
    assert by_status["closed"] == [first.reference]
    assert by_status["open"] == [second.reference]
    assert len(by_status["open,closed"]) == 2
    [closed] = json_body(client.get(f"{BASE}/requests/{first.reference}.json"))
    assert closed["status"] == "closed"
    assert closed["status_notes"] == "We have done what you asked."
    assert closed["expected_datetime"] is None


def test_filters_by_ids_codes_and_dates(client, pothole, reporting_app):
    first, second = _two_reports(client, reporting_app[1])
    street_service("street-light", provider=pothole.provider)
    Case.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=30))

    def ids(query):
        return [r["service_request_id"] for r in
                json_body(client.get(f"{BASE}/requests.json?{query}"))]

    assert ids(f"service_request_id={first.reference},{second.reference.lower()},NOPE") == [
        second.reference, first.reference]
    assert ids("service_code=street-light") == []
    assert ids("service_code=pothole,street-light") == [second.reference, first.reference]
    week_ago = (timezone.now() - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={week_ago}") == [second.reference]
    assert ids(f"end_date={week_ago}") == [first.reference]
    long_ago = (timezone.now() - timedelta(days=300)).strftime("%Y-%m-%dT%H:%M:%S+01:00")
    assert ids(f"start_date={long_ago.replace('+', '%2B')}") == []


@pytest.mark.parametrize("query, words", [
    ("start_date=2026-01-01", "W3C date and time"),
    ("end_date=tomorrow", "W3C date and time"),
    ("start_date=2026-03-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "before start_date"),
    ("start_date=2025-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "more than 90 days"),
    ("status=pending", "status must be open, closed"),
    ("service_code=no-such", "no service has the service_code"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_searches_are_400(client, pothole, query, words, fmt):
    assert_error(client.get(f"{BASE}/requests.{fmt}?{query}"), 400, words, fmt)


def test_one_request_is_a_list_of_one(client, pothole, reporting_app):
    first, _ = _two_reports(client, reporting_app[1])
    listed = json_body(client.get(f"{BASE}/requests/{first.reference.lower()}.json"))
    assert [r["service_request_id"] for r in listed] == [first.reference]
    root = xml_root(client.get(f"{BASE}/requests/{first.reference}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        first.reference]
    assert_error(client.get(f"{BASE}/requests/RIV-1999-000001.json"), 404, "no street-problem")


def test_requests_that_are_not_street_problems_are_not_there(client, pothole):
    from agora.access.viewers import viewer_for_resident
    from agora.cases.services import case_create

    user = UserFactory()
    PersonFactory(user=user)
    tax = street_service("council-tax", location_based=False, provider=pothole.provider)
    case = case_create(viewer=viewer_for_resident(user), service=tax)
    assert json_body(client.get(f"{BASE}/requests.json")) == []
    assert_error(client.get(f"{BASE}/requests/{case.reference}.json"), 404, "no street-problem")
    assert_error(client.get(f"{BASE}/tokens/{case.public_id}.json"), 404, "no report")


def test_the_handling_organisations_key_reads_the_whole_request_logged(client, pothole,
                                                                        reporting_app):
    _resident("walker@example.org", verified=True)
    report(client, reporting_app[1], description="Outside my house, number 12")
    case = Case.objects.get()
    council_key = open311_key_issue(actor=SYSTEM,
                                    client=ApiClientFactory(organization=pothole.provider))[1]
    url = f"{BASE}/requests/{case.reference}.json?api_key="
    [whole] = json_body(client.get(url + council_key))
    assert whole["description"] == "Outside my house, number 12"
    read = LogEntry.objects.get(action="case.read")
    assert read.decision == "permit" and read.subject == str(case.person.public_id)

    [public] = json_body(client.get(url + reporting_app[1]))  # not the handler: public view
    assert public["description"] is None
    assert_error(client.get(url + "o311_nope"), 403, "invalid api_key")


def test_tokens_give_the_request_id(client, pothole, reporting_app):
    [created] = json_body(report(client, reporting_app[1]))
    [found] = json_body(client.get(f"{BASE}/tokens/{created['token']}.json"))
    assert found == {"service_request_id": created["service_request_id"],
                     "token": created["token"]}
    root = xml_root(client.get(f"{BASE}/tokens/{created['token']}.xml"))
    assert root.find("request").findtext("service_request_id") == created["service_request_id"]
    assert_error(client.get(f"{BASE}/tokens/not-a-token.json"), 404, "no report")


def test_the_list_takes_a_fixed_number_of_queries(client, pothole, reporting_app,
                                                 django_assert_max_num_queries):
    for _ in range(5):
        report(client, reporting_app[1])
    with django_assert_max_num_queries(2):
        assert len(json_body(client.get(f"{BASE}/requests.json"))) == 5


@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data", b"--x\r\nnonsense"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\n"),
    ("application/json", b'{"api_key": "o311_x"}'),
    ("application/x-www-form-urlencoded", b"api_key=%ff%fe&service_code=\xff"),
])
def test_unreadable_bodies_are_4xx_never_500(client, pothole, content_type, body):
    response = client.generic("POST", f"{BASE}/requests.json", body, content_type=content_type)
    assert response.status_code in (400, 403)
    assert json_body(response)[0]["code"] == response.status_code


def test_too_many_fields_is_a_400(client, pothole, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = "&".join(f"attribute[a{n}]=1" for n in range(20))
    response = client.generic("POST", f"{BASE}/requests.json", fields,
                              content_type="application/x-www-form-urlencoded")
    assert_error(response, 400, "could not be read")


def test_reports_show_on_the_queue_and_in_the_reporters_requests(client, pothole,
                                                                 reporting_app):
    from agora.access.viewers import viewer_for_resident, viewer_for_staff
    from agora.cases.selectors import case_queue, cases_for_resident
    from agora.organizations.models import Membership
    from tests.factories import MembershipFactory

    person = _resident("walker@example.org", verified=True)
    [created] = json_body(report(client, reporting_app[1]))
    report(client, reporting_app[1], email="someone-else@example.org")

    mine = cases_for_resident(viewer=viewer_for_resident(person.user))
    assert [item.case.reference for item in mine] == [created["service_request_id"]]
    caseworker = MembershipFactory(organization=pothole.provider,
                                   role=Membership.Role.CASEWORKER).user
    queue = case_queue(viewer=viewer_for_staff(caseworker, pothole.provider))
    assert queue.open == 2
    assert created["service_request_id"] in [item.case.reference for item in queue.items]
    # The queue's log entry names the resident, so they see who listed their report.
    assert LogEntry.objects.filter(action="case.list", subject=str(person.public_id),
                                   resource_id=created["service_request_id"]).exists()
