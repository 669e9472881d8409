"""A manager prepares and holds a 1-on-1; the report sees the action and the carried-over
point."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from engagement.models import Person
from scheduling.models import Session
from tests.browser.pages import PageWatch, sign_in

pytestmark = pytest.mark.browser


def test_manager_prepares_a_1_on_1_and_the_report_follows_up(demo, browser, live_server):
    call_command("plan_sessions", verbosity=0)
    employee = Person.objects.get(username="employee")
    first, second = Session.objects.filter(
        program__practice="EE10", series=f"pair:{employee.manager_id}:{employee.pk}"
    ).order_by("starts_at")[:2]

    manager_context = browser.new_context(base_url=live_server.url)
    page = manager_context.new_page()
    watch = PageWatch(page, live_server.url)
    sign_in(page, "manager")
    page.goto(first.get_absolute_url())
    page.fill("#point-form input[name=text]", "Shift swap for December")
    page.click("#point-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.fill("#action-form input[name=text]", "Book the forklift refresher")
    page.select_option("#action-form select[name=owner]", label=str(employee))
    page.click("#action-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Book the forklift refresher" in page.locator("#actions").inner_text()
    assert page.locator("#outcome-form").count() == 0  # not held before it starts

    # The meeting time comes: the manager records it held, with who attended.
    Session.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(minutes=40),
        ends_at=timezone.now() - timedelta(minutes=10),
    )
    page.reload()
    page.check("#outcome-form input[name=status][value=held]")
    page.click("#outcome-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Recorded how the session went." in page.content()
    assert "Held" in page.locator("h1").inner_text()
    first.refresh_from_db()
    assert first.status == "held"
    assert first.participants.get(person=employee).attended is True
    watch.assert_clean()
    manager_context.close()

    report_context = browser.new_context(base_url=live_server.url)
    page = report_context.new_page()
    watch = PageWatch(page, live_server.url)
    sign_in(page, "employee")
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name="My actions").click()
    assert "Book the forklift refresher" in page.locator("table").inner_text()
    page.goto(second.get_absolute_url())
    agenda = page.locator("#agenda").inner_text()
    assert "Shift swap for December" in agenda
    assert "carried over" in agenda
    page.locator("#actions").get_by_role("button", name="Done").click()
    page.wait_for_load_state("networkidle")
    page.goto("/actions/")
    assert "Book the forklift refresher" not in page.content()
    watch.assert_clean()
    report_context.close()
