"""Each demo role signs in and lands on its own home page, cleanly and offline."""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/rapport-screenshots"))


@pytest.mark.parametrize(
    ("username", "landmark"),
    [
        ("admin", "#hr-overview"),
        ("leader", "#org-below"),
        ("manager", "#my-team"),
        ("employee", "#programs-part-of"),
    ],
)
def test_each_demo_role_lands_on_its_home_page(demo, page, username, landmark):
    sign_in(page, username)
    assert urlparse(page.url).path == "/"
    assert page.locator("h1").inner_text().startswith("Good to see you")
    assert page.locator(landmark).is_visible()
    if username == "employee":
        assert page.locator("#org-below").count() == 0
        assert page.locator("#hr-overview").count() == 0
    for url in ("/practices/", "/programs/", "/people/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    page.screenshot(path=str(SCREENSHOTS / f"home-{username}.png"), full_page=True)
    page.watch.assert_clean()


def test_wrong_password_shows_an_error(demo, page):
    sign_in(page, "employee", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".form-errors").is_visible()
