"""Endpoints must be safe to post to, and a misbehaving receiver cannot hold the sender."""

import pytest

from agora.notifications.endpoints import endpoint_check, post
from agora.notifications.exceptions import EndpointRefused
from tests.notifications.receiver import Receiver, free_port


@pytest.fixture
def loopback_allowed(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOK_READ_TIMEOUT = 1.0


@pytest.mark.parametrize(("url", "why"), [
    ("http://example.org/hook", "must use HTTPS"),
    ("ftp://example.org/hook", "https:// address"),
    ("https://10.1.2.3/hook", "private, loopback or link-local"),
    ("https://192.168.0.10/hook", "private, loopback or link-local"),
    ("https://169.254.169.254/latest", "private, loopback or link-local"),
    ("https://[fe80::1]/hook", "private, loopback or link-local"),
    ("https://[::ffff:10.0.0.1]/hook", "private, loopback or link-local"),
    ("https://127.0.0.1/hook", "private, loopback or link-local"),
    ("https://localhost/hook", "private, loopback or link-local"),
    ("https://user:pw@example.org/hook", "user name or password"),
    ("https://no-such-host.invalid/hook", "could not be found"),
    ("https://example.org:99999/hook", "not a valid URL"),
])
def test_unsafe_or_unresolvable_endpoints_are_refused_with_the_reason(settings, url, why):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(EndpointRefused, match=why) as refused:
        endpoint_check(url)
    assert refused.value.code == "webhook-endpoint-refused"
    assert refused.value.errors[0]["field"] == "url"


def test_the_loopback_setting_allows_this_machine_and_nothing_private(loopback_allowed):
    assert endpoint_check("http://127.0.0.1:8123/hook?x=1").path == "/hook?x=1"
    with pytest.raises(EndpointRefused, match="private"):
        endpoint_check("https://10.0.0.1/hook")
    with pytest.raises(EndpointRefused, match="only to this machine"):
        endpoint_check("http://93.184.215.14/hook")


def test_a_refused_connection_is_an_outcome_not_an_exception(loopback_allowed):
    outcome = post(f"http://127.0.0.1:{free_port()}/hook", b"{}", {})
    assert outcome.status_code is None and not outcome.ok
    assert "refused" in outcome.error.lower()


@pytest.mark.parametrize(("mode", "expect"), [
    ("redirect", "redirects are not followed"),
    ("hang", "timed out"),
    ("huge", "answered 500"),
])
def test_a_receiver_that_redirects_hangs_or_floods_fails_quickly(loopback_allowed, mode, expect):
    receiver = Receiver("whsec_" + "A" * 32, mode=mode).start()
    try:
        outcome = post(receiver.url, b"{}", {"content-type": "application/json"})
    finally:
        receiver.stop()
    assert not outcome.ok
    assert expect in outcome.error.lower()
    assert len(outcome.error) <= 500


def _self_signed(tmp_path) -> tuple[str, str]:
    """Write a self-signed certificate for localhost and its key; return their paths."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_https_certificates_are_verified_against_the_host_name(loopback_allowed, tmp_path,
                                                               monkeypatch):
    import ssl

    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    receiver = Receiver("whsec_" + "A" * 32).start(tls=context)
    try:
        untrusted = post(f"https://localhost:{receiver.port}/hook", b"{}", {})
        monkeypatch.setenv("SSL_CERT_FILE", cert_file)  # now the certificate is trusted
        trusted = post(f"https://localhost:{receiver.port}/hook", b"{}", {})
        wrong_name = post(f"https://127.0.0.1:{receiver.port}/hook", b"{}", {})
    finally:
        receiver.stop()
    assert untrusted.status_code is None and "CERTIFICATE_VERIFY_FAILED" in untrusted.error
    # Connected to the checked address, yet TLS checked the name: the receiver answered
    # (400: the test's body is not signed).
    assert trusted.status_code == 400
    assert wrong_name.status_code is None and "127.0.0.1" in wrong_name.error
    assert receiver.requests == 1
