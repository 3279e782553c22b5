"""Fixtures for the sign-in journeys, which send real mail over SMTP."""

import pytest
from django.test import Client

from tests.smtp import smtp_server  # noqa: F401 (fixture; until tests.smtp is a plugin)


@pytest.fixture
def client_factory():
    """Return a function that opens another browser: a client with its own cookies."""
    return Client
