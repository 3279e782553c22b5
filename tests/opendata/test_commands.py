"""`agora opendata statistics`: refresh each organisation's request statistics, say what changed."""

import pytest
from typer.testing import CliRunner

from agora.cli import app
from tests.api.helpers import make_organization
from tests.cases.helpers import service_make
from tests.opendata.test_statistics import requests

pytestmark = pytest.mark.django_db


def test_the_command_refreshes_then_finds_nothing_changed():
    council = make_organization("riverton-council")
    requests(service_make(council), 10, month=1, status="closed", days=3)
    runner = CliRunner()
    first = runner.invoke(app, ["opendata", "statistics"], env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "requests-riverton-council: refreshed" in first.output
    again = runner.invoke(app, ["opendata", "statistics"], env={"COLUMNS": "200"})
    assert "requests-riverton-council: unchanged" in again.output
