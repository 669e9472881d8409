"""An invitee raises an anonymous round-table topic; the leader sees it with no author."""

import pytest
from django.core.management import call_command

from engagement.models import Program
from scheduling.models import Session
from tests.browser.pages import PageWatch, sign_in

pytestmark = pytest.mark.browser


def test_anonymous_topic_reaches_the_leader_without_its_author(demo, browser, live_server):
    call_command("plan_sessions", verbosity=0)
    program = Program.objects.get(practice="EE8")
    round_table = Session.objects.filter(program=program).earliest("starts_at")
    invitee = round_table.participants.filter(role="attendee").first().person
    invitee.set_password("demo")
    invitee.save()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    watch = PageWatch(page, live_server.url)
    sign_in(page, invitee.username)
    page.goto(round_table.get_absolute_url())
    page.fill("#topic-form input[name=text]", "Will the night shift allowance change?")
    page.check("#topic-form input[name=anonymous]")
    page.click("#topic-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    watch.assert_clean()
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    watch = PageWatch(page, live_server.url)
    sign_in(page, "leader")
    page.goto(round_table.get_absolute_url())
    topics = page.locator("#topics").inner_text()
    assert "Will the night shift allowance change?" in topics
    assert "anonymous" in topics
    assert str(invitee) not in topics
    watch.assert_clean()
    context.close()
