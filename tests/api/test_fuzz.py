"""Fuzz the running API from its own OpenAPI document with schemathesis.

The document is loaded through the WSGI app when the module is collected (so pytest
knows the operations); the requests themselves go over HTTP to `live_server`, each
signed with a fresh token (replays are refused, so a token is never reused). Every
check schemathesis has runs: no 5xx, responses that match the documented schemas,
documented status codes and content types, and more.

(`schemathesis.pytest.from_fixture` would load the document from the live server,
but its lazy loader does not work with pytest 9.2's node ids.)
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from agora.organizations.scopes import SCOPES
from tests.api.helpers import KeyedClient, make_client, token_for

# A purpose the platform knows, so the exchange API answers past its purpose check.
FUZZ_PURPOSE = "benefit-assessment"

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

_current: dict[str, KeyedClient] = {}


@pytest.fixture
def fuzz_client(live_server, transactional_db):
    load_vocabulary(DataCategory, Purpose)  # a transactional test may have flushed it
    _current["client"] = make_client(scopes=tuple(SCOPES))  # every operation is reached
    yield _current["client"]
    _current.clear()


@schema.auth(refresh_interval=None)
class FreshToken:
    """A new signed token for every generated request."""

    def get(self, case, ctx):
        keyed = _current.get("client")  # None while pytest collects the tests
        return token_for(keyed, purpose=FUZZ_PURPOSE) if keyed else None

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


# Operations whose valid input depends on more than one parameter, which OpenAPI cannot
# state: a consistency proof needs first <= second; a published file must be a readable
# PDF, Word, HTML, Markdown, text, CSV or JSON file (OpenAPI only says "binary"); a
# request must be for a service of the client's own organisation, a status change must
# name the version it read and be a move the service's status model allows, and a message
# needs text (the kind of entry decides which fields it needs); a service's topics must
# be known topics, its rule JSON Logic over the declared questions, its form a valid JSON
# Schema and its address and email real ones (Django's own URL and email checks); a
# webhook endpoint must be an https address whose host resolves to public addresses only.
# Schemathesis' "schema-valid request rejected" check would flag the documented 422;
# every other check still runs on them.
RULES_BEYOND_THE_SCHEMA = {
    "/api/v1/audit/proofs/consistency", "/api/v1/documents", "/api/v1/cases",
    "/api/v1/cases/{reference}/status", "/api/v1/cases/{reference}/events",
    "/api/v1/services", "/api/v1/services/{code}",
    "/api/v1/webhooks/subscriptions",
}


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # one client for the whole pass is intended
    ],
)
def test_api_conforms_to_its_document(case, live_server, fuzz_client):
    excluded = []
    if case.operation.path in RULES_BEYOND_THE_SCHEMA:
        excluded.append(positive_data_acceptance)
    case.call_and_validate(base_url=live_server.url, excluded_checks=excluded)
