"""An HR administrator creates a program through the form; a wrong RRULE is explained."""

import pytest

from engagement.models import Program
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_hr_admin_creates_a_program_and_sees_rrule_errors(demo, page):
    sign_in(page, "admin")
    page.goto("/practices/")
    page.locator("#EE15").get_by_role("link", name="Start").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_config_capacity").input_value() == "25"

    page.fill("#id_name", "Lunch & learn: SQL for everyone")
    page.select_option("#id_cadence", "custom")
    assert page.locator("#id_custom_rrule").is_visible()
    page.fill("#id_custom_rrule", "FREQ=MONTHLY;BYDAY=XX")
    page.click("#program-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    error = page.locator("#field-custom_rrule .errorlist")
    assert "not a valid RFC 5545 recurrence rule" in error.inner_text()
    assert page.locator("#id_name").input_value() == "Lunch & learn: SQL for everyone"
    assert not Program.objects.filter(name__startswith="Lunch & learn: SQL").exists()
    page.screenshot(path="/tmp/rapport-screenshots/program-form-error.png", full_page=True)

    page.fill("#id_custom_rrule", "FREQ=MONTHLY;BYDAY=2TH")
    page.click("#program-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Lunch & learn: SQL for everyone")
    assert page.locator(".messages .success").is_visible()
    program = Program.objects.get(name="Lunch & learn: SQL for everyone")
    assert program.rrule == "FREQ=MONTHLY;BYDAY=2TH"
    assert program.practice == "EE15"
    page.screenshot(path="/tmp/rapport-screenshots/program-detail.png", full_page=True)
    page.watch.assert_clean()
