"""`agora serve` as an operator runs it: gunicorn, WhiteNoise, production settings.

The rest of the suite talks to Django in-process; this starts the real server in a
subprocess on a free port, with its own SQLite database, and talks HTTP to it.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _environment(var: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="agora.settings",
        AGORA_SECRET_KEY="serve-test-" + "s" * 50,
        AGORA_VAR_DIR=str(var),
        AGORA_BASE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        DEBUG="0",
        AGORA_DEMO="0",
        AGORA_TREE_HEAD_INTERVAL="1",
    )
    return env


AGORA = [sys.executable, "-m", "agora.cli"]


def _start(var: Path, **popen) -> tuple[subprocess.Popen, str, dict[str, str]]:
    """Migrate a fresh SQLite database under `var`, start `agora serve`, wait till it answers."""
    port = _free_port()
    env = _environment(var, port)
    subprocess.run([*AGORA, "manage", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT,
                   check=True, timeout=180)
    log = (var / "serve.log").open("wb")  # a file, not a pipe nobody reads, that could fill
    process = subprocess.Popen(
        [*AGORA, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, **popen,
    )
    base = f"http://127.0.0.1:{port}"
    # `serve` first collects and compresses every static file into the fresh var: on a
    # loaded 2-core machine (both database runs side by side) that alone took over 60 s.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if _get(base + "/healthz")[0] == 200:
                return process, base, env
        except OSError:
            time.sleep(0.3)
    process.terminate()
    process.wait(timeout=30)
    pytest.fail("agora serve did not answer:\n" + (var / "serve.log").read_text())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the module, in a process group of its own as a shell would start it
    (the last test presses Ctrl-C on it)."""
    var = tmp_path_factory.mktemp("serve-var")
    process, base, env = _start(var, start_new_session=True)
    try:
        yield process, base, env, var
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(served):
    return served[1]


def test_the_home_page_and_its_static_files_are_served(server):
    status, headers, body = _get(server + "/")
    assert status == 200
    assert b"govuk-template" in body
    assert "Content-Security-Policy" in headers
    css_status, css_headers, _ = _get(server + "/static/agora/agora.css")
    assert css_status == 200
    assert css_headers["Content-Type"].startswith("text/css")


def test_readyz_reports_the_database(server):
    status, _, body = _get(server + "/readyz")
    assert status == 200
    assert json.loads(body)["database"] == "ok"


def test_eight_kilobytes_of_junk_in_the_token_get_a_problem_not_a_server_error(server):
    status, headers, body = _get(
        server + "/api/v1/whoami", {"Authorization": "Bearer " + "j" * 8192}
    )
    assert status == 401
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["type"].endswith("/problems/invalid-token")


def test_an_unknown_api_route_is_a_problem_on_the_real_server(server):
    status, headers, body = _get(server + "/api/v1/no-such-thing")
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["status"] == 404


def _tree_size(base: str) -> int | None:
    status, _, body = _get(base + "/api/v1/audit/tree-head")
    return json.loads(body)["tree_size"] if status == 200 else None


def _wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    return condition()


def test_the_worker_beside_gunicorn_signs_heads_on_their_cadence(served):
    _, base, env, _ = served
    assert _wait_for(lambda: _tree_size(base) is not None), "no head was signed at start"
    append = ("import django; django.setup()\n"
              "from agora.audit.services import AuditActor, log_append\n"
              "for n in range(3): log_append(actor=AuditActor(kind='system', id='cli'), "
              "action='log.read', decision='permit', reason='serve test')\n")
    subprocess.run([sys.executable, "-c", append], env=env, cwd=ROOT, check=True, timeout=60)
    # Reading the head signs nothing; the worker's next tick (1 s here) does.
    assert _wait_for(lambda: (_tree_size(base) or 0) >= 3), "the cadence signed no new head"


def test_ctrl_c_stops_gunicorn_and_the_worker(served):
    """Last in the module: it stops the module's server."""
    process, base, _, var = served
    group = os.getpgid(process.pid)
    assert _wait_for(lambda: _tree_size(base) is not None), "the worker signed no head"
    os.killpg(group, signal.SIGINT)  # what a terminal does on Ctrl-C
    assert process.wait(timeout=30) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            break  # nobody of the group is left: gunicorn and the worker stopped
        time.sleep(0.2)
    else:
        os.killpg(group, signal.SIGKILL)
        pytest.fail("a process of agora serve outlived Ctrl-C:\n" + (var / "serve.log").read_text())
    log = (var / "serve.log").read_text()
    assert "Shutting down: Master" in log and "shutting down gracefully" in log
