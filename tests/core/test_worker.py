"""`agora worker`: a backend it cannot use is one clear line and exit 1, not a traceback."""

import socket

import pytest
from typer.testing import CliRunner

from agora.audit.models import TreeHeadSchedule
from agora.cli import app

pytestmark = pytest.mark.django_db


def test_a_redis_nobody_answers_is_named_and_nothing_is_scheduled(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    settings.TASKS_BACKEND, settings.REDIS_URL = "redis", url
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    result = CliRunner().invoke(app, ["worker", "--batch"], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert f"The worker cannot use Redis at {url}" in result.output
    assert "Traceback" not in result.output
    assert not TreeHeadSchedule.objects.exclude(token="").exists()  # the seed rolled back
