"""An organisation that runs challenges, its runner, residents, and a challenge."""

from datetime import date

from agora.challenges import services
from agora.challenges.models import Challenge, Phase
from agora.core.actors import SYSTEM
from agora.organizations.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory
from tests.opendata.helpers import topic


def council():
    return OrganizationFactory(name="Riverton Council", slug="council")


def runner(organization, role=Membership.Role.PUBLISHER):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def resident(**person):
    """Return a signed-up resident's user, linked to their person."""
    user = UserFactory()
    PersonFactory(user=user, email=user.email, **person)
    return user


def challenge(organization, slug="safer-crossings", *, phase=Phase.GATHER, **fields):
    opened = services.challenge_open(actor=SYSTEM, organization=organization,
                                     data=services.ChallengeInput(**{
                                         "slug": slug, "title": "Safer crossings near schools",
                                         "summary": "Where should the next crossings go?",
                                         "topic": topic("roads", "Roads and pavements"),
                                         "propose_from": date(2027, 1, 1),
                                         "prioritise_from": date(2027, 2, 1),
                                         "respond_from": date(2027, 3, 1),
                                         "track_from": date(2027, 4, 1), **fields}))
    Challenge.objects.filter(pk=opened.pk).update(phase=phase)
    opened.refresh_from_db()
    return opened


def propose(challenge, author, title="A crossing on Mill Lane", **fields):
    return services.proposal_submit(actor=author, challenge=challenge, data=services.ProposalInput(
        title=title, body=fields.pop("body", "Children cross there every morning."), **fields))
