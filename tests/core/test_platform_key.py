"""The platform's private keys: made on first use, found by key id, written atomically."""

import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from agora.core import platform_key


@pytest.fixture
def fresh_key(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("AGORA_PLATFORM_KEY", raising=False)
    settings.PLATFORM_KEY_FILE = str(tmp_path / "keys" / "platform.pem")
    settings.PLATFORM_KEY_DIR = str(tmp_path / "rotated")
    platform_key.forget_loaded_keys()
    yield tmp_path / "keys" / "platform.pem"
    platform_key.forget_loaded_keys()


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_the_key_is_made_on_first_use_readable_only_by_its_owner(fresh_key):
    key = platform_key.initial_private_key()
    assert fresh_key.exists()
    assert stat.S_IMODE(fresh_key.stat().st_mode) == 0o600
    signature = key.sign(b"tree head")
    public = platform_key.public_raw(key.public_key())
    assert platform_key.signature_valid(public, signature, b"tree head")
    assert not platform_key.signature_valid(public, signature, b"another head")


def test_the_same_key_is_used_after_a_restart(fresh_key):
    first = platform_key.key_id(platform_key.initial_private_key().public_key())
    platform_key.forget_loaded_keys()
    assert platform_key.key_id(platform_key.initial_private_key().public_key()) == first
    assert platform_key.private_key(first) is not None


def test_without_create_a_missing_key_is_none_and_no_file_is_made(fresh_key):
    assert platform_key.initial_private_key(create=False) is None
    assert not fresh_key.exists()


def test_a_key_file_that_is_not_ed25519_stops_start_up_with_a_clear_message(fresh_key):
    fresh_key.parent.mkdir(parents=True)
    fresh_key.write_text("not a key")
    with pytest.raises(ImproperlyConfigured, match="does not hold a PEM private key"):
        platform_key.initial_private_key()


def test_the_key_id_is_the_rfc_7638_thumbprint():
    # RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key.
    raw = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    assert platform_key.public_key_id(raw) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_several_keys_in_the_environment_are_all_found(fresh_key, monkeypatch):
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    monkeypatch.setenv("AGORA_PLATFORM_KEY", _pem(first) + _pem(second))
    assert platform_key.initial_private_key().public_key() == first.public_key()
    second_id = platform_key.key_id(second.public_key())
    assert platform_key.private_key(second_id).public_key() == second.public_key()
    assert not fresh_key.exists()  # the environment form writes no file


def test_a_new_key_is_written_whole_under_its_id(fresh_key):
    kid, key, path = platform_key.private_key_create()
    assert path.name == f"{kid}.pem" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    platform_key.forget_loaded_keys()
    assert platform_key.private_key(kid).public_key() == key.public_key()


def test_a_key_file_under_another_keys_name_is_refused(fresh_key):
    kid, _, path = platform_key.private_key_create()
    path.write_text(_pem(Ed25519PrivateKey.generate()))
    platform_key.forget_loaded_keys()
    with pytest.raises(ImproperlyConfigured, match="another key than its name says"):
        platform_key.private_key(kid)


def test_an_unknown_key_id_is_none():
    assert platform_key.private_key("../../etc/passwd") is None
    assert platform_key.private_key("x" * 43) is None
