"""The webhooks API: a partner's system subscribes, rotates, pauses, reads and replays."""

import pytest
from standardwebhooks import Webhook

from agora.notifications.models import Delivery, Subscription
from agora.notifications.outbox import event_fan_out
from agora.notifications.wire import message_for
from tests.api.helpers import assert_problem, make_client, make_organization
from tests.notifications.helpers import event_announce

pytestmark = pytest.mark.django_db

BASE = "/api/v1/webhooks/subscriptions"


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True


@pytest.fixture
def council():
    return make_organization("riverton-council")


@pytest.fixture
def keyed(council):
    return make_client(council, scopes=("webhooks:manage",))


def post(client, keyed, path, body=None):
    return client.post(path, body or {}, content_type="application/json", **keyed.headers())


def test_a_partner_subscribes_and_gets_the_secret_once(client, keyed):
    response = post(client, keyed, BASE, {"url": "http://127.0.0.1:8999/agora",
                                          "event_types": ["request.created"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["status"] == "active"
    assert body["waiting"] == 0 and body["dead"] == 0
    read = client.get(f"{BASE}/{body['id']}", **keyed.headers()).json()
    listed = client.get(BASE, **keyed.headers()).json()
    assert "secret" not in read and [s["id"] for s in listed] == [body["id"]]


@pytest.mark.parametrize(("body", "code", "detail"), [
    ({"url": "http://partner.example/hook", "event_types": ["request.created"]},
     "webhook-endpoint-refused", "must use HTTPS"),
    ({"url": "https://172.16.0.9/hook", "event_types": ["request.created"]},
     "webhook-endpoint-refused", "private"),
    ({"url": "https://no-such-host.invalid/hook", "event_types": ["request.created"]},
     "webhook-endpoint-refused", "could not be found"),
    ({"url": "https://partner.example/hook", "event_types": ["request.teleported"]},
     "unknown-event-type", "Unknown event type request.teleported"),
])
def test_bad_input_is_a_problem_naming_the_field(client, keyed, settings, body, code, detail):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    problem = assert_problem(post(client, keyed, BASE, body), 422, code)
    assert detail in problem["detail"]
    assert problem["errors"][0]["field"] in ("url", "event_types")
    assert not Subscription.objects.exists()


def test_the_scope_is_required_and_other_organisations_webhooks_do_not_exist(client, keyed):
    other = make_client(make_organization("riverton-food-bank"), scopes=("webhooks:manage",))
    created = post(client, other, BASE, {"url": "http://127.0.0.1:8999/x",
                                         "event_types": ["consent.withdrawn"]}).json()
    assert_problem(client.get(f"{BASE}/{created['id']}", **keyed.headers()), 404, "not-found")
    assert_problem(post(client, keyed, f"{BASE}/{created['id']}/pause"), 404, "not-found")
    assert client.get(BASE, **keyed.headers()).json() == []
    unscoped = make_client(make_organization("riverton-library"), scopes=("whoami",))
    assert_problem(client.get(BASE, **unscoped.headers()), 403, "scope-not-granted")


def test_rotate_pause_resume_deliveries_and_replay(client, keyed, council):
    created = post(client, keyed, BASE, {"url": "http://127.0.0.1:8999/agora",
                                         "event_types": ["request.status_changed"]}).json()
    path = f"{BASE}/{created['id']}"
    rotated = post(client, keyed, f"{path}/rotate-secret").json()
    subscription = Subscription.objects.get()
    event = event_announce(council)
    body, headers = message_for(event, subscription, subscription.updated_at)
    Webhook(created["secret"]).verify(body.decode(), headers)  # the old one, in the overlap
    Webhook(rotated["secret"]).verify(body.decode(), headers)
    assert post(client, keyed, f"{path}/pause").json()["status"] == "paused"
    event_fan_out(event.pk)
    assert post(client, keyed, f"{path}/resume").json()["waiting"] == 1
    Delivery.objects.update(status="dead", last_error="The endpoint answered 502: bad gateway")
    (dead,) = client.get(f"{path}/deliveries?status=dead", **keyed.headers()).json()
    assert dead["event_id"] == str(event.id) and "502" in dead["last_error"]
    assert post(client, keyed, f"{path}/replay", {"deliveries": [dead["id"]]}).json() == {
        "replayed": 1}
    assert client.get(f"{path}/deliveries", **keyed.headers()).json()[0]["status"] == "pending"
    Delivery.objects.update(status="dead")
    assert post(client, keyed, f"{path}/dismiss", {}).json() == {"dismissed": 1}
    assert client.get(f"{path}/deliveries", **keyed.headers()).json() == []
    assert post(client, keyed, f"{path}/dismiss", {}).json() == {"dismissed": 0}
