"""`agora audit witness URL`: another Agora's signed head, checked over real HTTP.

A real Agora is pytest-django's live server; a misbehaving one is a small `http.server`
in a thread that serves what each test tells it (garbage, a forked root, a smaller size,
a bad signature); "down" is a port nobody listens on.
"""

import base64
import hashlib
import json
import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from agora.audit import merkle
from agora.audit.canonical import HEAD_PREFIX
from agora.audit.keys import key_rotate
from agora.audit.models import WitnessedHead, WitnessedKey
from agora.audit.services import tree_head_sign
from agora.cli import app
from agora.core.platform_key import key_id, public_raw
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db
runner = CliRunner()


def witness(url: str):
    return runner.invoke(app, ["audit", "witness", url], env={"COLUMNS": "300"})


# A real Agora, served by the live server (its own database is the one the witness uses).

@pytest.mark.django_db(transaction=True)
def test_a_real_agora_is_witnessed_as_it_grows_and_rotates_its_key(live_server, key_dir):
    append(5)
    tree_head_sign()
    result = witness(live_server.url)
    assert result.exit_code == 0, result.output
    assert "First look" in result.output and "size 5" in result.output
    append(6, batch=3)
    tree_head_sign()
    result = witness(live_server.url + "/api/v1/audit/")  # the API's address works too
    assert result.exit_code == 0, result.output
    assert "grew from 5 to 11 entries consistently" in result.output
    result = witness(live_server.url)
    assert result.exit_code == 0 and "still signs size 11" in result.output
    rotation = key_rotate()
    append(1)
    tree_head_sign()
    result = witness(live_server.url)
    assert result.exit_code == 0, result.output
    assert f"New key published and accepted: {rotation.new.key_id}" in result.output
    heads = WitnessedHead.objects.filter(origin=live_server.url)
    assert list(heads.values_list("size", flat=True)) == [5, 11, 12]
    assert heads.get(size=12).key_id == rotation.new.key_id
    assert WitnessedKey.objects.filter(origin=live_server.url).count() == 2


# A misbehaving Agora: a small server that answers what the test sets.

class FakeAgora:
    """Serves a log of its own, signed with its own key, and lets a test misbehave."""

    def __init__(self):
        self.key = Ed25519PrivateKey.generate()
        self.kid = key_id(self.key.public_key())
        self.leaves = [hashlib.sha256(b"entry %d" % n).digest() for n in range(40)]
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.keys = [self.published(self.key)]
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = fake.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def published(self, key) -> dict:
        raw = public_raw(key.public_key())
        return {"key_id": key_id(key.public_key()), "algorithm": "Ed25519",
                "public_key": base64.b64encode(raw).decode(),
                "valid_from": "2026-01-01T00:00:00.000000Z", "valid_until": None}

    def answer(self, path: str) -> tuple[int, bytes]:
        if path in self.routes:
            return self.routes[path]
        if path == "/api/v1/audit/public-keys":
            return 200, json.dumps({"keys": self.keys}).encode()
        if path.startswith("/api/v1/audit/proofs/consistency"):
            query = dict(part.split("=") for part in path.split("?")[1].split("&"))
            first, second = int(query["first"]), int(query["second"])
            proof = merkle.reference_consistency_proof(first, self.leaves[:second])
            return 200, json.dumps({"first": first, "second": second,
                                    "proof": [p.hex() for p in proof]}).encode()
        return 404, b'{"title": "not found"}'

    def head(self, size: int, *, root: bytes | None = None, key=None, tamper=False) -> None:
        """Serve a signed head of the first `size` leaves (or of another root)."""
        key = key or self.key
        root = root if root is not None else merkle.root_from_leaves(self.leaves[:size])
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        message = HEAD_PREFIX + f"{size}\n{root.hex()}\n{stamp}".encode()
        signature = key.sign(message)
        if tamper:
            signature = bytes([signature[0] ^ 1]) + signature[1:]
        self.routes["/api/v1/audit/tree-head"] = (200, json.dumps({
            "tree_size": size, "root_hash": root.hex(), "timestamp": stamp,
            "signature": base64.b64encode(signature).decode(), "key_id": key_id(key.public_key()),
            "public_key": base64.b64encode(public_raw(key.public_key())).decode(),
            "algorithm": "Ed25519",
        }).encode())


@pytest.fixture
def fake():
    agora = FakeAgora()
    yield agora
    agora.server.shutdown()
    agora.server.server_close()


def stored(fake) -> list[int]:
    return list(WitnessedHead.objects.filter(origin=fake.url).values_list("size", flat=True))


def accepted(fake, size: int) -> None:
    fake.head(size)
    result = witness(fake.url)
    assert result.exit_code == 0, result.output


def test_a_consistent_fake_is_accepted_like_a_real_one(fake):
    accepted(fake, 8)
    accepted(fake, 13)
    assert stored(fake) == [8, 13]


def test_a_smaller_size_is_a_rollback(fake):
    accepted(fake, 13)
    fake.head(9)
    result = witness(fake.url)
    assert result.exit_code == 1
    assert "ALARM: Rollback" in result.output and "smaller than the 13" in result.output
    assert stored(fake) == [13]


def test_another_root_at_a_size_already_seen_is_a_fork(fake):
    accepted(fake, 13)
    fake.head(13, root=hashlib.sha256(b"a rewritten history").digest())
    result = witness(fake.url)
    assert result.exit_code == 1 and "ALARM: Fork" in result.output
    assert "different root at size 13" in result.output
    assert stored(fake) == [13]


def test_a_larger_head_that_does_not_extend_the_last_is_a_fork(fake):
    accepted(fake, 8)
    fake.leaves[3] = hashlib.sha256(b"entry 3, quietly edited").digest()
    fake.head(20)  # signed, and a consistency proof is served, but for another history
    result = witness(fake.url)
    assert result.exit_code == 1
    assert "does not extend the head at size 8" in result.output
    assert stored(fake) == [8]


def test_a_bad_signature_is_an_alarm(fake):
    fake.head(8, tamper=True)
    result = witness(fake.url)
    assert result.exit_code == 1
    assert "signature of the tree head" in result.output and "does not verify" in result.output
    assert stored(fake) == [] and not WitnessedKey.objects.exists()


def test_a_head_signed_by_an_unpublished_key_is_an_alarm(fake):
    fake.head(8, key=Ed25519PrivateKey.generate())
    result = witness(fake.url)
    assert result.exit_code == 1 and "which the site does not publish" in result.output
    assert stored(fake) == []


def test_a_rotated_key_is_accepted_and_a_vanished_one_is_an_alarm(fake):
    accepted(fake, 8)
    newer = Ed25519PrivateKey.generate()
    fake.keys.append(fake.published(newer))
    fake.head(10, key=newer)
    result = witness(fake.url)
    assert result.exit_code == 0 and "New key published and accepted" in result.output
    fake.keys = [fake.published(newer)]  # the old key disappears from the list
    fake.head(12, key=newer)
    result = witness(fake.url)
    assert result.exit_code == 1 and f"no longer publishes its key {fake.kid}" in result.output
    assert stored(fake) == [8, 10]


@pytest.mark.parametrize(
    ("route", "answer", "message"),
    [
        ("/api/v1/audit/tree-head", (200, b"<html>maintenance</html>"), "did not answer JSON"),
        ("/api/v1/audit/tree-head", (500, b"{}"), "answered HTTP 500"),
        ("/api/v1/audit/tree-head", (200, b'{"tree_size": "8"}'),
         "did not answer a signed tree head: tree_size"),
        ("/api/v1/audit/public-keys", (200, b'{"keys": [{"key_id": "k", "public_key": "AA=="}]}'),
         "the public key k of 1 bytes"),
        ("/api/v1/audit/public-keys", (200, b"[]"), "did not answer a list of public keys"),
    ],
)
def test_garbage_is_not_checked_exit_3_and_nothing_stored(fake, route, answer, message):
    fake.head(8)
    fake.routes[route] = answer
    result = witness(fake.url)
    assert result.exit_code == 3, result.output
    assert "Not checked:" in result.output and message in result.output
    assert stored(fake) == [] and not WitnessedKey.objects.exists()


def test_a_server_that_is_down_is_not_checked():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = witness(f"http://127.0.0.1:{port}")
    assert result.exit_code == 3
    assert f"Could not reach http://127.0.0.1:{port}/api/v1/audit/public-keys" in result.output
    assert not WitnessedHead.objects.exists()


@pytest.mark.parametrize("url", ["ftp://agora.example", "agora.example", "file:///etc/passwd"])
def test_a_url_that_is_not_http_is_a_usage_error(url):
    result = witness(url)
    assert result.exit_code == 2 and "is not an http(s) URL" in result.output
