"""Playwright driving the system's Chromium against Django's live server."""

import os
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the test itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


class PageWatch:
    """Collects console errors and requests to any host but the live server."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        own = urlparse(base_url).netloc
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on(
            "request",
            lambda request: (
                self.foreign_requests.append(request.url)
                if urlparse(request.url).netloc not in {own, ""}
                and not request.url.startswith(("data:", "about:"))
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                self.failed_requests.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def assert_clean(self):
        assert self.console_errors == []
        assert self.foreign_requests == []
        assert self.failed_requests == []


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.watch = PageWatch(page, live_server.url)
    yield page
    context.close()


def sign_in(page, username: str, password: str = "demo") -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
