import pytest

from agora.demo.services import demo_load


@pytest.fixture
def riverton(db):
    """Riverton, loaded once into this test's database; the summary of the load.

    Without the hub's documents (tests/demo/test_hub.py loads them), which add seconds.
    """
    return demo_load(hub=False)
