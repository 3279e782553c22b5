"""The demo's Open311 reporter: a fixed key, and a few reports filed on the first load."""

import pytest
from django.db.models import Count

from agora.cases.models import Case
from agora.cases.open311_keys import open311_key_client
from agora.demo.open311 import REPORTER_CLIENT, open311_demo_key
from agora.demo.services import demo_load
from tests.open311.helpers import street_service

pytestmark = pytest.mark.django_db


def test_the_reporter_app_reports_street_problems_with_its_key():
    street_service("pothole")
    street_service("street-light", form=None)
    plan = demo_load(reads=False, hub=False, requests=False).plan

    key = open311_demo_key(plan.seed)
    assert key == open311_demo_key(plan.seed) != open311_demo_key(plan.seed + 1)
    client = open311_key_client(key)
    assert (client.name, client.organization.slug) == (REPORTER_CLIENT, "northbank-tenants")
    reports = Case.objects.filter(channel="open311")
    assert dict(reports.values_list("service__code").annotate(n=Count("id"))) == {
        "pothole": 2, "street-light": 2}
    [theirs] = reports.exclude(person=None)
    assert theirs.person.user.email == theirs.reporter_email

    demo_load(reads=False, hub=False, requests=False)  # again: nothing more
    assert Case.objects.filter(channel="open311").count() == 4
