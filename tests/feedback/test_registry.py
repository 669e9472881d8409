"""What the feedback app registers with engagement's extension points: the nav entries,
the session and program sections, the today list, the check meetings asks, the job."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from engagement import extensions
from feedback import access as feedback_access
from feedback import sections, services
from tests.factories import answers_for, make_program, make_session, open_window


def _request(person):
    request = RequestFactory().get("/")
    request.user = person
    return request


def _section(place, name):
    return next(s for s in extensions.registry.sections if s.place == place and s.name == name)


def test_the_nav_shows_results_to_those_who_have_some(org):
    [results] = [
        i
        for i in extensions.registry.nav_items
        if i.url_name == "feedback:results_home" and i.menu == "main"
    ]
    assert (results.label, results.order) == ("Results", 90)
    assert results.visible is feedback_access.has_results_home
    labels = [i.label for i in extensions.nav_for(org["employee"])]
    assert "Surveys" in labels
    assert "Results" not in labels
    assert "Results" in [i.label for i in extensions.nav_for(org["manager"])]
    assert "Results" in [i.label for i in extensions.nav_for(org["hr"])]


def test_the_job_seals_closed_windows_hourly():
    [job] = [j for j in extensions.registry.jobs if j.name == "Seal closed survey windows"]
    assert (job.func, job.schedule_type) == ("feedback.tasks.seal_closed_windows", "H")


def test_the_check_says_whether_a_program_asks_its_own_questions(org, team_program):
    assert extensions.ask("program_asks_feedback", team_program) is False
    services.form_create(actor=org["manager"], program=team_program)
    assert extensions.ask("program_asks_feedback", team_program) is True


def test_the_session_section_asks_those_invited_while_it_is_open(org, team, team_program):
    section = _section("session", "session_feedback")
    assert section.order == 10
    assert section.applies_to(team_program.practice_info)
    survey = make_program("EE3", owner=org["hr"])
    assert not section.applies_to(survey.practice_info)
    session = make_session(
        team_program, [(org["manager"], "host"), (org["employee"], "attendee")], hours_from_now=-3
    )
    # No questions yet: nothing to ask.
    assert section.context(_request(org["employee"]), session, None) is None
    services.form_create(actor=org["manager"], program=team_program)
    context = section.context(_request(org["employee"]), session, None)
    assert context == {"session": session, "answered": False}
    html = render_to_string(section.template, context)
    assert "How was it?" in html
    assert reverse("feedback:answer", args=[session.pk]) in html
    # The host is not asked, nor anyone outside it.
    assert section.context(_request(org["manager"]), session, None) is None
    assert section.context(_request(org["outsider"]), session, None) is None
    # Closed two weeks after it started.
    session.starts_at = timezone.now() - timedelta(days=15)
    assert section.context(_request(org["employee"]), session, None) is None


def test_the_program_section_links_questions_and_results(org, team_program):
    section = _section("program", "results")
    assert section.order < _section("program", "sessions").order  # above the sessions
    survey = make_program("EE3", owner=org["hr"])
    context = section.context(_request(org["hr"]), survey, None)
    assert context == {"program": survey, "after_sessions": False, "show_results": True}
    html = render_to_string(section.template, context)
    assert 'id="survey"' in html
    assert f"{reverse('feedback:results_home')}?survey={survey.pk}" in html
    after = section.context(_request(org["employee"]), team_program, None)
    assert after == {"program": team_program, "after_sessions": True, "show_results": False}
    html = render_to_string(section.template, after)
    assert 'id="feedback-after"' in html
    assert reverse("feedback:survey_edit", args=[team_program.pk]) in html
    assert reverse("feedback:results_home") not in html
    council = make_program("EE5", owner=org["hr"])
    assert not section.applies_to(council.practice_info)
    assert section.context(_request(org["hr"]), council, None) is None


def test_today_lists_open_surveys_and_sessions_to_rate_until_answered(
    org, team, pulse, team_program
):
    assert sections.to_answer in extensions.registry.today_sources
    window = open_window(pulse.program)
    services.form_create(actor=org["manager"], program=team_program)
    session = make_session(
        team_program, [(org["manager"], "host"), (org["employee"], "attendee")], hours_from_now=-3
    )
    now = timezone.now()
    items = {item.kind: item for item in extensions.today_items(org["employee"], now)}
    assert items["survey"].url == reverse("feedback:answer", args=[window.pk])
    assert items["survey"].when == window.due_at
    assert items["feedback"].url == reverse("feedback:answer", args=[session.pk])
    services.response_submit(window=window, person=org["employee"], answers=answers_for(pulse))
    kinds = [item.kind for item in sections.to_answer(org["employee"], now)]
    assert kinds == ["feedback"]
    # The host gives no feedback on their own session; they still owe the survey.
    assert [item.kind for item in sections.to_answer(org["manager"], now)] == ["survey"]


def test_every_question_the_catalog_asks_after_a_session_is_in_the_bank():
    from feedback.bank import BANK, after_session_templates

    asked = {key for _, keys in after_session_templates().values() for key in keys}
    assert asked
    assert asked <= set(BANK)
