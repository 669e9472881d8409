"""The supervisor runs the daily huddle on a phone: absentees read as absent and get no
mood, every button shows where the focus is, and saving records it held."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from scheduling.models import Session
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_the_supervisor_runs_the_huddle_on_a_phone(demo, browser, live_server):
    call_command("plan_sessions", verbosity=0)
    huddle = (
        Session.objects.filter(program__practice="EE12", starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    start = timezone.now() - timedelta(minutes=5)
    Session.objects.filter(pk=huddle.pk).update(starts_at=start, ends_at=start)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, has_touch=True
    )
    page = context.new_page()
    sign_in(page, "manager")
    page.goto(f"/sessions/{huddle.pk}/huddle/")
    page.fill("#id_why", "The hospital order ships today")
    rows = page.locator(".huddle-row")
    first = rows.first
    first.get_by_text("Absent", exact=True).click()
    expect(first).to_have_class("huddle-row is-absent")
    moods = first.locator("input[data-mood]")
    for index in range(moods.count()):
        expect(moods.nth(index)).to_be_disabled()
    first.get_by_text("Here", exact=True).click()
    expect(moods.first).to_be_enabled()
    first.get_by_text("Absent", exact=True).click()
    rows.nth(1).locator("label", has_text="4").click()

    # Keyboard focus is visible on the tap buttons and on the save button.
    rows.nth(1).locator("input[data-mood]").nth(3).focus()
    page.keyboard.press("ArrowRight")
    outline = (
        rows.nth(1)
        .locator("input[data-mood]:focus + label")
        .evaluate("label => getComputedStyle(label).outlineStyle")
    )
    assert outline == "solid"
    page.get_by_role("button", name="Save huddle").focus()
    outline = page.get_by_role("button", name="Save huddle").evaluate(
        "button => getComputedStyle(button).outlineStyle"
    )
    assert outline == "solid"

    page.get_by_role("button", name="Save huddle").click()
    page.wait_for_load_state()
    assert "Huddle recorded as held." in page.content()
    huddle.refresh_from_db()
    assert huddle.status == "held"
    attended = dict(huddle.participants.values_list("role", "attended").filter(role="host"))
    assert attended == {"host": True}
    assert huddle.participants.filter(attended=False).count() == 1
    context.close()
