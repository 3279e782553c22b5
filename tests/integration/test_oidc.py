"""An OpenID Connect provider configured as AGORA_OIDC_PROVIDERS does is offered at sign-in."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import environ
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

env = environ.Env()
PROVIDER_ID = "digid"
CALLBACK = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"


@pytest.fixture
def identity_provider():
    """Serve an OpenID discovery document on 127.0.0.1, as a broker would."""
    config = {}

    class Discovery(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/.well-known/openid-configuration":
                self.send_error(404)
                return
            body = json.dumps(config).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Discovery)
    issuer = f"http://127.0.0.1:{server.server_port}"
    config.update(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/authorize",
        token_endpoint=f"{issuer}/token",
        userinfo_endpoint=f"{issuer}/userinfo",
        jwks_uri=f"{issuer}/jwks",
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def one_provider(settings, monkeypatch, identity_provider):
    """Configure one provider as an operator would: a JSON value read by django-environ."""
    environment_value = json.dumps(
        [
            {
                "provider_id": PROVIDER_ID,
                "name": "DigiD",
                "client_id": "agora-riverton",
                "secret": "not-a-real-secret",
                "settings": {
                    "server_url": identity_provider,
                    "token_auth_method": "client_secret_basic",
                    "oauth_pkce_enabled": True,
                },
            }
        ]
    )
    monkeypatch.setenv("AGORA_OIDC_PROVIDERS", environment_value)
    apps = env.json("AGORA_OIDC_PROVIDERS")  # as settings.py reads it
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    return apps[0]


def test_the_provider_login_url_exists(client, one_provider):
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})

    response = client.get(url)

    assert url == f"/accounts/oidc/{PROVIDER_ID}/login/"
    assert response.status_code == 200


def test_the_sign_in_page_offers_the_provider(client, one_provider):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "DigiD" in content
    assert f"/accounts/oidc/{PROVIDER_ID}/login/" in content


def test_choosing_the_provider_sends_the_browser_to_it_with_the_callback(
    client, one_provider, identity_provider
):
    response = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    )

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{identity_provider}/authorize"
    )
    query = parse_qs(location.query)
    assert query["client_id"] == ["agora-riverton"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}
    assert query["state"]
    assert query["code_challenge_method"] == ["S256"]


def test_an_unknown_provider_is_not_found(client, one_provider):
    response = client.get("/accounts/oidc/nobody/login/")

    assert response.status_code == 404


def test_without_providers_there_is_no_provider_login(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}

    assert client.get(f"/accounts/oidc/{PROVIDER_ID}/login/").status_code == 404
