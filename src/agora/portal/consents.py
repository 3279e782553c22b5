"""“My consents”: list them, give one, read its signed receipt, withdraw it.

Each view parses a form, calls one `access` selector or service and renders. Consents
are found through `consents_for_person` with the signed-in resident's own viewer, so a
consent of someone else is "not found", exactly like one that does not exist.
"""

import json
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from agora.access.models import Consent
from agora.access.receipts import consent_receipt_verify, receipt_key_id, receipt_public_key_b64
from agora.access.selectors import consent_get, consents_for_person
from agora.access.services import consent_give, consent_withdraw
from agora.access.viewers import Viewer
from agora.core import exceptions as errors
from agora.portal.forms import ConfirmForm, ConsentGiveForm, add_agora_error
from agora.portal.residents import resident_view

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
# The service names its fields after the model; the form asks for a day.
SERVICE_FIELDS = {"expires_at": "expires_on"}


def consent_status(consent: Consent, now=None) -> str:
    """Return "withdrawn", "expired" or "active"."""
    now = now or timezone.now()
    if consent.withdrawn_at is not None:
        return "withdrawn"
    if consent.expires_at <= now:
        return "expired"
    return "active"


def _consent_or_404(viewer: Viewer, public_id: uuid.UUID) -> Consent:
    try:
        return consent_get(viewer=viewer, person=viewer.person, public_id=public_id)
    except errors.NotFound as error:
        raise Http404(error.detail) from error


@require_safe
@resident_view
def consent_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """List the resident's consents, active first, then expired and withdrawn."""
    now = timezone.now()
    consents = [(c, consent_status(c, now)) for c in consents_for_person(
        viewer=viewer, person=viewer.person)]
    order = {"active": 0, "expired": 1, "withdrawn": 2}
    consents.sort(key=lambda item: order[item[1]])
    return render(request, "portal/consents/list.html", {"consents": consents})


@GET_POST
@resident_view
def consent_new(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Ask which organisation may see what, why and until when; then give the consent."""
    form = ConsentGiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = consent_give(
                actor=request.user,
                person=viewer.person,
                recipient=data["recipient"],
                categories=list(data["categories"]),
                purpose=data["purpose"],
                expires_at=form.expires_at(),
            )
        except errors.AgoraError as error:
            add_agora_error(form, error, rename=SERVICE_FIELDS)
        else:
            messages.success(
                request,
                f"You have given consent to {consent.recipient.name}. Your receipt is below.",
            )
            return redirect("portal:consent", public_id=consent.public_id)
    return render(request, "portal/consents/give.html", {"form": form})


@require_safe
@resident_view
def consent_detail(request: HttpRequest, viewer: Viewer, public_id: uuid.UUID) -> HttpResponse:
    """Show the consent's receipt, whether its signature checks, and how to download it."""
    consent = _consent_or_404(viewer, public_id)
    return render(
        request,
        "portal/consents/receipt.html",
        {
            "consent": consent,
            "status": consent_status(consent),
            "receipt": consent.receipt,
            "purpose_receipt": _first_purpose(consent.receipt),
            "verified": consent_receipt_verify(consent.receipt, consent.receipt_signature),
        },
    )


def _first_purpose(receipt: dict) -> dict:
    try:
        return receipt["services"][0]["purposes"][0]
    except (KeyError, IndexError, TypeError):
        return {}


@require_safe
@resident_view
def consent_receipt_download(
    request: HttpRequest, viewer: Viewer, public_id: uuid.UUID
) -> HttpResponse:
    """Send the signed receipt as JSON: the receipt, its signature and the platform key."""
    consent = _consent_or_404(viewer, public_id)
    document = {
        "receipt": consent.receipt,
        "signature": consent.receipt_signature,
        "signature_algorithm": "Ed25519",
        "platform_key_id": receipt_key_id(consent.receipt),
        "platform_public_key": receipt_public_key_b64(consent.receipt),
    }
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"consent-receipt-{consent.public_id}-v{consent.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@GET_POST
@resident_view
def consent_withdraw_confirm(
    request: HttpRequest, viewer: Viewer, public_id: uuid.UUID
) -> HttpResponse:
    """Ask to confirm (GET); withdraw at once (POST)."""
    consent = _consent_or_404(viewer, public_id)
    if consent.withdrawn_at is not None:
        messages.info(request, "You have already withdrawn this consent.")
        return redirect("portal:consent", public_id=consent.public_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            consent = consent_withdraw(actor=request.user, consent=consent)
        except errors.Conflict:
            messages.info(request, "You have already withdrawn this consent.")
            return redirect("portal:consent", public_id=consent.public_id)
        except errors.AgoraError as error:
            add_agora_error(form, error)
        else:
            messages.success(
                request,
                f"You have withdrawn your consent. It takes effect at once: "
                f"{consent.recipient.name} can no longer see this information.",
            )
            return redirect("portal:consents")
    return render(request, "portal/consents/withdraw.html", {"consent": consent, "form": form})
