"""Shared fixtures. The suite runs on whichever database DATABASE_URL names."""

import pytest
from django.core.management import call_command

pytest_plugins = ["tests.smtp"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Add the database cache table, which sessions-free throttling and allauth rely on."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def key_dir(settings, tmp_path):
    """Point `agora keys rotate` at a folder of this test's own (the ring is in the test DB)."""
    settings.PLATFORM_KEY_DIR = str(tmp_path / "platform-keys")
    return tmp_path / "platform-keys"
