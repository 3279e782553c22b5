"""`agora serve` as an operator runs it: gunicorn, WhiteNoise, production settings.

The rest of the suite talks to Django in-process; this starts the real server in a
subprocess on a free port, with its own SQLite database, and talks HTTP to it.
"""

import json
import os
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("serve-var")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="agora.settings",
        AGORA_SECRET_KEY="serve-test-" + "s" * 50,
        AGORA_VAR_DIR=str(var),
        AGORA_BASE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        DEBUG="0",
        AGORA_DEMO="0",
    )
    agora = [sys.executable, "-m", "agora.cli"]
    subprocess.run([*agora, "manage", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT,
                   check=True, timeout=180)
    process = subprocess.Popen(
        [*agora, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            process.terminate()
            pytest.fail("agora serve did not answer:\n" + process.communicate()[0].decode())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


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
