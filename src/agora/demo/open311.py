"""Riverton's Open311 reporter: the tenants' association's street-reporting app and its key.

Northbank Tenants' Association runs a small app that reports street problems to the
council over Open311. Its key is fixed for the demo seed (printed by `agora demo load`
and used in the README), and on the first load it files a few reports to the published
street-problem services, through the same path as a real POST, one of them by a resident
whose verified email makes it theirs.
"""

import base64
import hashlib
import hmac
from collections.abc import Callable

from django.http import QueryDict

from agora.cases.open311 import report_create
from agora.cases.open311_keys import open311_key_import
from agora.cases.open311_models import Open311Key
from agora.cases.open311_services import attributes_from_schema, open311_services
from agora.core.actors import SYSTEM
from agora.demo.generator import TownPlan
from agora.organizations.keys import keypair_generate
from agora.organizations.models import ApiClient, Organization
from agora.organizations.services import apiclient_create

REPORTER_ORG = "northbank-tenants"
REPORTER_CLIENT = "Northbank street reporter"

# Places in Riverton (WGS84) and what people say about them.
_PLACES = [
    (51.4613, -0.3021, "Corner of Mill Lane and Quay Street", "Right by the bus stop."),
    (51.4627, -0.2987, "Outside the library, Northbank Road", "Getting worse after the rain."),
    (51.4598, -0.3055, "Riverside path near the footbridge", "Hard to see after dark."),
    (51.4641, -0.3002, "Station Approach, taxi rank", "Cyclists swerve round it."),
]


def open311_demo_key(seed: int) -> str:
    """Return the demo reporter's key for this seed, the same on every machine. Demo only."""
    secret = f"riverton-demo-{seed}".encode()
    prefix = hmac.new(secret, b"open311-prefix", hashlib.sha256).hexdigest()[:8]
    body = base64.urlsafe_b64encode(hmac.new(secret, b"open311", hashlib.sha256).digest())
    return f"o311_{prefix}_{body.rstrip(b'=').decode('ascii')}"


def _client(organization: Organization) -> ApiClient:
    client = ApiClient.objects.filter(organization=organization, name=REPORTER_CLIENT).first()
    if client is None:
        # The app reports only over Open311; its signing key is never used, so it is dropped.
        client = apiclient_create(actor=SYSTEM, organization=organization, name=REPORTER_CLIENT,
                                  public_jwk=keypair_generate()[1], scopes=["whoami"])
    return client


def _form(key: str, service, index: int, email: str) -> QueryDict:
    lat, long, address, words = _PLACES[index % len(_PLACES)]
    form = QueryDict(mutable=True)
    form.update({"api_key": key, "service_code": service.code, "lat": str(lat),
                 "long": str(long), "address_string": address,
                 "description": f"{service.name}: {words}",
                 "email": email or f"reporter{index}@northbank.example",
                 "first_name": "Northbank", "last_name": f"Reporter {index}"})
    for attribute in attributes_from_schema(service.form_schema):
        if attribute.required and attribute.values:
            choice = attribute.values[index % len(attribute.values)]
            form[f"attribute[{attribute.code}]"] = choice[0]
    return form


def open311_load(*, plan: TownPlan, step: Callable[[str], None]) -> None:
    """Give the reporter app its key and, the first time, file a few street reports."""
    organization = Organization.objects.get(slug=REPORTER_ORG)
    client = _client(organization)
    key = open311_demo_key(plan.seed)
    first_time = not Open311Key.objects.filter(client=client).exists()
    open311_key_import(actor=SYSTEM, client=client, key=key)
    step("Open311 reporter and its key")
    if not first_time:
        return
    # A resident with an account (its email verified by the demo) reports one of them.
    resident = next((member.account.email for household in plan.households
                     for member in household.members if member.account), "")
    services = [service for service in open311_services()
                if all(not a.required or a.values for a in
                       attributes_from_schema(service.form_schema))][:4]
    for number in range(2 * len(services)):
        email = resident if number == 0 else ""
        report_create(form=_form(key, services[number // 2], number, email))
