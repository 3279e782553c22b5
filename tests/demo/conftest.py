import pytest

from agora.demo.services import demo_load


@pytest.fixture
def riverton(db):
    """Riverton without its months of reads (tests/demo/test_history.py loads those),
    the hub's documents (tests/demo/test_hub.py) and the requests (tests/demo/test_cases.py,
    five times the rest of the load), loaded into this test's database; the summary."""
    return demo_load(reads=False, hub=False, requests=False)
