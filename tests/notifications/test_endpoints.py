"""Endpoints must be safe to post to, and a misbehaving receiver cannot hold the sender."""

import pytest

from agora.notifications.endpoints import endpoint_check, post
from agora.notifications.exceptions import EndpointRefused
from tests.notifications.receiver import Receiver, free_port


@pytest.fixture
def loopback_allowed(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOK_READ_TIMEOUT = 1.0


@pytest.mark.parametrize(("url", "why"), [
    ("http://example.org/hook", "must use HTTPS"),
    ("ftp://example.org/hook", "https:// address"),
    ("https://10.1.2.3/hook", "private, loopback or link-local"),
    ("https://192.168.0.10/hook", "private, loopback or link-local"),
    ("https://169.254.169.254/latest", "private, loopback or link-local"),
    ("https://[fe80::1]/hook", "private, loopback or link-local"),
    ("https://[::ffff:10.0.0.1]/hook", "private, loopback or link-local"),
    ("https://127.0.0.1/hook", "private, loopback or link-local"),
    ("https://localhost/hook", "private, loopback or link-local"),
    ("https://user:pw@example.org/hook", "user name or password"),
    ("https://no-such-host.invalid/hook", "could not be found"),
    ("https://example.org:99999/hook", "not a valid URL"),
])
def test_unsafe_or_unresolvable_endpoints_are_refused_with_the_reason(settings, url, why):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(EndpointRefused, match=why) as refused:
        endpoint_check(url)
    assert refused.value.code == "webhook-endpoint-refused"
    assert refused.value.errors[0]["field"] == "url"


def test_the_loopback_setting_allows_this_machine_and_nothing_private(loopback_allowed):
    assert endpoint_check("http://127.0.0.1:8123/hook?x=1").path == "/hook?x=1"
    with pytest.raises(EndpointRefused, match="private"):
        endpoint_check("https://10.0.0.1/hook")
    with pytest.raises(EndpointRefused, match="only to this machine"):
        endpoint_check("http://93.184.215.14/hook")


def test_a_refused_connection_is_an_outcome_not_an_exception(loopback_allowed):
    outcome = post(f"http://127.0.0.1:{free_port()}/hook", b"{}", {})
    assert outcome.status_code is None and not outcome.ok
    assert "refused" in outcome.error.lower()


@pytest.mark.parametrize(("mode", "expect"), [
    ("redirect", "redirects are not followed"),
    ("hang", "timed out"),
    ("huge", "answered 500"),
])
def test_a_receiver_that_redirects_hangs_or_floods_fails_quickly(loopback_allowed, mode, expect):
    receiver = Receiver("whsec_" + "A" * 32, mode=mode).start()
    try:
        outcome = post(receiver.url, b"{}", {"content-type": "application/json"})
    finally:
        receiver.stop()
    assert not outcome.ok
    assert expect in outcome.error.lower()
    assert len(outcome.error) <= 500
