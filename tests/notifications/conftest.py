"""Fixtures the notification tests share: a real Redis for the RQ backend's runs."""

import shutil
import subprocess
import time

import pytest
import redis

from tests.notifications.receiver import free_port


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """Run a real Redis on a free port for the session (fakeredis when none is installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    connection = redis.Redis(port=port)
    for _ in range(100):
        try:
            connection.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
