"""What scheduling adds to a person's today list (submissions they owe), what a program
page tells HR about private series, and a saved program's sessions planned at once."""

from datetime import time, timedelta

from django.utils import timezone

from engagement import services
from engagement.models import AudienceKind
from scheduling import selectors
from scheduling.models import Session
from scheduling.today import submissions_due
from tests.factories import make_program, make_session, page_of


def _period(program, person, *, opened_days_ago, due_in_days, **fields):
    now = timezone.now()
    return make_session(
        program,
        [(person, "submitter")],
        kind="period",
        start=now - timedelta(days=opened_days_ago),
        due_at=now + timedelta(days=due_in_days),
        series=f"s{opened_days_ago}-{due_in_days}",
        **fields,
    )


def test_submissions_due_soon_or_late_need_the_person_and_nothing_else_does(
    org, django_assert_max_num_queries
):
    employee = org["employee"]
    scorecard = make_program("EE13", owner=org["manager"], name="Weekly scorecard")
    soon = _period(scorecard, employee, opened_days_ago=6, due_in_days=2)
    late = _period(scorecard, employee, opened_days_ago=12, due_in_days=-3)
    _period(scorecard, employee, opened_days_ago=40, due_in_days=-30)  # long gone
    _period(scorecard, employee, opened_days_ago=1, due_in_days=20)  # not due for weeks
    _period(scorecard, employee, opened_days_ago=-2, due_in_days=5)  # not open yet
    handed_in = _period(scorecard, employee, opened_days_ago=5, due_in_days=1)
    handed_in.participants.update(submitted_on=timezone.localdate())
    survey = make_program("EE3", owner=org["hr"])
    _period(survey, employee, opened_days_ago=1, due_in_days=3)  # the feedback app's
    with django_assert_max_num_queries(2):
        items = submissions_due(employee, timezone.now())
    assert [(i.url, i.overdue) for i in items] == [
        (late.get_absolute_url(), True),
        (soon.get_absolute_url(), False),
    ]
    assert all(i.kind == "submission" and i.title == "Weekly scorecard" for i in items)
    assert items[0].detail.startswith("Was due")
    assert submissions_due(org["colleague"], timezone.now()) == []


def test_the_home_page_lists_a_submission_due(client, org):
    scorecard = make_program("EE13", owner=org["manager"], name="Weekly scorecard")
    period = _period(scorecard, org["employee"], opened_days_ago=6, due_in_days=2)
    client.force_login(org["employee"])
    needs = page_of(client.get("/")).split('id="needs-you"', 1)[1].split('id="coming-up"')[0]
    assert period.get_absolute_url() in needs


def _one_on_ones(org):
    manager = org["manager"]
    program = make_program(
        "EE10", owner=manager, audience_kind=AudienceKind.TEAM, audience_manager=manager
    )
    for person in (org["employee"], org["colleague"]):
        series = f"pair:{manager.pk}:{person.pk}"
        people = [(manager, "host"), (person, "attendee")]
        for days in (3, 17, 31):
            make_session(program, people, hours_from_now=24 * days, series=series)
        make_session(program, people, hours_from_now=-24 * 11, series=series, status="held")
        make_session(program, people, hours_from_now=-24 * 4, series=series, status="cancelled")
    return program


def test_hr_reads_how_many_private_sessions_a_series_has_and_nothing_more(client, org):
    program = _one_on_ones(org)
    client.force_login(org["hr"])
    sessions = page_of(client.get(program.get_absolute_url())).split('id="sessions"', 1)[1]
    sessions = sessions.split("</section>", 1)[0]
    assert "6 upcoming, 2 held" in sessions
    assert "(private to the two people)" in sessions
    assert "Nothing planned yet" not in sessions
    for person in (org["employee"], org["colleague"]):
        assert person.get_full_name() not in sessions
        assert person.username not in sessions
    for session in Session.objects.filter(program=program):
        assert session.get_absolute_url() not in sessions


def test_the_owner_sees_the_sessions_themselves_and_a_member_no_counts(client, org):
    program = _one_on_ones(org)
    client.force_login(org["manager"])
    page = page_of(client.get(program.get_absolute_url()))
    assert 'id="private-sessions"' not in page
    assert org["employee"].get_full_name() in page.split('id="sessions"', 1)[1]
    client.force_login(org["employee"])
    page = page_of(client.get(program.get_absolute_url()))
    assert 'id="private-sessions"' not in page
    assert "upcoming," not in page


def test_a_saved_program_is_planned_at_once_without_a_worker(client, org, monkeypatch):
    queued = []
    monkeypatch.setattr(selectors, "async_task", lambda *args: queued.append(args))
    program = make_program(
        "EE11",
        owner=org["manager"],
        starts_on=timezone.localdate(),
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    selectors.plan_program_soon(program.pk)
    assert Session.objects.filter(program=program).exists()
    assert queued == []


def test_a_program_whose_planning_fails_at_once_is_left_to_a_worker(org, monkeypatch):
    queued = []
    monkeypatch.setattr(selectors, "async_task", lambda *args: queued.append(args))

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors.planner, "session_plan", broken)
    program = make_program("EE11", owner=org["manager"])
    selectors.plan_program_soon(program.pk)
    assert queued == [("scheduling.tasks.plan_program", program.pk)]


def test_a_program_saved_by_its_service_shows_its_sessions_on_its_page(
    client, org, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(selectors, "async_task", lambda *args: None)  # no worker runs
    with django_capture_on_commit_callbacks(execute=True):
        program = services.program_create(
            actor=org["manager"],
            practice="EE11",
            name="Weekly team meeting",
            owner=org["manager"],
            audience_kind=AudienceKind.TEAM,
            audience_manager=org["manager"],
            rrule="FREQ=WEEKLY",
            starts_on=timezone.localdate() + timedelta(days=1),
            start_time=time(9, 0),
            time_zone="Europe/London",
            duration_minutes=45,
        )
    client.force_login(org["manager"])
    sessions = page_of(client.get(program.get_absolute_url())).split('id="sessions"', 1)[1]
    assert "Nothing planned yet" not in sessions
    first = Session.objects.filter(program=program).earliest("starts_at")
    assert first.get_absolute_url() in sessions
