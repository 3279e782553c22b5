import pytest

from tests.api.helpers import make_client, make_organization


@pytest.fixture
def organization(db):
    return make_organization()


@pytest.fixture
def keyed(organization):
    """An active client of the organisation with the whoami scope and an Ed25519 key."""
    return make_client(organization)
