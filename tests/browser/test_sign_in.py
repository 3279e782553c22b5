"""A resident signs in as a person would: email and password, then the authenticator code."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import current_code, resident, sign_in_with_password, wrong_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_totp_lands_on_account_page(live_server, any_page):
    page = any_page
    user, secret = resident(totp=True)
    sign_in_with_password(page, live_server, email=user.email)

    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/account/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    expect(page.get_by_text(user.email).first).to_be_visible()
    expect(page.get_by_role("button", name="Sign out").first).to_be_visible()


def test_sign_in_without_javascript_then_sign_out(live_server, page_without_js):
    page = page_without_js
    user, _ = resident()
    sign_in_with_password(page, live_server, email=user.email)
    page.wait_for_url("**/account/")
    expect(page.get_by_text(user.email).first).to_be_visible()

    # Signing out is a plain form post from the service navigation.
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Sign in")).to_be_visible()


def test_wrong_totp_code_shows_error_summary(live_server, page):
    user, secret = resident(totp=True)
    sign_in_with_password(page, live_server, email=user.email)
    page.wait_for_url("**/accounts/2fa/authenticate/**")

    page.get_by_label("Code").fill(wrong_code(secret))
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    link = summary.get_by_role("link", name="The code is not correct")
    assert link.get_attribute("href") == "#id_code"
    assert page.locator("#id_code-error").inner_text().endswith(
        "The code is not correct. Enter the 6-digit code your authenticator app shows now."
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    # With JavaScript on, GOV.UK Frontend moves focus to the summary.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert_no_axe_violations(page)

    # The right code still works afterwards.
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/account/")


def test_wrong_password_shows_error_summary(live_server, page_without_js):
    page = page_without_js
    user, _ = resident()
    sign_in_with_password(page, live_server, email=user.email, password="not the password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_login"
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
