"""Locust users for bench/requests.py: a partner system polling request statuses.

Each request carries a freshly signed token (EdDSA, a new `jti`), as the API requires, so
the server verifies a signature and stores a token id on every read, as it would live.
"""

import json
import os
import random
import time
import uuid
from pathlib import Path

from joserfc import jws
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

from agora.organizations.keys import jws_registry, private_key_load

CLIENT_ID = os.environ.get("BENCH_CLIENT_ID", "")
KEY, ALG = (private_key_load(Path(os.environ["BENCH_KEY_FILE"]).read_bytes())
            if os.environ.get("BENCH_KEY_FILE") else (None, "EdDSA"))
REFERENCES = (json.loads(Path(os.environ["BENCH_REFERENCES"]).read_text())
              if os.environ.get("BENCH_REFERENCES") else [])


def token(audience: str) -> str:
    now = int(time.time())
    claims = {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": audience, "iat": now,
              "exp": now + 60, "jti": str(uuid.uuid4()), "purpose": "case-management"}
    return jws.serialize_compact({"alg": ALG, "typ": "JWT"}, json.dumps(claims).encode(), KEY,
                                 algorithms=[ALG], registry=jws_registry(ALG))


class StatusReader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read_status(self) -> None:
        reference = random.choice(REFERENCES)  # noqa: S311 (load, not a secret)
        self.client.get(f"/api/v1/cases/{reference}/status", name="/cases/{ref}/status",
                        headers={"Authorization": f"Bearer {token(self.host)}"})
