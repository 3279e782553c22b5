import pytest

from agora.demo.services import demo_load


@pytest.fixture
def riverton(db):
    """Riverton, loaded once into this test's database; the summary of the load."""
    return demo_load()
