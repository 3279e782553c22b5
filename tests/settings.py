"""Test settings: production settings with a test secret, so the suite tests what ships."""

import os

# The suite never reads a checkout's var/agora.env (a demo there must not change tests).
os.environ["AGORA_ENV_FILE"] = ""
os.environ.setdefault("AGORA_SECRET_KEY", "test-only-" + "k" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("AGORA_BASE_URL", "http://testserver")

from agora.settings import *  # noqa: F403

# Hashing passwords slowly only slows the suite; the algorithm is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Serve static files straight from the build in tests, without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# The suite tests the lexical answers that must work with no model; the embeddings extra
# is tested where a test turns it on (tests/answers/test_embeddings.py).
ANSWERS_EMBEDDINGS = False
