"""The demo's requests: every status, across organisations and residents, loaded once."""

import pytest

from agora.access.viewers import viewer_for_resident
from agora.cases.models import Case
from agora.cases.selectors import cases_for_resident
from agora.demo.cases import requests_by_resident
from agora.demo.services import demo_load
from agora.notifications.models import Event
from agora.people.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_in_every_status_and_loading_again_changes_nothing():
    summary = demo_load(reads=False, hub=False)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"received", "in-progress", "waiting-for-you", "approved", "refused", "completed",
            "withdrawn", "reported", "fixed"} <= statuses
    assert Case.objects.values("organization").distinct().count() >= 4
    assert Case.objects.values("person").distinct().count() >= 10
    assert Case.objects.filter(is_open=True, deadline__isnull=False).count()
    assert Case.objects.filter(referrals__status="pending").exists()
    count = Case.objects.count()
    assert count >= 300
    # The town's past is history: nothing waits to be emailed or sent to partners.
    assert Event.objects.filter(type="request.status_changed").count() >= 300
    assert not Event.objects.filter(dispatched_at__isnull=True).exists()
    demo_load(reads=False, hub=False)
    assert Case.objects.count() == count
    rows = requests_by_resident(summary.plan)
    email, _name, how_many, shown = rows[0]
    user = User.objects.get(email=email)
    mine = cases_for_resident(viewer=viewer_for_resident(user))
    assert len(mine) == how_many and mine[0].case.reference in shown
