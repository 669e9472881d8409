"""A manager prepares and holds a 1-on-1; the report sees the action and the carried-over
point."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

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
    # The meeting time comes: the manager records it held, with who attended.
    Session.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(minutes=40),
        ends_at=timezone.now() - timedelta(minutes=10),
    )
    page.goto(first.get_absolute_url())
    page.fill("#point-form input[name=text]", "Shift swap for December")
    page.click("#point-form button[type=submit]")
    expect(page.locator("#points")).to_contain_text("Shift swap for December")
    page.fill("#action-form input[name=text]", "Book the forklift refresher")
    page.select_option("#action-form select[name=owner]", label=str(employee))
    page.click("#action-form button[type=submit]")
    expect(page.locator("#action-list")).to_contain_text("Book the forklift refresher")
    page.reload()
    page.check("#outcome-form input[name=status][value=held]")
    page.click("#outcome-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Held")
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
    # Done, in place: a carried-over action leaves the later session's list.
    expect(page.locator("#action-list")).not_to_contain_text("Book the forklift refresher")
    page.goto("/actions/")
    assert "Book the forklift refresher" not in page.content()
    watch.assert_clean()
    report_context.close()


def _first_one_on_one(employee):
    return (
        Session.objects.filter(
            program__practice="EE10", series=f"pair:{employee.manager_id}:{employee.pk}"
        )
        .order_by("starts_at")
        .first()
    )


def test_the_1_on_1_page_works_in_place_without_losing_a_draft(demo, page, live_server):
    call_command("plan_sessions", verbosity=0)
    employee = Person.objects.get(username="employee")
    session = _first_one_on_one(employee)
    # Its day has come: it starts in a minute (or started a minute ago, near midnight).
    start = timezone.now() + timedelta(minutes=1)
    if timezone.localtime(start, session.program.zone).date() != timezone.localdate(
        timezone=session.program.zone
    ):
        start -= timedelta(minutes=2)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    sign_in(page, "manager")
    page.goto(session.get_absolute_url())
    # A mark on the window: any reload would wipe it.
    page.evaluate("window.stillTheSamePage = true")

    page.fill("#private-note textarea", "Seems tired; ask about the night shifts")
    page.fill("#point-form input[name=text]", "Holiday rota")
    page.press("#point-form input[name=text]", "Enter")  # Enter adds the point
    expect(page.locator("#points")).to_contain_text("Holiday rota")
    expect(page.locator("#point-form input[name=text]")).to_have_value("")
    expect(page.locator("#point-form input[name=text]")).to_be_focused()  # ready for the next

    page.locator("#points li", has_text="Holiday rota").get_by_role("button").click()
    expect(page.locator("#points s", has_text="Holiday rota")).to_be_visible()

    # The owner list starts on the other person of the pair.
    owner = page.locator("#action-form select[name=owner]")
    assert owner.evaluate("select => select.selectedOptions[0].text") == str(employee)
    page.fill("#action-form input[name=text]", "Send the rota draft")
    page.click("#action-form button[type=submit]")
    expect(page.locator("#action-list")).to_contain_text("Send the rota draft")
    page.locator("#action-list li", has_text="Send the rota draft").get_by_role("button").click()
    expect(page.locator("#action-list s", has_text="Send the rota draft")).to_be_visible()

    page.fill("#notes textarea", "Agreed the holiday rota")
    page.click("#notes button[type=submit]")
    expect(page.locator("#notes")).to_contain_text("Saved at")
    # The private draft, never saved, is still there.
    expect(page.locator("#private-note textarea")).to_have_value(
        "Seems tired; ask about the night shifts"
    )

    page.check("#outcome-form input[name=status][value=held]")
    page.click("#outcome-form button[type=submit]")
    expect(page.locator("#session-status")).to_have_text("Held")
    expect(page.locator("#outcome")).to_contain_text("Recorded: held")
    expect(page.locator("#private-note textarea")).to_have_value(
        "Seems tired; ask about the night shifts"
    )
    assert page.evaluate("window.stillTheSamePage") is True
    page.watch.assert_clean()

    session.refresh_from_db()
    assert session.status == "held"
    assert session.notes.get(private=False).body == "Agreed the holiday rota"
    assert not session.notes.filter(private=True).exists()


def test_the_1_on_1_page_without_javascript(demo, browser, live_server):
    call_command("plan_sessions", verbosity=0)
    employee = Person.objects.get(username="employee")
    session = _first_one_on_one(employee)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "manager")
    page.goto(session.get_absolute_url())
    page.fill("#point-form input[name=text]", "Holiday rota")
    page.press("#point-form input[name=text]", "Enter")
    page.wait_for_load_state()
    assert page.url.endswith("#agenda")
    assert "Holiday rota" in page.locator("#points").inner_text()
    # Saving the shared notes brings the private draft back, unsaved.
    page.fill("#private-note textarea", "Only mine")
    page.fill("#notes textarea", "Shared words")
    page.click("#notes button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#private-note textarea").input_value() == "Only mine"
    assert "Not saved yet" in page.locator("#private-note").inner_text()
    assert page.locator("#notes textarea").input_value() == "Shared words"
    context.close()


def test_a_refused_move_opens_at_the_move_form(demo, page, live_server):
    call_command("plan_sessions", verbosity=0)
    employee = Person.objects.get(username="employee")
    session = _first_one_on_one(employee)
    later = timezone.now() + timedelta(days=3)
    Session.objects.filter(pk=session.pk).update(starts_at=later, ends_at=later)
    sign_in(page, "manager")
    page.goto(session.get_absolute_url())
    page.fill("#move-form input[name=starts_on]", "2020-01-06")
    page.click("#move-form button[type=submit]")
    page.wait_for_load_state()
    error = page.locator("#move-form .errorlist")
    expect(error).to_contain_text("Choose a time in the future.")
    expect(error).to_be_in_viewport()
