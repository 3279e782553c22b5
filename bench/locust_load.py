"""Locust users for bench/load.py: residents, caseworkers, partner systems and auditors.

Every simulated user holds a resident's session, a caseworker's session and an API client
(handed out by bench/load.py, as if each had signed in once) and sends one request per
task, drawn from a fixed mix (the task weights below), so the mix is the same whatever
the latencies. API tokens are signed ahead: a pool per client is minted when the test
starts (and minted again, outside any timed request, when its tokens near their
5-minute lifetime); each is used once, as the API accepts a `jti` once. Bad requests must
get their own problem (status and `code`); anything else counts as a failure. Every
request's start, name, time and outcome is written to BENCH_LOAD_SAMPLES when locust
quits, for the percentiles and the latency over time.
"""

import itertools
import json
import os
import random
import time
import uuid
from collections import deque
from pathlib import Path
from urllib.parse import urlencode

from locust import constant, constant_throughput, events, task
from locust.contrib.fasthttp import FastHttpUser

from agora.organizations.keys import private_key_load
from bench.httpload import sign_token
from bench.load import OVERSIZE

DATA = json.loads(Path(os.environ["BENCH_LOAD_DATA"]).read_text())
RATE = float(os.environ.get("BENCH_LOAD_RATE", "0"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LIFETIME, WINDOW = 300, 240  # a token lives 5 minutes; a pool serves 4 of them
SAMPLES: list[tuple[float, str, float, bool]] = []
_numbers = itertools.count()


class TokenPool:
    """Tokens of one client, signed before they are needed."""

    def __init__(self, client: dict, size: int):
        self.client = client
        self.key, self.alg = private_key_load(Path(client["key_file"]).read_bytes())
        self.size = size
        self.tokens: deque[str] = deque()
        self.minted_at = 0.0

    def mint(self, audience: str) -> None:
        now = int(time.time())
        self.tokens = deque(
            sign_token(self.key, self.alg, client_id=self.client["client_id"],
                       audience=audience, purpose=self.client["purpose"], issued=now,
                       lifetime=LIFETIME) for _ in range(self.size))
        self.minted_at = time.time()

    def take(self, audience: str) -> str:
        if not self.tokens or time.time() - self.minted_at > WINDOW:
            self.mint(audience)
        return self.tokens.popleft()

    def expired(self, audience: str) -> str:
        return sign_token(self.key, self.alg, client_id=self.client["client_id"],
                          audience=audience, purpose=self.client["purpose"],
                          issued=int(time.time()) - 400, lifetime=60)


POOLS: list[TokenPool] = []


@events.test_start.add_listener
def _mint(environment, **_) -> None:
    expected = RATE * environment.runner.target_user_count if RATE else 150
    window = min(SECONDS, WINDOW) + 10
    per_client = int(expected * window * 0.45 / len(DATA["clients"])) + 20
    for client in DATA["clients"]:
        pool = TokenPool(client, per_client)
        pool.mint(environment.host)
        POOLS.append(pool)


@events.request.add_listener
def _record(name, response_time, exception, start_time=None, **_) -> None:
    SAMPLES.append((start_time or time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def _write(**_) -> None:
    Path(os.environ["BENCH_LOAD_SAMPLES"]).write_text(json.dumps(SAMPLES))


def _problem(response, status: int, code: str | None = None) -> None:
    """Pass only the expected problem: its status, and its code where one is named."""
    if response.status_code != status:
        response.failure(f"expected {status}, got {response.status_code}")
        return
    if code is not None:
        try:
            found = response.json().get("code")
        except ValueError:
            found = None
        if found != code:
            response.failure(f"expected problem {code}, got {found}")
            return
    response.success()


class Visitor(FastHttpUser):
    """One simulated user of each kind at once, sending the mix's requests in turn."""

    wait_time = constant_throughput(RATE) if RATE else constant(0)

    def on_start(self) -> None:
        number = next(_numbers)
        rng = random.Random(number)  # noqa: S311 (load, not a secret)
        self.rng = rng
        self.resident = DATA["residents"][number % len(DATA["residents"])]
        self.caseworker = DATA["caseworkers"][number % len(DATA["caseworkers"])]
        self.client_number = number % len(DATA["clients"])
        self.partner = DATA["clients"][self.client_number]
        self.csrf = uuid.uuid4().hex  # a 32-character secret, as Django's cookie holds
        self.tree_size = DATA["tree_size"]

    # -- helpers

    def _page(self, who: str, path: str, name: str, *, method: str = "GET", data=None,
              status: int = 200) -> None:
        session = self.resident if who == "resident" else self.caseworker["session"]
        headers = {"Cookie": f"sessionid={session}; csrftoken={self.csrf}"}
        if method == "POST":
            headers.update({"X-CSRFToken": self.csrf,
                            "Content-Type": "application/x-www-form-urlencoded"})
        with self.client.request(method, path, name=name, data=data, headers=headers,
                                 allow_redirects=False, catch_response=True) as response:
            _problem(response, status)

    def _token(self) -> str:
        return POOLS[self.client_number].take(self.host)

    def _api(self, method: str, path: str, name: str, *, token: str | None = None,
             json_body=None, body: bytes | None = None, status: int = 200,
             code: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token or self._token()}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        with self.client.request(method, path, name=name, headers=headers, json=json_body,
                                 data=body, catch_response=True) as response:
            _problem(response, status, code)

    def _person(self, people: list) -> tuple[str, str]:
        return self.rng.choice(people)

    # -- residents' pages

    @task(10)
    def home(self) -> None:
        self._page("resident", "/", "page: home")

    @task(8)
    def activity(self) -> None:
        self._page("resident", "/account/activity/", "page: who has seen my data")

    @task(7)
    def consents(self) -> None:
        self._page("resident", "/account/consents/", "page: consents")

    # -- caseworkers' pages

    @task(6)
    def find_person(self) -> None:
        _, national_id = self._person(self.caseworker["people"])
        self._page("caseworker", f"/console/organisations/{self.caseworker['org']}/people/",
                   "page: find a person", method="POST", status=302,
                   data=urlencode({"purpose": self.caseworker["purpose"],
                                   "national_id": national_id}))

    @task(10)
    def single_view(self) -> None:
        person_id, _ = self._person(self.caseworker["people"])
        self._page("caseworker", f"/console/organisations/{self.caseworker['org']}/people/"
                   f"{person_id}/?purpose={self.caseworker['purpose']}", "page: single view")

    # -- the exchange API

    @task(8)
    def whoami(self) -> None:
        self._api("GET", "/api/v1/whoami", "api: whoami")

    @task(14)
    def person_records(self) -> None:
        person_id, _ = self._person(self.partner["people"])
        self._api("GET", f"/api/v1/people/{person_id}/records", "api: person records")

    @task(8)
    def lookup(self) -> None:
        _, national_id = self._person(self.partner["people"])
        self._api("POST", "/api/v1/people/lookup", "api: lookup",
                  json_body={"national_id": national_id})

    # -- the public log API

    @task(8)
    def tree_head(self) -> None:
        with self.client.get("/api/v1/audit/tree-head", name="log: tree head",
                             catch_response=True) as response:
            _problem(response, 200)

    @task(9)
    def inclusion(self) -> None:
        seq = self.rng.randrange(self.tree_size)
        with self.client.get(f"/api/v1/audit/proofs/inclusion?seq={seq}&tree_size="
                             f"{self.tree_size}", name="log: inclusion proof",
                             catch_response=True) as response:
            _problem(response, 200)

    # -- bad requests: each must get its own problem, quickly

    @task(3)
    def expired_token(self) -> None:
        self._api("GET", "/api/v1/whoami", "bad: expired token",
                  token=POOLS[self.client_number].expired(self.host), status=401,
                  code="token-expired")

    @task(3)
    def replayed_token(self) -> None:
        token = self._token()
        self._api("GET", "/api/v1/whoami", "api: whoami", token=token)
        self._api("GET", "/api/v1/whoami", "bad: replayed token", token=token, status=401,
                  code="token-replayed")

    @task(2)
    def unknown_person(self) -> None:
        self._api("GET", f"/api/v1/people/{uuid.uuid4()}/records", "bad: unknown person",
                  status=404)

    @task(2)
    def unknown_entry(self) -> None:
        with self.client.get(f"/api/v1/audit/proofs/inclusion?seq={self.tree_size + 10}"
                             f"&tree_size={self.tree_size}", name="bad: unknown entry",
                             catch_response=True) as response:
            _problem(response, 404, "tree-size-out-of-range")

    @task(1)
    def oversize_body(self) -> None:
        self._api("POST", "/api/v1/people/lookup", "bad: oversize body", body=OVERSIZE,
                  status=413, code="payload-too-large")
