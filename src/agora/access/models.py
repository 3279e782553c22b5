"""The vocabulary and the grants of information sharing.

Data categories and purposes are what every grant is expressed in. Each organisation
declares the purposes it pursues in its register of processing (`PurposeDeclaration`,
GDPR Art. 30); a purpose counts for it only once its data protection officer approved
the declaration. An Agreement is
one organisation sharing categories with another for named purposes; a Consent is a
person letting one organisation see categories for one purpose. Only the decision
function in `access.decisions` turns these into permit or deny.
"""

import uuid

from django.conf import settings
from django.db import models

from agora.organizations.models import Organization
from agora.people.models import Person


class Classification(models.TextChoices):
    """Levels of a record, least to most protected: open < public < internal < restricted."""

    OPEN = "open", "Open data (reusable by anyone)"
    PUBLIC = "public", "Public (anyone may read)"
    INTERNAL = "internal", "Internal (the owner's staff)"
    RESTRICTED = "restricted", "Restricted (named roles of the owner)"


CLASSIFICATION_ORDER = ["open", "public", "internal", "restricted"]


class LegalBasis(models.TextChoices):
    """GDPR Art. 6(1): why processing is lawful at all."""

    CONSENT = "6.1.a", "Art. 6(1)(a) consent"
    CONTRACT = "6.1.b", "Art. 6(1)(b) contract"
    LEGAL_OBLIGATION = "6.1.c", "Art. 6(1)(c) legal obligation"
    VITAL_INTERESTS = "6.1.d", "Art. 6(1)(d) vital interests"
    PUBLIC_TASK = "6.1.e", "Art. 6(1)(e) public task"
    LEGITIMATE_INTERESTS = "6.1.f", "Art. 6(1)(f) legitimate interests"


class SpecialCondition(models.TextChoices):
    """GDPR Art. 9(2): the extra condition special categories (health, …) need."""

    EXPLICIT_CONSENT = "9.2.a", "Art. 9(2)(a) explicit consent"
    EMPLOYMENT_SOCIAL_SECURITY = "9.2.b", "Art. 9(2)(b) employment and social protection law"
    VITAL_INTERESTS = "9.2.c", "Art. 9(2)(c) vital interests"
    NOT_FOR_PROFIT = "9.2.d", "Art. 9(2)(d) not-for-profit body"
    MADE_PUBLIC = "9.2.e", "Art. 9(2)(e) made public by the person"
    LEGAL_CLAIMS = "9.2.f", "Art. 9(2)(f) legal claims"
    SUBSTANTIAL_PUBLIC_INTEREST = "9.2.g", "Art. 9(2)(g) substantial public interest"
    HEALTH_OR_SOCIAL_CARE = "9.2.h", "Art. 9(2)(h) health or social care"
    PUBLIC_HEALTH = "9.2.i", "Art. 9(2)(i) public health"
    ARCHIVING_RESEARCH = "9.2.j", "Art. 9(2)(j) archiving, research, statistics"


class DataCategory(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_special = models.BooleanField(
        default=False, help_text="A special category under GDPR Art. 9 (such as health)."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "data categories"

    def __str__(self) -> str:
        return self.name


class Purpose(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(help_text="What the data is used for, in plain language.")
    legal_basis = models.CharField(max_length=8, choices=LegalBasis.choices)
    special_condition = models.CharField(
        max_length=8,
        choices=SpecialCondition.choices,
        blank=True,
        help_text="The Art. 9 condition that lets this purpose cover special categories.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PurposeDeclaration(models.Model):
    """One entry of an organisation's register of processing (GDPR Art. 30).

    The organisation pursues `purpose` under `legal_basis` (Art. 6) and, where it names
    special categories, `special_condition` (Art. 9), needing only `categories`. An
    administrator proposes it; it counts once the organisation's data protection officer
    approves it. At most one declaration per organisation and purpose is approved at a
    time, and at most one is proposed: approving a proposal supersedes the approved one.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="purpose_declarations"
    )
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="declarations")
    legal_basis = models.CharField(max_length=8, choices=LegalBasis.choices)
    special_condition = models.CharField(
        max_length=8, choices=SpecialCondition.choices, blank=True,
        help_text="The Art. 9 condition; required when a category is special.",
    )
    categories = models.ManyToManyField(DataCategory, related_name="declarations")
    serves = models.TextField(
        help_text="Whom the processing serves: the people it is about (Art. 30(1)(c)).",
    )
    description = models.TextField(
        blank=True, help_text="How the organisation uses the data for it, in plain words.",
    )
    retention = models.CharField(
        max_length=300, blank=True, help_text="How long the data is kept (Art. 30(1)(f)).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was approved or rejected.",
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was withdrawn or superseded.",
    )

    class Meta:
        ordering = ["organization__name", "purpose__name", "-proposed_at"]
        indexes = [models.Index(fields=["organization", "purpose", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "purpose"],
                condition=models.Q(status="approved"),
                name="one_approved_declaration",
            ),
            models.UniqueConstraint(
                fields=["organization", "purpose"],
                condition=models.Q(status="proposed"),
                name="one_proposed_declaration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.purpose} ({self.status})"


class Agreement(models.Model):
    """A provider organisation shares data categories with a recipient for named purposes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        ENDED = "ended", "Ended"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    provider = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agreements_providing"
    )
    recipient = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agreements_receiving"
    )
    categories = models.ManyToManyField(DataCategory, related_name="agreements")
    purposes = models.ManyToManyField(Purpose, related_name="agreements")
    legal_basis = models.CharField(max_length=8, choices=LegalBasis.choices)
    fields_allowed = models.JSONField(
        default=list, help_text="Names of the record fields the recipient may see."
    )
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    provider_approved_at = models.DateTimeField(null=True, blank=True)
    recipient_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provider", "recipient", "status"])]

    def __str__(self) -> str:
        return self.title


class AgreementGrant(models.Model):
    """One purpose and category an active agreement shares: derived from `Agreement`.

    The access filter looks a record's (provider, category) up here with one index probe
    instead of joining agreements, their categories, purposes and the category table for
    every record (docs/benchmarks.md, "Access filter"). Rows exist for active agreements
    only; their dates are checked when the filter runs. `access.grants` rewrites an
    agreement's rows on every change of it, its categories or purposes, or a category's
    special flag (signals in `access.signals`); `decide` reads the agreements themselves,
    and the property test holds the two to the same answers.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="grants", db_index=False
    )
    recipient = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    provider = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    purpose = models.ForeignKey(
        Purpose, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.ForeignKey(
        DataCategory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    special = models.BooleanField(help_text="The category is a special category (Art. 9).")
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField()

    class Meta:
        indexes = [
            # Everything the filter reads, so it is answered from the index alone.
            models.Index(
                fields=["recipient", "purpose", "provider", "category", "valid_from",
                        "valid_to", "special"],
                name="agreement_grant_lookup",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "purpose", "category"], name="unique_agreement_grant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.purpose_id}/{self.category_id}"


class Consent(models.Model):
    """A person lets a recipient organisation see categories of their data for one purpose."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    recipient = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="consents_received"
    )
    categories = models.ManyToManyField(DataCategory, related_name="consents")
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    receipt = models.JSONField(default=dict, help_text="The consent receipt as issued.")
    receipt_signature = models.TextField(blank=True, help_text="Platform signature, base64.")

    class Meta:
        ordering = ["-given_at"]
        indexes = [
            models.Index(fields=["person", "recipient"]),
            # The consents a recipient holds for one purpose: what the access filter and
            # the category listing's route of consenting people look up, a twelfth of the
            # recipient's consents instead of all (docs/benchmarks.md, "Latency at size").
            models.Index(fields=["recipient", "purpose"], name="consent_recipient_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.recipient} ({self.purpose.code})"
