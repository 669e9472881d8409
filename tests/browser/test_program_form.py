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


def test_hr_finds_people_and_a_time_zone_by_typing_and_saves(demo, page):
    sign_in(page, "admin")
    page.goto("/programs/new/EE11/")
    page.wait_for_load_state("networkidle")
    # The organisation works in London: new programs start there.
    assert page.locator("#id_time_zone").input_value() == "Europe/London"
    page.fill("#id_name", "Floor walk with two colleagues")
    page.check("input[name=audience_kind][value=people]")

    page.click("#field-audience_people .ts-control")
    page.keyboard.type("Kowal")
    page.locator("#field-audience_people .ts-dropdown .option").filter(
        has_text="Daniel Kowalski"
    ).click()
    page.keyboard.type("Martins")
    page.locator("#field-audience_people .option.active", has_text="Sofia Martins").wait_for()
    page.keyboard.press("Enter")  # picks the highlighted match, does not submit
    page.click("#field-time_zone .ts-control")
    page.keyboard.type("new york")
    page.locator("#field-time_zone .option.active", has_text="America/New York").wait_for()
    page.keyboard.press("Enter")
    page.screenshot(path="/tmp/rapport-screenshots/program-form-picker.png", full_page=True)

    page.click("#program-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages .success").is_visible()
    program = Program.objects.get(name="Floor walk with two colleagues")
    assert program.time_zone == "America/New_York"
    assert sorted(p.username for p in program.audience_people.all()) == ["employee", "manager"]
    page.watch.assert_clean()


def test_the_form_still_works_without_javascript(demo, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "admin")
        page.goto("/programs/new/EE11/")
        assert page.locator(".ts-wrapper").count() == 0  # the plain selects
        page.fill("#id_name", "Plain-form meeting")
        page.check("input[name=audience_kind][value=people]")
        page.select_option("#id_audience_people", label="Daniel Kowalski — Warehouse Operative")
        page.select_option("#id_time_zone", "Europe/Dublin")
        page.click("#program-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        program = Program.objects.get(name="Plain-form meeting")
        assert program.time_zone == "Europe/Dublin"
        assert [p.username for p in program.audience_people.all()] == ["employee"]
    finally:
        context.close()
