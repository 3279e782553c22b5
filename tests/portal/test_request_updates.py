"""“Your requests” counts what organisations added since the resident last opened each one."""

import re

import pytest

from agora.access.viewers import viewer_for_resident
from agora.cases.services import case_create, case_message_send, case_reply, case_status_change
from tests.cases.helpers import service_make, staff_of
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def unread(client) -> tuple[str, list[str]]:
    page = client.get("/requests/").content.decode()
    banner = re.search(r'id="unread">(.*?)</div>', page)
    return (banner.group(1) if banner else ""), re.findall(r"(\d+) new</strong>", page)


def test_new_updates_are_counted_until_the_request_is_opened(client):
    ann = UserFactory()
    PersonFactory(user=ann, email=ann.email)
    council = OrganizationFactory()
    me, staff = viewer_for_resident(ann), staff_of(council)
    case = case_create(viewer=me, service=service_make(council))
    client.force_login(ann)
    assert unread(client) == ("", [])  # the resident's own request is not news to them
    case_status_change(viewer=staff, reference=case.reference, status="in-progress")
    case_message_send(viewer=staff, reference=case.reference, text="Please call us")
    assert unread(client) == ("You have 2 new updates since you last looked.", ["2"])
    client.get(f"/requests/{case.reference}/")
    assert unread(client) == ("", [])
    case_reply(viewer=me, reference=case.reference, text="I will")  # their own: not new
    case_message_send(viewer=staff, reference=case.reference, text="Thank you")
    assert unread(client) == ("You have 1 new update since you last looked.", ["1"])


def menu(client, path: str = "/") -> str:
    page = client.get(path).content.decode()
    link = re.search(r'id="nav-requests">(?:<strong[^>]*>)?(.*?)(?:</strong>)?</a>', page)
    return link.group(1) if link else ""


def test_the_menu_counts_new_updates_on_every_page_until_each_request_is_opened(client):
    ann = UserFactory()
    PersonFactory(user=ann, email=ann.email)
    council = OrganizationFactory()
    me, staff = viewer_for_resident(ann), staff_of(council)
    first = case_create(viewer=me, service=service_make(council))
    second = case_create(viewer=me, service=service_make(council))
    client.force_login(ann)
    assert menu(client) == "Your requests"
    case_status_change(viewer=staff, reference=first.reference, status="in-progress")
    case_message_send(viewer=staff, reference=second.reference, text="Please call us")
    case_reply(viewer=me, reference=second.reference, text="I will")  # their own: not new
    assert menu(client) == "Your requests (2 new)"
    assert menu(client, "/account/") == "Your requests (2 new)"
    assert menu(client, "/requests/") == "Your requests (2 new)"  # the list marks nothing read
    # Opening a request reads its updates: its own page's menu already counts the rest.
    assert menu(client, f"/requests/{first.reference}/") == "Your requests (1 new)"
    client.get(f"/requests/{second.reference}/")
    assert menu(client) == "Your requests"


def test_the_menu_counts_only_the_signed_in_residents_requests(client):
    ann, bob = UserFactory(), UserFactory()
    PersonFactory(user=ann, email=ann.email)
    PersonFactory(user=bob, email=bob.email)
    council = OrganizationFactory()
    case = case_create(viewer=viewer_for_resident(ann), service=service_make(council))
    case_message_send(viewer=staff_of(council), reference=case.reference, text="Hello")
    client.force_login(bob)
    assert menu(client) == "Your requests"
    client.force_login(ann)
    assert menu(client) == "Your requests (1 new)"
    client.logout()
    assert menu(client) == ""  # no menu entry when signed out
