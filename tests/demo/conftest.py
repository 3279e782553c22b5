import pytest

from agora.demo.services import demo_load


@pytest.fixture
def riverton(db):
    """Riverton without its months of reads (tests/demo/test_history.py loads those) and
    without the hub's documents (tests/demo/test_hub.py), loaded into this test's database;
    the summary of the load."""
    return demo_load(reads=False, hub=False)
