"""Playwright fixtures: Debian's chromium, headless, with JavaScript on or off.

    def test_x(live_server, page): ...            # JavaScript on
    def test_y(live_server, page_without_js): ... # JavaScript off
    def test_z(live_server, any_page): ...        # runs twice, once each way

Pages are served by pytest-django's live_server, which serves static files from the
finders (build/static, where scripts/build-static puts the front end), so run
scripts/build-static first. Playwright's own browser downloads are never used.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.axe import AXE_JS, assert_no_axe_violations

CHROMIUM = os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILT_CSS = Path(__file__).resolve().parents[2] / "build" / "static" / "agora" / "agora.css"


@pytest.fixture(scope="module")
def browser():
    """Return a headless chromium shared by one module's browser tests.

    Playwright's sync API keeps an event loop running in the test thread, which Django
    takes for async code; the tests' ORM calls (setting up data, flushing the database
    afterwards) are plain synchronous code, so Django's guard is lifted while the
    browser runs, and only then: process-wide, `check --deploy` would rightly object.
    """
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        pytest.fail(f"chromium not found at {CHROMIUM}: run scripts/ensure-chromium.")
    if not BUILT_CSS.exists():
        pytest.fail("The front end is not built: run scripts/build-static first.")
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run npm ci.")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def browser_settings(settings):
    """Let the session cookie work over the live server's plain http."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return settings


def _new_page(browser, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, browser_settings):
    """Return a fresh page (own cookies) with JavaScript on."""
    context, page = _new_page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, browser_settings):
    """Return a fresh page (own cookies) with JavaScript off."""
    context, page = _new_page(browser, javascript=False)
    yield page
    context.close()


@pytest.fixture(params=["js", "no-js"])
def any_page(request, browser, browser_settings):
    """Return a fresh page, once with JavaScript on and once with it off."""
    context, page = _new_page(browser, javascript=request.param == "js")
    yield page
    context.close()


@pytest.fixture
def check_axe(request):
    """Return a check of the page with axe-core, which needs JavaScript: with it off (the
    `any_page` run without it) the journey still runs and the check is skipped, since the
    markup is the same either way."""
    callspec = getattr(request.node, "callspec", None)
    javascript = callspec is None or callspec.params.get("any_page") != "no-js"

    def check(page):
        if javascript:
            assert_no_axe_violations(page)

    return check
