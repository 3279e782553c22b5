"""token_verify: what it accepts, what it stores, and that refusals store nothing."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from agora.organizations import tokens
from agora.organizations.models import UsedTokenId
from agora.organizations.scopes import ScopeNotGranted
from agora.organizations.tokens import token_verify
from tests.api.helpers import b64, make_client, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyed():
    return make_client(make_organization())


def test_accepts_and_records_the_token(keyed):
    now = int(time.time())
    verified = token_verify(token=keyed.token(iat=now, exp=now + 60, jti="j-1"), scope="whoami")
    assert verified.client == keyed.client
    assert verified.purpose == "case-management"
    assert verified.on_behalf_of is None
    assert verified.jti == "j-1"
    used = UsedTokenId.objects.get()
    assert used.client == keyed.client and used.jti == "j-1"
    expected = now + 60 + tokens.CLOCK_SKEW_SECONDS
    assert abs(used.expires_at.timestamp() - expected) < 1
    keyed.client.refresh_from_db()
    assert keyed.client.last_used_at is not None


def test_accepts_es256(db):
    keyed = make_client(make_organization("food-bank"), alg="ES256")
    assert token_verify(token=keyed.token()).client == keyed.client


def test_aud_may_be_a_list_holding_the_platform(keyed):
    token_verify(token=keyed.token(aud=["https://other.example", "http://testserver"]))


def test_fractional_times_are_accepted(keyed):
    now = time.time()
    token_verify(token=keyed.token(iat=now, exp=now + 10.5))


@pytest.mark.parametrize(
    ("claims", "error"),
    [
        ({"iat": True}, tokens.InvalidToken),
        ({"exp": "soon"}, tokens.InvalidToken),
        ({"nbf": lambda: int(time.time()) + 600}, tokens.TokenNotYetValid),
        ({"exp": int(time.time()) - 1, "iat": int(time.time())}, tokens.InvalidToken),
        ({"jti": ""}, tokens.InvalidToken),
        ({"jti": "j" * 201}, tokens.InvalidToken),
        ({"jti": 7}, tokens.InvalidToken),
        ({"on_behalf_of": 42}, tokens.InvalidToken),
        ({"on_behalf_of": ""}, tokens.InvalidToken),
        ({"sub": "someone-else"}, tokens.InvalidToken),
        ({"aud": None}, tokens.WrongAudience),
        ({"aud": "http://testserver/"}, tokens.WrongAudience),
        ({"iss": "not-a-uuid"}, tokens.UnknownClient),
        ({"iss": 5}, tokens.InvalidToken),
    ],
)
def test_refusals(keyed, claims, error):
    # Times are taken when the test runs, not when it is collected: a slow suite must not
    # turn "ten minutes from now" into the past.
    claims = {name: value() if callable(value) else value for name, value in claims.items()}
    with pytest.raises(error):
        token_verify(token=keyed.token(**claims))
    assert not UsedTokenId.objects.exists()


def test_refusal_codes_are_distinct():
    classes = [
        tokens.InvalidToken, tokens.BadSignature, tokens.AlgNotAllowed, tokens.TokenExpired,
        tokens.TokenNotYetValid, tokens.TokenLifetimeTooLong, tokens.WrongAudience,
        tokens.UnknownClient, tokens.TokenReplayed, tokens.PurposeMissing, ScopeNotGranted,
    ]
    assert len({cls.code for cls in classes}) == len(classes)
    assert all(cls.status == 401 for cls in classes[:-1]) and ScopeNotGranted.status == 403


def test_header_with_crit_or_b64_is_refused(keyed):
    _, payload, signature = keyed.token().split(".")
    for header in ({"alg": "EdDSA", "crit": ["b64"], "b64": False}, {"alg": "EdDSA", "jwk": {}}):
        with pytest.raises(tokens.InvalidToken):
            token_verify(token=f"{b64(header)}.{payload}.{signature}")


def test_es256_tampered_signature_is_bad_signature(db):
    keyed = make_client(make_organization("food-bank"), alg="ES256")
    header, payload, signature = keyed.token().split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    with pytest.raises(tokens.BadSignature):
        token_verify(token=f"{header}.{payload}.{flipped}")


def test_scope_refusal_stores_nothing(db):
    keyed = make_client(make_organization(), scopes=())
    with pytest.raises(ScopeNotGranted):
        token_verify(token=keyed.token(), scope="whoami")
    assert not UsedTokenId.objects.exists()


def test_expired_ids_are_purged_on_the_next_accepted_token(keyed):
    old = timezone.now() - timedelta(minutes=10)
    UsedTokenId.objects.create(client=keyed.client, jti="old", expires_at=old)
    with pytest.raises(tokens.WrongAudience):  # a refused token purges nothing either
        token_verify(token=keyed.token(aud="https://elsewhere.example"))
    assert UsedTokenId.objects.filter(jti="old").exists()
    token_verify(token=keyed.token())
    assert list(UsedTokenId.objects.values_list("jti", flat=True)) != ["old"]
    assert not UsedTokenId.objects.filter(jti="old").exists()


def test_a_busy_client_has_its_last_use_written_once_a_minute(keyed):
    clients = type(keyed.client).objects.filter(pk=keyed.client.pk)
    token_verify(token=keyed.token())
    first = clients.get().last_used_at
    token_verify(token=keyed.token())
    assert clients.get().last_used_at == first
    clients.update(last_used_at=first - tokens.LAST_USE_RESOLUTION)  # as if a minute ago
    token_verify(token=keyed.token())
    assert clients.get().last_used_at > first
    assert UsedTokenId.objects.filter(client=keyed.client).count() == 3


def test_unique_constraint_race_is_a_replay(keyed, monkeypatch):
    token = keyed.token(jti="raced")
    token_verify(token=token)
    # Pretend the other request has not committed yet when this one looks.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(tokens.TokenReplayed):
        token_verify(token=token)
    assert UsedTokenId.objects.filter(jti="raced").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_token_let_one_through():
    keyed = make_client(make_organization())
    token = keyed.token()
    results: list[str] = []
    barrier = threading.Barrier(4)

    def attempt():
        try:
            barrier.wait()
            token_verify(token=token)
            results.append("ok")
        except tokens.TokenReplayed:
            results.append("replayed")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "replayed", "replayed", "replayed"]
    assert UsedTokenId.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_replay_outside_a_transaction_is_refused_and_the_next_token_passes():
    keyed = make_client(make_organization())
    token = keyed.token()
    token_verify(token=token)
    with pytest.raises(tokens.TokenReplayed):
        token_verify(token=token)
    assert token_verify(token=keyed.token()).client == keyed.client
    assert UsedTokenId.objects.count() == 2
