"""The planner and periods (survey windows, months of accomplishments): the period that
has begun is planned while it is open, and a program has at most one window open."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from engagement import services as programs
from engagement.models import AudienceKind
from scheduling.models import Participant, Session, SessionStatus
from scheduling.planner import session_plan
from tests.factories import make_program

BERLIN = ZoneInfo("Europe/Berlin")
# Friday 5 March 2027: the pulse window of Monday 1 March (ten days) is open.
NOW = datetime(2027, 3, 5, 12, 0, tzinfo=UTC)


def _pulse(org, **fields):
    fields.setdefault("rrule", "FREQ=MONTHLY")
    fields.setdefault("starts_on", date(2027, 1, 1))
    return make_program(
        "EE3",
        owner=org["hr"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        config={"window_days": 10, "anonymous": True, "min_group_size": 3},
        **fields,
    )


def _live(program):
    return list(
        Session.objects.filter(program=program)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
    )


def _opens(sessions):
    return [s.starts_at.astimezone(BERLIN).date() for s in sessions]


def _submitters(session):
    return set(session.participants.values_list("person__username", flat=True))


# The period that has begun -------------------------------------------------------------


def test_this_months_window_is_planned_while_it_is_open_and_only_once(org):
    program = _pulse(org)
    first = session_plan(program=program, now=NOW)
    windows = _live(program)
    assert _opens(windows) == [date(2027, 3, 1), date(2027, 4, 1)]
    assert windows[0].due_at == datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)
    assert _submitters(windows[0]) == {"employee", "colleague"}
    again = session_plan(program=program, now=NOW + timedelta(hours=1))
    assert first.created == 2
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)
    assert Session.objects.filter(program=program).count() == 2


def test_a_window_already_closed_is_not_planned(org):
    program = _pulse(org)
    session_plan(program=program, now=datetime(2027, 3, 15, tzinfo=UTC))
    assert _opens(_live(program)) == [date(2027, 4, 1), date(2027, 5, 1)]


def test_a_program_created_in_the_middle_of_a_period_opens_it_at_once(org):
    program = make_program(
        "EE4",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=MONTHLY",
        starts_on=date(2027, 3, 1),
        config={"due_offset_days": 3, "reminder_lead_hours": 48, "overdue_nudge": True},
    )
    session_plan(program=program, now=datetime(2027, 3, 17, tzinfo=UTC))
    periods = _live(program)
    assert _opens(periods) == [date(2027, 3, 1), date(2027, 4, 1), date(2027, 5, 1)]
    # Due three days after the month ends, at the program's 09:00 (summer time by then).
    assert periods[0].due_at == datetime(2027, 4, 4, 9, 0, tzinfo=BERLIN)
    assert _submitters(periods[0]) == {"employee", "colleague"}


def test_meetings_that_have_begun_are_not_planned_after_the_fact(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 1),  # Monday 09:00, three hours before "now"
    )
    now = datetime(2027, 3, 1, 11, 0, tzinfo=UTC)
    session_plan(program=program, now=now)
    assert _opens(_live(program))[0] == date(2027, 3, 8)


def test_someone_who_answered_an_open_window_keeps_their_receipt_when_they_leave(org):
    program = _pulse(org)
    session_plan(program=program, now=NOW)
    window, following = _live(program)
    Participant.objects.filter(session=window, person=org["employee"]).update(
        submitted_on=date(2027, 3, 2)
    )
    for leaver in (org["employee"], org["colleague"]):
        leaver.is_active = False
        leaver.save()
    session_plan(program=program, now=NOW)
    # The answer stays counted; the colleague who had not answered is no longer asked.
    assert _submitters(window) == {"employee"}
    assert _submitters(following) == set()


# At most one open window -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moved_by_days", "windows"),
    [(3, 1), (-5, 1), (20, 2)],
    ids=["later-while-open", "earlier", "after-it-closes"],
)
def test_moving_the_start_of_an_open_one_time_survey_opens_no_second_window_beside_it(
    org, django_capture_on_commit_callbacks, moved_by_days, windows
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        program = programs.program_create(
            actor=org["hr"],
            practice="EE3",
            name="Move survey",
            owner=org["hr"],
            starts_on=today - timedelta(days=2),
            start_time=time(0, 0),
            time_zone="UTC",
            rrule="",
            config={"window_days": 14, "anonymous": True, "min_group_size": 3},
            audience_kind=AudienceKind.TEAM,
            audience_manager=org["manager"],
        )
    (opened,) = _live(program)
    assert opened.starts_at <= timezone.now() < opened.due_at
    with django_capture_on_commit_callbacks(execute=True):
        programs.program_update(
            actor=org["hr"], program=program, starts_on=today + timedelta(days=moved_by_days)
        )
    live = _live(program)
    assert len(live) == windows
    assert live[0] == opened  # it keeps its answers and stays open
    for earlier, later in zip(live, live[1:], strict=False):
        assert later.starts_at >= earlier.due_at


def test_a_new_start_day_for_a_monthly_pulse_waits_for_the_open_window_to_close(org):
    program = _pulse(org)
    session_plan(program=program, now=NOW)
    program.starts_on = date(2027, 1, 3)  # from the 1st of each month to the 3rd
    program.save()
    session_plan(program=program, now=NOW)
    # 3 March would open beside the window of 1 March, open until the 11th: not planned.
    assert _opens(_live(program)) == [date(2027, 3, 1), date(2027, 4, 3)]
    # 1 March's has closed, 3 March's would still be open: it stays unplanned, so
    # March does not get a second survey for its last day.
    session_plan(program=program, now=NOW + timedelta(days=7))
    assert _opens(_live(program))[:2] == [date(2027, 3, 1), date(2027, 4, 3)]
