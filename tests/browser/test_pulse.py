"""An employee answers a pulse; the manager's results appear with the fifth answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagement import services as engagement_services
from engagement.models import AudienceKind, Person
from feedback import services
from feedback.models import Form
from scheduling.models import Session
from tests.browser.pages import PageWatch, sign_in

pytestmark = pytest.mark.browser


def _likert_answers(form, value=4):
    return {
        q.pk: services.Given(value=value if q.kind == "likert" else 8)
        for q in form.questions.exclude(kind="text")
    }


def test_an_employee_answers_and_the_fifth_answer_shows_the_results(demo, browser, live_server):
    manager = Person.objects.get(username="manager")
    employee = Person.objects.get(username="employee")
    program = engagement_services.program_create(
        actor=Person.objects.get(username="admin"),
        practice="EE3",
        name="Shift B pulse",
        owner=manager,
        starts_on=timezone.localdate() - timedelta(days=2),
        audience_kind=AudienceKind.TEAM,
        audience_manager=manager,
    )
    form = services.form_create(actor=manager, program=program, template="pulse")
    # Its first window opened two days ago: the planner opened it on creation.
    window = Session.objects.filter(program=program).earliest("starts_at")
    team = list(manager.direct_reports.active().order_by("pk"))
    assert set(window.participants.values_list("person", flat=True)) == {p.pk for p in team}
    others = [p for p in team if p.pk != employee.pk][:4]
    for person in others:
        services.response_submit(window=window, person=person, answers=_likert_answers(form))

    manager_context = browser.new_context(base_url=live_server.url)
    manager_page = manager_context.new_page()
    manager_watch = PageWatch(manager_page, live_server.url)
    sign_in(manager_page, "manager")
    with manager_page.expect_navigation():
        manager_page.get_by_role("navigation").get_by_role("link", name="Results").click()
    assert "Hidden to protect anonymity" in manager_page.locator(".kpis").inner_text()

    employee_context = browser.new_context(base_url=live_server.url)
    page = employee_context.new_page()
    watch = PageWatch(page, live_server.url)
    sign_in(page, "employee")
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name="Surveys").click()
    with page.expect_navigation():
        page.locator("#open li", has_text="Shift B pulse").get_by_role(
            "link", name="Answer"
        ).click()
    assert "Anonymous" in page.locator(".lead").inner_text()
    page.click("#survey-form button[type=submit]")  # nothing chosen: every question complains
    assert page.locator(".has-error").count() >= 10
    # That 400 was the form coming back with its messages, as intended.
    watch.console_errors.clear()
    watch.failed_requests.clear()
    for question in page.locator("fieldset.question").all():
        choice = question.locator("input[type=radio][value='4']")
        if choice.count():
            choice.check()
    page.fill("#survey-form textarea", "More notice when rotas change, please.")
    page.click("#survey-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "nobody can see who gave them" in page.content()
    assert Form.objects.get(pk=form.pk).responses.count() == 5
    watch.assert_clean()
    employee_context.close()

    manager_page.reload()
    kpis = manager_page.locator(".kpis").inner_text()
    assert "Hidden to protect anonymity" not in kpis
    assert "100%" in kpis  # everyone agreed they are proud to work here
    manager_page.wait_for_selector("#drivers table")
    manager_page.wait_for_selector(".chart .main-svg")  # plotly.js, served locally, drew
    assert (
        "More notice when rotas change, please." in manager_page.locator("#comments").inner_text()
    )
    manager_watch.assert_clean()
    manager_context.close()
