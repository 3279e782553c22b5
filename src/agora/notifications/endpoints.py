"""Check a webhook endpoint and post to it safely.

An endpoint must be HTTPS on a public address. The host is resolved and every address it
resolves to must be global (not private, loopback, link-local, reserved or shared); the
post then connects to the address that was checked (so a DNS answer that changes between
check and connect cannot point it inside), with TLS verified against the host name.
Posts of a batch to one endpoint share their connections (`Connections`). Plain HTTP and
loopback are allowed only with `AGORA_WEBHOOK_ALLOW_LOOPBACK` (tests, the demo).
Redirects are never followed; connect and read time out; at most `MAX_BODY_BYTES` of the
answer are read. Nothing here logs headers (they hold signatures).
"""

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import HTTPError

from agora.notifications.exceptions import EndpointRefused

MAX_BODY_BYTES = 4096
MAX_URL = 500


@dataclass(frozen=True)
class Target:
    """A checked endpoint: where to connect, and what to say in the request line."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Outcome:
    """What one post achieved: the status code (None if no answer), the error, the time."""

    status_code: int | None
    error: str
    latency_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _refuse(url: str, why: str) -> EndpointRefused:
    return EndpointRefused(f"The address {url[:120]} cannot receive webhooks: {why}",
                           errors=[{"field": "url", "message": why}])


def endpoint_check(url: str) -> Target:
    """Return where to post for `url`, or raise `EndpointRefused` saying why not."""
    allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK
    url = (url or "").strip()
    if len(url) > MAX_URL:
        raise _refuse(url, f"it is longer than {MAX_URL} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse(url, "it is not a valid URL.") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise _refuse(url, "it must be an https:// address with a host name.")
    if parts.scheme == "http" and not allow_loopback:
        raise _refuse(url, "it must use HTTPS.")
    if parts.username or parts.password:
        raise _refuse(url, "it must not contain a user name or password.")
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _refuse(url, f"the host name {host[:80]} could not be found (DNS).") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        if getattr(address, "ipv4_mapped", None):
            address = address.ipv4_mapped
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global or address.is_multicast:
            raise _refuse(url, f"{host[:80]} resolves to {text}, a private, loopback or "
                               "link-local address.")
    if parts.scheme == "http" and not all(ipaddress.ip_address(a).is_loopback
                                          for a in addresses):
        raise _refuse(url, "plain HTTP is allowed only to this machine (loopback).")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0])


class Connections:
    """Open connections kept for a batch of posts: a pool per checked endpoint address.

    Posts of one batch to the same endpoint reuse their connections (HTTP keep-alive)
    instead of opening one each: a TCP (and TLS) handshake less per event, on both sides.
    The pool is keyed by the address the check resolved, so a name that resolves elsewhere
    gets a new, checked connection. Safe to share between the batch's threads; close it
    (or use it as a context manager) when the batch is done, so no connection outlives it.
    """

    def __init__(self, size: int = 1) -> None:
        self.size = size
        self._pools: dict[Target, HTTPConnectionPool] = {}
        self._lock = threading.Lock()

    def pool(self, target: Target) -> HTTPConnectionPool:
        with self._lock:
            pool = self._pools.get(target)
            if pool is None:
                pool = self._pools[target] = _pool_for(target, self.size)
            return pool

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()

    def __enter__(self) -> "Connections":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _pool_for(target: Target, size: int) -> HTTPConnectionPool:
    timeout = Timeout(connect=settings.WEBHOOK_CONNECT_TIMEOUT,
                      read=settings.WEBHOOK_READ_TIMEOUT)
    options = {"port": target.port, "timeout": timeout, "retries": False, "maxsize": size}
    if target.scheme == "https":
        return HTTPSConnectionPool(target.address, cert_reqs="CERT_REQUIRED",
                                   server_hostname=target.host,
                                   assert_hostname=target.host, **options)
    return HTTPConnectionPool(target.address, **options)


def post(url: str, body: bytes, headers: dict[str, str], *,
         connections: Connections | None = None) -> Outcome:
    """Post `body` to `url` once, safely; never raises for a network or receiver failure.

    With `connections`, a connection to the endpoint left open by an earlier post of the
    batch is used again; without, the post opens its own and closes it.
    """
    started = time.monotonic()

    def outcome(status: int | None, error: str = "") -> Outcome:
        return Outcome(status, error[:500], int((time.monotonic() - started) * 1000))

    try:
        target = endpoint_check(url)
    except EndpointRefused as refused:
        return outcome(None, refused.detail)
    own = connections is None
    pool = _pool_for(target, 1) if own else connections.pool(target)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    reusable = False
    try:
        response = pool.urlopen(
            "POST", target.path, body=body,
            headers={**headers, "Host": host_header, "User-Agent": "Agora-Webhooks/1"},
            redirect=False, retries=False, preload_content=False, assert_same_host=False,
        )
        try:
            snippet = response.read(MAX_BODY_BYTES, decode_content=False)
            # Kept open only when the server keeps it (HTTP/1.1, no "Connection: close")
            # and the answer's length was given and all of it read; any other answer is
            # not read on (it could be 10 MB, or never end).
            reusable = (not own and response.length_remaining == 0 and response.version == 11
                        and "close" not in response.headers.get("Connection", "").lower())
        finally:
            if not reusable:
                response.close()
            response.release_conn()
    except (HTTPError, OSError) as error:
        return outcome(None, f"{type(error).__name__}: {error}")
    finally:
        if own:
            pool.close()
    status = response.status
    if 300 <= status < 400:
        where = response.headers.get("Location", "")[:200]
        return outcome(status, f"The endpoint redirected (to {where}); redirects are not "
                               "followed: subscribe the final address.")
    if 200 <= status < 300:
        return outcome(status)
    text = snippet.decode("utf-8", "replace").strip()
    return outcome(status, f"The endpoint answered {status}: {text[:200]}")
