"""The resident's pages: home, their account, and the statements every service publishes."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agora.notifications.residents import email_preference_set, email_wanted
from agora.people.models import Person
from agora.topics.selectors import topic_tree


def home(request: HttpRequest) -> HttpResponse:
    """Lead with the search box and the needs residents come with, then say what Agora is."""
    return render(request, "portal/home.html", {"topic_tree": topic_tree()})


def accessibility(request: HttpRequest) -> HttpResponse:
    """Show the accessibility statement."""
    return render(request, "portal/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    """Show the privacy notice."""
    return render(request, "portal/privacy.html")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Show the signed-in person their account: email, name and how it is protected."""
    user = request.user
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    person = Person.objects.filter(user=user).first()
    context = {
        "email_address": EmailAddress.objects.filter(user=user, primary=True).first(),
        "totp_active": Authenticator.Type.TOTP in authenticators,
        "has_person": person is not None,
        "emails_on": person is not None and email_wanted(person, None),
        "recovery_codes_left": (
            len(recovery.wrap().get_unused_codes()) if recovery is not None else None
        ),
    }
    return render(request, "portal/account.html", context)


@login_required
@require_POST
def account_emails(request: HttpRequest) -> HttpResponse:
    """Start or stop, by default, the emails about the resident's requests."""
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404("No person.")
    enabled = request.POST.get("emails") == "on"
    email_preference_set(actor=request.user, person=person, enabled=enabled)
    messages.success(request, "We will email you when your requests change." if enabled
                     else "We will not email you when your requests change.")
    return redirect("portal:account")
