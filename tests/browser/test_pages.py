"""Every page a resident meets passes axe-core's WCAG 2.2 AA rules in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import current_code, resident, sign_in_with_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Agora"),
        ("/accessibility/", "Accessibility statement for Agora"),
        ("/privacy/", "Privacy notice"),
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Create an account"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/no-such-page/", "Page not found"),
    ],
)
def test_public_page_is_accessible(live_server, page, path, heading):
    page.goto(live_server.url + path)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    expect(page).to_have_title(re.compile(r"Agora$"))
    assert_no_axe_violations(page)


def test_pages_load_govuk_frontend_styles_and_scripts(live_server, page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/accounts/login/")
    # GOV.UK Frontend ran: it marks the body and turns on the password's Show button.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    expect(page.get_by_role("button", name="Show password")).to_be_visible()
    # The stylesheet applied: the service navigation has the brand background colour.
    background = page.locator(".govuk-service-navigation").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert errors == []


def test_sign_in_errors_are_accessible(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter email").get_attribute("href") == "#id_login"
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_no_axe_violations(page)


def test_account_page_is_accessible(live_server, page):
    user, _ = resident()
    sign_in_with_password(page, live_server, email=user.email)
    page.wait_for_url("**/account/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert_no_axe_violations(page)


def test_forbidden_page_is_accessible(live_server, page):
    user, _ = resident()
    sign_in_with_password(page, live_server, email=user.email)
    page.wait_for_url("**/account/")
    response = page.goto(live_server.url + "/console/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot open this page"
    assert_no_axe_violations(page)


def test_totp_step_is_accessible(live_server, page):
    user, _ = resident(totp=True)
    sign_in_with_password(page, live_server, email=user.email)
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Enter the code from your authenticator app"
    )
    assert_no_axe_violations(page)


def test_totp_activation_page_is_accessible(live_server, page):
    user, _ = resident()
    sign_in_with_password(page, live_server, email=user.email)
    page.wait_for_url("**/account/")
    page.get_by_role("link", name="Set up an authenticator app").click()
    # Setting up a second factor asks for the password again first.
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up an authenticator app"
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#authenticator_secret").inner_text().replace(" ", "")
    assert len(secret) >= 16
    assert_no_axe_violations(page)
    # The key shown as text is the one the QR code holds: its code turns the app on.
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_load_state()
    expect(page).not_to_have_title(re.compile(r"Set up an authenticator app"))


def test_axe_check_reports_violations(page):
    """The check itself works: a page with a nameless image and an unlabelled input fails."""
    page.set_content(
        "<!DOCTYPE html><html lang='en'><title>t</title><main>"
        "<img src='data:,'><input type='text'></main></html>"
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)
