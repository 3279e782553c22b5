"""Shared fixtures. The suite runs on whichever database DATABASE_URL names."""

import pytest
from django.core.management import call_command

pytest_plugins = ["tests.smtp"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Add the database cache table, which sessions-free throttling and allauth rely on."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)
