"""Member organisations, who works for them, and their machine clients."""

import uuid

from django.conf import settings
from django.db import models


class Organization(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government agency"
        NGO = "ngo", "Non-governmental organisation"
        BUSINESS = "business", "Business"
        COMMUNITY = "community", "Community group"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation; a user may hold several roles there."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        CASEWORKER = "caseworker", "Caseworker"
        PUBLISHER = "publisher", "Publisher"
        ANALYST = "analyst", "Analyst"
        DPO = "dpo", "Data protection officer"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organization}"


class ApiClient(models.Model):
    """A machine client of an organisation; it proves itself with JWTs signed by its key."""

    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_clients"
    )
    name = models.CharField(max_length=100)
    public_jwk = models.JSONField(help_text="Public key as a JWK (OKP Ed25519 or EC P-256).")
    scopes = models.JSONField(default=list, help_text="Granted scopes; see organizations.scopes.")
    purposes = models.JSONField(
        default=list, blank=True,
        help_text="Purpose codes the client may act for; empty: every purpose its "
        "organisation has declared (the access app sets and checks them).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_client_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"


class UsedTokenId(models.Model):
    """A `jti` already seen from a client, kept until the token's `exp` to refuse replays."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="used_tokens")
    jti = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "jti"], name="unique_client_jti")
        ]

    def __str__(self) -> str:
        return f"{self.jti} (until {self.expires_at:%Y-%m-%d %H:%M})"
