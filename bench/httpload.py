"""Shared by the benchmarks that drive the running server: tokens, `agora serve`, locust.

`bench/requests.py` (status reads) and `bench/load.py` (the mixed load) both start
`agora serve` (gunicorn, as in production) on 127.0.0.1 against a benchmark database, and
drive it with locust headless; the locustfiles sign API tokens with `sign_token`.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def sign_token(key, alg: str, *, client_id: str, audience: str, purpose: str,
               issued: int | None = None, lifetime: int = 60, jti: str | None = None) -> str:
    """Return a compact JWT for the exchange API: a new `jti` unless one is given."""
    from joserfc import jws

    from agora.organizations.keys import jws_registry

    now = int(time.time()) if issued is None else issued
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now,
              "exp": now + lifetime, "jti": jti or str(uuid.uuid4()), "purpose": purpose}
    return jws.serialize_compact({"alg": alg, "typ": "JWT"}, json.dumps(claims).encode(), key,
                                 algorithms=[alg], registry=jws_registry(alg))


def wait_for(base: str, seconds: float = 300) -> None:
    """Wait until the server answers its OpenAPI document; raise after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("agora serve did not answer in time")


@contextmanager
def served(*, port: int, workers: int, log_path: Path,
           extra_env: dict | None = None) -> Iterator[subprocess.Popen]:
    """Run `agora serve --no-worker` (gunicorn, the shipped settings) until the block ends.

    The environment is this process's (the benchmark's DATABASE_URL and settings), with
    AGORA_BASE_URL the served address, so tokens' audience and the allowed host match.
    """
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AGORA_BASE_URL": base, "PYTHONPATH": f"{PROJECT / 'src'}",
           **(extra_env or {})}
    with open(log_path, "w") as log:
        server = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [sys.executable, "-m", "agora.cli", "serve", "--no-worker", "--port", str(port),
             "--workers", str(workers)], cwd=PROJECT, env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(base)
            yield server
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def run_locust(locustfile: Path, *, host: str, users: int, seconds: int, csv_prefix: Path,
               env: dict, log_path: Path, spawn_rate: float | None = None) -> None:
    """Run locust headless against `host` for `seconds` with `users` users; wait for it."""
    with open(log_path, "w") as log:
        subprocess.run(  # noqa: S603 (locust from this venv, fixed arguments)
            [str(Path(sys.executable).with_name("locust")), "-f", str(locustfile),
             "--headless", "-u", str(users), "-r", str(spawn_rate or users),
             "-t", f"{seconds}s", "--host", host, "--csv", str(csv_prefix),
             "--only-summary", "--stop-timeout", "5"],
            cwd=PROJECT, env={**os.environ, "PYTHONPATH": f"{PROJECT / 'src'}:{PROJECT}",
                              **env},
            check=False, stdout=subprocess.DEVNULL, stderr=log,
        )


def locust_rows(stats_csv: Path) -> dict[str, dict]:
    """Return locust's summary rows (`<prefix>_stats.csv`) by name."""
    with stats_csv.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}
