"""Open311 API keys: the shared secret GeoReport v2 clients send as `api_key`.

GeoReport v2 authenticates a POST with a plain key in the form, not a signed token, so
each key is issued to one of a member organisation's API clients and stands for it.
Only a SHA-256 digest of the key is stored; the key is shown once, when it is issued.
"""

from django.db import models

from agora.organizations.models import ApiClient


class Open311Key(models.Model):
    """A key an API client sends as `api_key`; revoked keys stay for the record."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="open311_keys")
    prefix = models.CharField(
        max_length=16, unique=True, help_text="The key's first characters, to name it in lists."
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.client})"
