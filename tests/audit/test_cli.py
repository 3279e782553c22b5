"""`agora audit verify` and `agora audit sign-head`, run in-process."""

import pytest
from django.db import connection
from typer.testing import CliRunner

from agora.audit.models import TreeHead
from agora.cli import app
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db
runner = CliRunner()


def agora(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_sign_head_then_verify_succeeds():
    append(12, batch=5)
    result = agora("audit", "sign-head")
    assert result.exit_code == 0, result.output
    assert "size 12" in result.output and TreeHead.objects.filter(size=12).exists()
    result = agora("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "12 entries" in result.output and "1 signed tree heads" in result.output


def test_verify_exits_1_naming_the_first_bad_entry():
    append(9)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_logentry SET purpose = 'marketing' WHERE seq = 4")
    result = agora("audit", "verify")
    assert result.exit_code == 1
    assert "edited at entry 4" in result.output
