"""A real webhook receiver on 127.0.0.1 for tests: it verifies, records, and misbehaves.

`Receiver(secret)` listens on a free port in a thread. Every request is checked with the
Standard Webhooks scheme and parsed as a structured CloudEvent; the ids of verified
events are kept (with duplicates, so tests can count both). It can answer 500 to a share
of requests at random (seeded), be down (the port closed: connection refused) and come
back on the same port, hang, redirect, or answer with a huge body. It speaks HTTP/1.1 and
keeps connections open between requests, as most servers do (`keep_alive=False`: HTTP/1.0,
a connection per request); `connections` counts those it accepted.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cloudevents.core.bindings.http import HTTPMessage, from_structured_event
from standardwebhooks import Webhook


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """A receiving endpoint; `url` is where to subscribe it."""

    def __init__(self, secret: str | list[str], *, fail_share: float = 0.0, seed: int = 11,
                 mode: str = "ok", delay: float = 0.0, keep_alive: bool = True) -> None:
        self.secrets = [secret] if isinstance(secret, str) else list(secret)
        self.fail_share = fail_share
        self.mode = mode
        self.delay = delay  # seconds each request takes to answer
        self.random = random.Random(seed)
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[str] = []  # ids of verified events, in arrival order
        self.events: list = []  # the parsed CloudEvents
        self.rejected: list[str] = []  # why a request did not verify
        self.requests = 0
        self.connections = 0
        self.answered_500 = 0
        self.keep_alive = keep_alive
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/agora"

    @property
    def unique(self) -> set[str]:
        with self.lock:
            return set(self.received)

    def start(self, *, tls=None) -> Receiver:
        """Listen (again) on the port; with `tls` (an `ssl.SSLContext`), over HTTPS."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if receiver.keep_alive else "HTTP/1.0"

            def setup(self) -> None:
                super().setup()
                with receiver.lock:
                    receiver.connections += 1

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                receiver._handle(self)

        class Server(ThreadingHTTPServer):
            request_queue_size = 64  # not 5: a batch connects several at once

        self._server = Server(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the port: from now on connections are refused."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        with self.lock:
            self.requests += 1
            fail = self.fail_share and self.random.random() < self.fail_share
        if self.mode == "hang":
            time.sleep(3)
        time.sleep(self.delay)
        if self.mode == "redirect":
            request.send_response(307)
            request.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        if self.mode == "huge":
            request.send_response(500)
            request.send_header("Content-Length", str(10 * 1024 * 1024))
            request.end_headers()
            try:
                chunk = b"x" * 65536
                for _ in range(160):
                    request.wfile.write(chunk)
            except OSError:
                pass  # the sender stopped reading, as it should
            return
        if fail:
            with self.lock:
                self.answered_500 += 1
            request.send_response(500)
            request.send_header("Content-Length", "9")
            request.end_headers()
            request.wfile.write(b"try later")
            return
        headers = {k.lower(): v for k, v in request.headers.items()}
        error = self._verify(body, headers)
        if error:
            with self.lock:
                self.rejected.append(error)
            request.send_response(400)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        event = from_structured_event(HTTPMessage(headers=headers, body=body))
        with self.lock:
            self.received.append(event.get_id())
            self.events.append(event)
        request.send_response(204)
        request.end_headers()

    def _verify(self, body: bytes, headers: dict[str, str]) -> str:
        """Return why the message does not verify with any of our secrets ('' if it does)."""
        errors = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body.decode(), headers)
                return ""
            except Exception as error:  # the reason is what the test reports
                errors.append(str(error))
        return "; ".join(errors)

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.unique) < count and time.monotonic() < deadline:
            time.sleep(0.02)
