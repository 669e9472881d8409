"""An employee signs up to a full lunch & learn, is waitlisted, and is promoted."""

import pytest
from django.core import mail
from django.core.management import call_command

from engagement.models import Person, Program
from scheduling import services
from scheduling.models import Session, SignUp
from tests.browser.pages import PageWatch, sign_in

pytestmark = pytest.mark.browser


def test_full_lunch_and_learn_waitlists_then_promotes(demo, browser, live_server):
    call_command("plan_sessions", verbosity=0)
    program = Program.objects.get(practice="EE15")
    session = Session.objects.filter(program=program).earliest("starts_at")
    Session.objects.filter(pk=session.pk).update(capacity=1)
    first = Person.objects.get(username="manager")
    services.session_sign_up(session=session, person=first)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    watch = PageWatch(page, live_server.url)
    sign_in(page, "employee")
    page.goto(session.get_absolute_url())
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state("networkidle")
    assert "you are on the waitlist" in page.locator(".messages").inner_text()
    employee = Person.objects.get(username="employee")
    assert session.participants.get(person=employee).signup == SignUp.WAITLISTED

    services.session_withdraw(session=session, person=first)  # a seat frees up
    page.reload()
    assert "on the waitlist" not in page.locator("#when").inner_text()
    assert session.participants.get(person=employee).signup == SignUp.CONFIRMED
    assert any(employee.email in message.to for message in mail.outbox)
    watch.assert_clean()
    context.close()
