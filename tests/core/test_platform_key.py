import stat

import pytest

from agora.core import platform_key


@pytest.fixture
def fresh_key(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("AGORA_PLATFORM_KEY", raising=False)
    settings.PLATFORM_KEY_FILE = str(tmp_path / "keys" / "platform.pem")
    platform_key.platform_private_key.cache_clear()
    yield tmp_path / "keys" / "platform.pem"
    platform_key.platform_private_key.cache_clear()


def test_the_key_is_made_on_first_use_readable_only_by_its_owner(fresh_key):
    signature = platform_key.platform_sign(b"tree head")
    assert fresh_key.exists()
    assert stat.S_IMODE(fresh_key.stat().st_mode) == 0o600
    assert platform_key.platform_verify(signature, b"tree head")
    assert not platform_key.platform_verify(signature, b"another head")


def test_the_same_key_is_used_after_a_restart(fresh_key):
    first = platform_key.platform_public_key_b64()
    platform_key.platform_private_key.cache_clear()
    assert platform_key.platform_public_key_b64() == first


def test_a_key_file_that_is_not_ed25519_stops_start_up_with_a_clear_message(fresh_key):
    from django.core.exceptions import ImproperlyConfigured

    fresh_key.parent.mkdir(parents=True)
    fresh_key.write_text("not a key")
    with pytest.raises(ImproperlyConfigured, match="does not hold a PEM private key"):
        platform_key.platform_private_key()
