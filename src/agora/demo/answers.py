"""Riverton's part of the answers: one question the guidance could not answer, handed over.

The first demo resident with an account asked something the published guidance does not
say, sent it to a person from the ask page, and a council caseworker has replied. The
reply is not yet published as a frequently asked question: a council publisher can do it
from the request's page in the console, and the next person who asks gets the answer.
"""

from collections.abc import Callable

from agora.access.viewers import viewer_for_resident, viewer_for_staff
from agora.answers.services import ENQUIRY_PREFIX, question_handover
from agora.cases.models import Case
from agora.cases.services import case_message_send
from agora.demo.generator import TownPlan
from agora.organizations.models import Organization
from agora.people.models import User

QUESTION = "can i put a skip on the road outside my house"
TOPIC = "bins-and-street-problems"
REPLY = ("Yes, with a skip licence from the council. Apply online at least 5 working days "
         "before the skip arrives; a licence costs £60 for 14 days.")
COUNCIL = "riverton-borough-council"


def answers_load(*, plan: TownPlan, step: Callable[[str], None]) -> None:
    """Hand one resident's question to the council and reply to it, once."""
    email = next((member.account.email for household in plan.households
                  for member in household.members if member.account), "")
    resident = User.objects.filter(email=email).first()
    caseworker = next((account.email for account in plan.staff
                       if account.organisation == COUNCIL and "caseworker" in account.roles), "")
    staff = User.objects.filter(email=caseworker).first()
    if resident is None or staff is None or Case.objects.filter(
            person__user=resident, service__code__startswith=ENQUIRY_PREFIX).exists():
        return
    case = question_handover(viewer=viewer_for_resident(resident), question=QUESTION,
                             topic_slug=TOPIC)
    council = Organization.objects.get(slug=COUNCIL)
    case_message_send(viewer=viewer_for_staff(staff, council), reference=case.reference,
                      text=REPLY)
    step("A question handed over to the council")
