"""A resident's unsent application: kept on the server so it survives signing out."""

from django.db import models

from agora.access.models import Consent
from agora.catalog.models import Service
from agora.people.models import Person


class ApplicationDraft(models.Model):
    """The answers a resident has given so far to one service's form; one per person and service.

    Only the resident reads or writes it (the selectors take their viewer); it is deleted
    when the application is sent, and with the person.
    """

    class Prefill(models.TextChoices):
        NOT_ASKED = "", "Not asked yet"
        ACCEPTED = "accepted", "Filled in from records, with consent"
        DECLINED = "declined", "Declined"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="application_drafts")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="drafts")
    answers = models.JSONField(default=dict, blank=True)
    prefilled = models.JSONField(
        default=dict, blank=True,
        help_text="For each answer filled in from a record: the record, its owner and title; "
                  "dropped when the resident changes the answer.",
    )
    prefill = models.CharField(max_length=10, choices=Prefill.choices, blank=True, default="")
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The consent given in the flow under which answers were filled in.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "service"], name="one_draft_per_service"),
        ]

    def __str__(self) -> str:
        return f"Draft application to {self.service_id} by {self.person_id}"
