"""Check a webhook endpoint and post to it safely.

An endpoint must be HTTPS on a public address. The host is resolved and every address
it resolves to must be global (not private, loopback, link-local, reserved or shared);
the post then connects to the address that was checked (so a DNS answer that changes
between check and connect cannot point it inside), with TLS verified against the host
name. Plain HTTP and loopback are allowed only with `AGORA_WEBHOOK_ALLOW_LOOPBACK` (tests,
the demo). Redirects are never followed; connect and read time out; at most
`MAX_BODY_BYTES` of the answer are read. Nothing here logs headers (they hold signatures).
"""

import ipaddress
import socket
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


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """Post `body` to `url` once, safely; never raises for a network or receiver failure."""
    started = time.monotonic()

    def outcome(status: int | None, error: str = "") -> Outcome:
        return Outcome(status, error[:500], int((time.monotonic() - started) * 1000))

    try:
        target = endpoint_check(url)
    except EndpointRefused as refused:
        return outcome(None, refused.detail)
    timeout = Timeout(connect=settings.WEBHOOK_CONNECT_TIMEOUT,
                      read=settings.WEBHOOK_READ_TIMEOUT)
    options = {"port": target.port, "timeout": timeout, "retries": False, "maxsize": 1}
    if target.scheme == "https":
        pool = HTTPSConnectionPool(target.address, cert_reqs="CERT_REQUIRED",
                                   server_hostname=target.host,
                                   assert_hostname=target.host, **options)
    else:
        pool = HTTPConnectionPool(target.address, **options)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    try:
        with pool:
            response = pool.urlopen(
                "POST", target.path, body=body,
                headers={**headers, "Host": host_header, "User-Agent": "Agora-Webhooks/1"},
                redirect=False, retries=False, preload_content=False, assert_same_host=False,
            )
            try:
                snippet = response.read(MAX_BODY_BYTES, decode_content=False)
            finally:
                response.close()
    except (HTTPError, OSError) as error:
        return outcome(None, f"{type(error).__name__}: {error}")
    status = response.status
    if 300 <= status < 400:
        where = response.headers.get("Location", "")[:200]
        return outcome(status, f"The endpoint redirected (to {where}); redirects are not "
                               "followed: subscribe the final address.")
    if 200 <= status < 300:
        return outcome(status)
    text = snippet.decode("utf-8", "replace").strip()
    return outcome(status, f"The endpoint answered {status}: {text[:200]}")
