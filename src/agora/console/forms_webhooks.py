"""Forms of the webhook pages: subscribe an endpoint, replay dead deliveries."""

from django import forms

from agora.notifications.models import EventType


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label="Endpoint address",
        max_length=500,
        help_text="An https:// address on the internet, like https://partner.example/agora. "
                  "We post each event there, signed with a secret we show you once.",
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the address of your endpoint."},
    )
    event_types = forms.MultipleChoiceField(
        label="Events to send",
        choices=[(value, f"{label} ({value})") for value, label in EventType.choices],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )
    description = forms.CharField(
        label="Description (optional)", max_length=200, required=False,
        help_text="What system receives these events, so colleagues recognise it.",
    )


class ReplayForm(forms.Form):
    """Replay one dead delivery (named) or, with no delivery, all of them."""

    delivery = forms.UUIDField(required=False)
