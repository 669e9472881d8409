"""What a window is (``feedback.windows``): when it is open, who it asks, the month
feedback after sessions is filed in; and the organisation-tree helpers it relies on."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from engagement.models import Person
from engagement.models.people import below_sql, climb, tree_cte
from feedback import services, windows
from tests.factories import answers_for, make_session, open_window


def test_a_survey_window_is_open_from_its_start_to_its_due_date(org, team, pulse):
    window = open_window(pulse.program, days_ago=1, length=10)
    now = timezone.now()
    assert windows.window_is_open(window, now)
    assert not windows.window_is_open(window, window.starts_at - timedelta(seconds=1))
    assert not windows.window_is_open(window, window.due_at)
    window.status = "cancelled"
    assert not windows.window_is_open(window, now)


def test_a_meeting_takes_feedback_for_two_weeks_unless_it_did_not_happen(org, team_program):
    session = make_session(team_program, [(org["manager"], "host")], hours_from_now=-3)
    start = session.starts_at
    assert windows.window_is_open(session, start)
    assert windows.window_is_open(session, start + timedelta(days=windows.FEEDBACK_DAYS - 1))
    assert not windows.window_is_open(session, start + timedelta(days=windows.FEEDBACK_DAYS))
    for status in ("cancelled", "missed"):
        session.status = status
        assert not windows.window_is_open(session, start + timedelta(hours=1))


def test_a_survey_asks_its_submitters_and_a_meeting_its_places_not_the_host(
    org, team, pulse, team_program
):
    window = open_window(pulse.program)
    invited = set(windows.invitations(pulse, [window]).values_list("person_id", flat=True))
    assert invited == set(window.participants.values_list("person_id", flat=True))
    form = services.form_create(actor=org["manager"], program=team_program)
    session = make_session(
        team_program,
        [(org["manager"], "host"), (org["employee"], "attendee"), (org["colleague"], "presenter")],
    )
    asked = set(windows.invitations(form, [session]).values_list("person_id", flat=True))
    assert asked == {org["employee"].pk, org["colleague"].pk}
    assert set(windows.survey_windows_for(org["employee"])) == {window, session}
    assert set(windows.survey_windows_for(org["manager"])) == {window}


def test_feedback_after_sessions_is_filed_in_the_month_of_the_session(org, team_program):
    form = services.form_create(actor=org["manager"], program=team_program)
    session = make_session(team_program, [(org["manager"], "host"), (org["employee"], "attendee")])
    period = windows.period_for(form, session)
    assert period.starts_at <= session.starts_at < period.ends_at
    local = timezone.localtime(period.starts_at, team_program.zone)
    assert (local.day, local.hour, local.minute) == (1, 0, 0)
    assert windows.period_for(form, session) == period
    assert windows.column(form) == "period_id"


def test_my_surveys_open_now_and_answered(org, team, pulse):
    window = open_window(pulse.program)
    [mine] = windows.surveys_to_answer(org["employee"])
    assert mine.session == window
    assert mine.is_open
    services.response_submit(window=window, person=org["employee"], answers=answers_for(pulse))
    assert windows.has_answered(pulse, window, org["employee"])
    assert not windows.has_answered(pulse, window, org["colleague"])
    closed = timezone.now() + timedelta(days=30)
    [later] = windows.surveys_to_answer(org["employee"], closed)
    assert not later.is_open


def test_the_tree_sql_lists_everyone_below_with_or_without_the_head(org):
    def run(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}

    below = {org["manager"].pk, org["employee"].pk, org["colleague"].pk}
    assert run(*below_sql(org["leader"].pk)) == below
    assert run(*below_sql(org["leader"].pk, and_self=True, vendor=connection.vendor)) == {
        org["leader"].pk,
        *below,
    }
    assert set(Person.objects.below(org["leader"]).values_list("pk", flat=True)) == below
    # The tree under the CEO's direct reports, each person with the root they are under.
    sql = (
        f"WITH RECURSIVE {tree_cte('sub', 'manager_id = %s', roots=True)} SELECT root, id FROM sub"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org["ceo"].pk])
        roots = {person: root for root, person in cursor.fetchall()}
    assert roots[org["employee"].pk] == org["leader"].pk
    assert roots[org["outsider"].pk] == org["sales_head"].pk
    assert roots[org["hr"].pk] == org["hr"].pk


def test_the_climb_stops_at_the_nearest_manager_whose_group_passes(org):
    employee, manager, leader, ceo = (org[k] for k in ("employee", "manager", "leader", "ceo"))
    asked = []

    def passes_at(*ids):
        def passes(manager_id):
            asked.append(manager_id)
            return manager_id in ids

        return passes

    assert climb(employee, passes_at(manager.pk)) == manager.pk
    assert asked == [manager.pk]  # the first step passed: the line is not loaded
    assert climb(employee, passes_at(ceo.pk)) == ceo.pk
    assert climb(employee, passes_at(leader.pk, ceo.pk)) == leader.pk
    # Nobody passes: None, or the top of the line.
    assert climb(employee, passes_at()) is None
    assert climb(employee, passes_at(), or_top=True) == ceo.pk
    # From the person themselves.
    assert climb(manager, passes_at(manager.pk), and_self=True) == manager.pk
    assert climb(manager, passes_at(leader.pk), and_self=True) == leader.pk
    assert climb(ceo, passes_at()) is None
