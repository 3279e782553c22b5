"""The catalogue's public pages and "Check what you can get", without JavaScript."""

import pytest

from agora.access.models import DataCategory
from agora.audit.models import LogEntry
from tests.catalog.helpers import FORM, RULE, add_service
from tests.factories import PersonFactory, RecordFactory, UserFactory

PENSION = {"and": [{">=": [{"var": "age"}, 66]}, {"var": "lives_in_riverton"}]}


@pytest.fixture
def catalogue(council, foodbank):
    add_service(council, "school-uniform-grant", "School uniform grant", topics=["schools"],
                rule=RULE, form=FORM, summary="Help with the cost of school uniform.",
                target_days=10, who_for="Families in Riverton with school-age children.")
    add_service(council, "pensioner-bus-pass", "Older person's bus pass",
                topics=["schools"], rule=PENSION)
    add_service(foodbank, "food-parcels", "Food parcels", topics=["food-support"],
                summary="Three days of food.")
    add_service(council, "pothole", "Report a pothole", topics=["report-a-street-problem"],
                location_based=True)


def test_a_service_page_says_who_provides_it_what_it_takes_and_costs(client, catalogue):
    page = client.get("/services/school-uniform-grant/").content.decode()
    assert "School uniform grant" in page and "Riverton Council" in page
    assert "Usually within 10 days" in page and "Free" in page
    assert "How many children under 16 live with you? (needs at least 1)" in page
    assert "You live in Riverton" in page
    assert client.get("/services/nothing-here/").status_code == 404
    index = client.get("/services/").content.decode()
    assert "Food parcels" in index and "Report a pothole" in index


def test_a_service_with_a_form_leads_to_its_application_and_others_do_not(client, catalogue):
    page = client.get("/services/school-uniform-grant/").content.decode()
    assert 'href="/services/school-uniform-grant/apply/"' in page
    start = client.get("/services/school-uniform-grant/apply/")
    assert start.status_code == 200 and "School uniform grant" in start.content.decode()
    for code in ("food-parcels", "pothole"):
        assert "/apply/" not in client.get(f"/services/{code}/").content.decode()


def test_a_topic_page_lists_the_services_of_the_topic_and_its_sub_topics(client, catalogue):
    page = client.get("/topics/struggling-with-bills/").content.decode()
    assert "Food parcels" in page and "Riverton Food Bank" in page
    assert "School uniform grant" not in page
    assert "/check/?topic=struggling-with-bills" in page


def test_the_check_asks_only_what_the_topics_services_need_then_explains(client, catalogue):
    response = client.post("/check/", {"topic": "schools"})
    assert response.status_code == 302
    asked = []
    answers = {"children_under_16": "2", "lives_in_riverton": "yes", "age": "40"}
    while response["Location"].startswith("/check/question/"):
        key = response["Location"].split("/")[3]
        asked.append(key)
        page = client.get(response["Location"]).content.decode()
        assert "Question " in page
        response = client.post(response["Location"], {"answer": answers[key]})
    assert asked == ["lives_in_riverton", "age", "children_under_16"]
    assert response["Location"] == "/check/results/"
    results = client.get("/check/results/").content.decode()
    may, _, rest = results.partition("Services that probably do not apply")
    assert "School uniform grant" in may
    assert "You told us you have 2 children under 16 (needs at least 1) — <strong>met" in may
    assert "Older person&#x27;s bus pass" in rest
    assert "You told us you are 40 (needs at least 66) — <strong>not met" in rest
    assert "Report a pothole" not in results and "Food parcels" not in results


def test_a_wrong_answer_is_shown_in_the_error_summary_and_not_kept(client, catalogue):
    client.post("/check/", {"topic": "schools"})
    response = client.post("/check/question/age/", {"answer": "forty"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Enter a whole number, like 2" in page
    assert page.count("Enter a whole number") == 2  # summary and field
    assert client.get("/check/question/shoe_size/").status_code == 404
    assert client.get("/check/results/")["Location"].startswith("/check/question/")


def test_a_resident_may_let_their_records_answer_and_each_read_is_logged(client, catalogue):
    user = UserFactory()
    person = PersonFactory(user=user)
    RecordFactory(subject=person, category=DataCategory.objects.get(code="household"),
                  owner__name="Riverton Council",
                  fields={"address": "1 River Street", "children": 3, "adults": 2})
    client.force_login(user)
    response = client.post("/check/", {"topic": "schools"})
    assert response["Location"] == "/check/your-records/"
    response = client.post("/check/your-records/", {"use_records": "yes"})
    assert response["Location"] == "/check/question/age/"  # the records answered the rest
    client.post("/check/question/age/", {"answer": "70"})
    results = client.get("/check/results/").content.decode()
    assert "The records of Riverton Council say you have 3 children under 16" in results
    assert LogEntry.objects.filter(action="record.read", subject=str(person.public_id)).count() == 1
    client.get("/check/results/")
    assert LogEntry.objects.filter(action="record.read").count() == 1  # read once, not per page


def test_saying_no_to_records_reads_nothing(client, catalogue):
    user = UserFactory()
    PersonFactory(user=user)
    client.force_login(user)
    client.post("/check/", {"topic": "schools"})
    response = client.post("/check/your-records/", {"use_records": "no"})
    assert response["Location"] == "/check/question/lives_in_riverton/"
    assert not LogEntry.objects.filter(action__startswith="record.").exists()
