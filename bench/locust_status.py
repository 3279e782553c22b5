"""Locust users for bench/requests.py: a partner system polling request statuses.

Each request carries a freshly signed token (EdDSA, a new `jti`), as the API requires, so
the server verifies a signature and stores a token id on every read, as it would live.
"""

import json
import os
import random
from pathlib import Path

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

from agora.organizations.keys import private_key_load
from bench.httpload import sign_token

CLIENT_ID = os.environ.get("BENCH_CLIENT_ID", "")
KEY, ALG = (private_key_load(Path(os.environ["BENCH_KEY_FILE"]).read_bytes())
            if os.environ.get("BENCH_KEY_FILE") else (None, "EdDSA"))
REFERENCES = (json.loads(Path(os.environ["BENCH_REFERENCES"]).read_text())
              if os.environ.get("BENCH_REFERENCES") else [])


class StatusReader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read_status(self) -> None:
        reference = random.choice(REFERENCES)  # noqa: S311 (load, not a secret)
        token = sign_token(KEY, ALG, client_id=CLIENT_ID, audience=self.host,
                           purpose="case-management")
        self.client.get(f"/api/v1/cases/{reference}/status", name="/cases/{ref}/status",
                        headers={"Authorization": f"Bearer {token}"})
