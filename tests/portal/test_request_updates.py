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
