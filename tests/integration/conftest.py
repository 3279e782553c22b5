"""Fixtures for the sign-in journeys, which send real mail over SMTP."""

import pytest
from django.test import Client


@pytest.fixture
def client_factory():
    """Return a function that opens another browser: a client with its own cookies."""
    return Client
