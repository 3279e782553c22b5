"""A real SMTP server for tests: mail leaves Django over SMTP and lands here.

Register with ``pytest_plugins = ["tests.smtp"]``. The ``smtp_server`` fixture starts
aiosmtpd on 127.0.0.1 on a free port, points Django's SMTP backend at it for the test,
and collects every message it receives::

    def test_signup_mails_a_link(client, smtp_server):
        client.post("/accounts/signup/", {...})
        message = smtp_server.wait_for_message(to="ada@example.org")
        url = smtp_server.links(message)[0]
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

URL_PATTERN = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass
class ReceivedMail:
    """One message as the server received it: the SMTP envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def body(self) -> str:
        """Return the plain-text body (or the HTML one when there is no plain text)."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


@dataclass
class _Collector:
    """aiosmtpd handler that keeps every message and wakes up whoever waits for one."""

    messages: list[ReceivedMail] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        mail = ReceivedMail(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos), message=parsed
        )
        with self.condition:
            self.messages.append(mail)
            self.condition.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    """The running test server: its address and what it received."""

    def __init__(self, controller: Controller, collector: _Collector) -> None:
        self._controller = controller
        self._collector = collector

    @property
    def host(self) -> str:
        return self._controller.hostname

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._collector.condition:
            return list(self._collector.messages)

    def messages_to(self, address: str) -> list[ReceivedMail]:
        """Return the messages whose envelope names ``address`` as a recipient."""
        address = address.lower()
        return [m for m in self.messages if address in (r.lower() for r in m.rcpt_tos)]

    def wait_for_message(
        self, *, to: str | None = None, count: int = 1, timeout: float = 5.0
    ) -> ReceivedMail:
        """Wait until ``count`` messages (to ``to``, if given) arrived; return the newest."""
        deadline = time.monotonic() + timeout
        with self._collector.condition:
            while True:
                found = self.messages_to(to) if to else list(self._collector.messages)
                if len(found) >= count:
                    return found[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} message(s) to {to or 'anyone'} within {timeout}s, "
                        f"got {len(found)}"
                    )
                self._collector.condition.wait(remaining)

    @staticmethod
    def links(mail: ReceivedMail) -> list[str]:
        """Return the URLs in the message body, in order, without duplicates."""
        return list(dict.fromkeys(URL_PATTERN.findall(mail.body)))

    def clear(self) -> None:
        with self._collector.condition:
            self._collector.messages.clear()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """Run an SMTP server for one test and send Django's mail to it over SMTP."""
    # aiosmtpd logs every SMTP command at INFO; keep failures readable.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield SmtpServer(controller, collector)
    finally:
        controller.stop()
