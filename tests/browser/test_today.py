"""The home page's today list in a browser: the demo manager sees her overdue action
first and the week's huddles on one line, follows the action to its meeting; the
employee sees their own action; on a phone the list fits the screen."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_history(demo):
    call_command("load_demo_history", stdout=StringIO())


def test_the_manager_follows_her_overdue_action_from_the_today_list(demo_history, page):
    page.goto("/accounts/login/")
    assert page.locator("#demo-accounts").inner_text().count("demo") >= 1
    sign_in(page, "manager")
    needs = page.locator("#needs-you li")
    first = needs.first
    assert "Overdue" in first.inner_text()
    assert "Confirm the December rota" in first.inner_text()
    coming = page.locator("#coming-up").inner_text()
    assert coming.count("Shift B daily WHY huddle") == 1  # folded into one line
    assert "in the coming week" in coming
    assert "Shift B 1-on-1s" in page.locator("#today").inner_text()
    assert page.locator(".pagehead .button").count() == 0  # no main "Start a program" button
    first.get_by_role("link", name="Confirm the December rota").click()
    page.wait_for_load_state("networkidle")
    assert "/sessions/" in page.url
    assert page.url.endswith("#actions")
    assert "Confirm the December rota" in page.locator("#actions").inner_text()
    page.watch.assert_clean()


def test_the_employee_sees_their_action_and_the_list_fits_a_phone(demo_history, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "employee")
    assert "Book the forklift refresher course" in page.locator("#needs-you").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.watch.assert_clean()
