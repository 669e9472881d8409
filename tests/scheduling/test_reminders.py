"""Reminder e-mails: before sessions and due dates, overdue nudges, each sent exactly once."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from engagement.models import AudienceKind, ProgramStatus
from engagement.practices import get_practice
from scheduling import services, tasks
from scheduling.models import Participant, Reminder, ReminderKind, Session, SignUp
from scheduling.planner import session_plan
from scheduling.reminders import (
    SendResult,
    reminder_email,
    reminder_send_promoted,
    reminders_prepare,
    reminders_send,
)
from tests.factories import make_program

# Planned on Monday 1 March 2027 at 07:00 in Berlin; the first 1-on-1 is on
# Tuesday 2 March at 09:00 Berlin (08:00 UTC), so its reminder is due on
# Monday at 08:00 UTC.
NOW = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
DAY_BEFORE = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SITE = "http://testserver.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def one_on_ones(org):
    program = make_program(
        "EE10",
        owner=org["manager"],
        name="Shift B 1-on-1s",
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 2),
        # One weekly slot: the manager's two 1-on-1s run back to back on Tuesdays.
        config={**get_practice("EE10").default_config(), "slots": "Tuesday 09:00"},
    )
    session_plan(program=program, now=NOW)
    return program


def _run(now) -> SendResult:
    reminders_prepare(now=now)
    return reminders_send(now=now)


def _first(program) -> list[Session]:
    """The first session of each 1-on-1 pair (a manager's pairs run back to back)."""
    first = Session.objects.filter(program=program).earliest("planned_start").planned_start
    return list(Session.objects.filter(program=program, planned_start=first))


def _to(message) -> str:
    return message.to[0]


def test_reminders_go_out_a_day_before_to_every_participant_once(org, one_on_ones):
    assert _run(NOW) == SendResult()  # more than a day ahead: nothing yet
    assert mail.outbox == []

    result = _run(DAY_BEFORE)

    assert result == SendResult(sent=4)
    assert sorted(_to(m) for m in mail.outbox) == [
        "colleague@example.com",
        "employee@example.com",
        "manager@example.com",
        "manager@example.com",
    ]
    session = next(
        s for s in _first(one_on_ones) if s.participants.filter(person=org["employee"]).exists()
    )
    message = next(m for m in mail.outbox if _to(m) == "employee@example.com")
    assert message.subject == f"Reminder: {session.title} on Tuesday 2 March 2027, 09:00 CET"
    assert session.title in message.body
    assert "Tuesday 2 March 2027, 09:00 to 09:30 (Europe/Berlin)" in message.body
    assert SITE + session.get_absolute_url() in message.body

    assert _run(DAY_BEFORE) == SendResult()
    assert _run(DAY_BEFORE + timedelta(hours=2)) == SendResult()
    assert len(mail.outbox) == 4
    assert Reminder.objects.filter(sent_at__isnull=False, skipped="").count() == 4


def test_times_are_in_the_persons_own_zone(org, one_on_ones):
    org["employee"].time_zone = "America/New_York"
    org["employee"].save()
    _run(DAY_BEFORE)
    message = next(m for m in mail.outbox if _to(m) == "employee@example.com")
    assert "on Tuesday 2 March 2027, 03:00 EST" in message.subject
    assert "Tuesday 2 March 2027, 03:00 to 03:30 (America/New_York)" in message.body


def test_the_email_is_the_same_whatever_others_answered(org, one_on_ones):
    for session in _first(one_on_ones):
        session.participants.filter(person=org["manager"]).update(rsvp="no")
    _run(DAY_BEFORE)
    sent = next(m for m in mail.outbox if _to(m) == "employee@example.com")

    Participant.objects.update(rsvp="")
    reminder = Reminder.objects.get(person=org["employee"])
    assert reminder_email(reminder).body == sent.body


def test_someone_who_turned_reminders_off_gets_none(org, one_on_ones):
    org["colleague"].email_reminders = False
    org["colleague"].save()

    result = _run(DAY_BEFORE)

    assert result == SendResult(sent=3, skipped=1)
    assert "colleague@example.com" not in [_to(m) for m in mail.outbox]
    skipped = Reminder.objects.get(person=org["colleague"])
    assert skipped.skipped == "opted out"
    assert _run(DAY_BEFORE) == SendResult()


def test_someone_without_an_address_is_skipped(org, one_on_ones):
    org["employee"].email = ""
    org["employee"].save()
    assert _run(DAY_BEFORE) == SendResult(sent=3, skipped=1)


def test_a_lead_time_of_zero_turns_reminders_off(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 2),
        config={"reminder_lead_hours": 0},
    )
    session_plan(program=program, now=NOW)
    assert Session.objects.filter(program=program).exists()
    assert reminders_prepare(now=DAY_BEFORE) == 0
    assert _run(DAY_BEFORE + timedelta(hours=20)) == SendResult()
    assert mail.outbox == []


def test_the_programs_lead_time_decides_when(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        name="Team meeting",
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 2),
        config={"reminder_lead_hours": 2},
    )
    session_plan(program=program, now=NOW)
    assert _run(DAY_BEFORE) == SendResult()
    assert _run(datetime(2027, 3, 2, 6, 0, tzinfo=UTC)) == SendResult(sent=3)


def test_a_cancelled_session_gets_no_reminder(org, one_on_ones):
    employee_session, colleague_session = sorted(
        _first(one_on_ones),
        key=lambda s: s.participants.filter(person=org["employee"]).exists(),
        reverse=True,
    )
    services.session_cancel(session=employee_session, actor=org["manager"])
    reminders_prepare(now=DAY_BEFORE)
    # Cancelled between preparing and sending: skipped, not sent.
    services.session_cancel(session=colleague_session, actor=org["manager"])

    result = reminders_send(now=DAY_BEFORE)

    assert result == SendResult(sent=0, skipped=2)
    assert mail.outbox == []
    assert not Reminder.objects.filter(session=employee_session).exists()
    assert set(Reminder.objects.values_list("skipped", flat=True)) == {"cancelled"}


def test_waitlisted_people_get_no_reminder(org):
    program = make_program(
        "EE15",
        owner=org["hr"],
        name="Lunch & learn",
        rrule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 2),
        config={"capacity": 1, "location": "Room 4"},
    )
    session_plan(program=program, now=NOW)
    session = Session.objects.filter(program=program).earliest("starts_at")
    session.participants.create(
        person=org["employee"], role="attendee", planned=False, signup="confirmed"
    )
    session.participants.create(
        person=org["colleague"], role="attendee", planned=False, signup="waitlisted"
    )

    _run(DAY_BEFORE)

    assert sorted(_to(m) for m in mail.outbox) == ["employee@example.com", "hr@example.com"]
    assert "Where: Room 4" in mail.outbox[0].body


def test_a_failed_send_is_retried_on_the_next_pass(org, one_on_ones, monkeypatch):
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky_send(message, *args, **kwargs):
        calls.append(message.to)
        if len(calls) == 1:
            raise OSError("mail server unavailable")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky_send)

    assert _run(DAY_BEFORE) == SendResult(sent=3, failed=1)
    assert Reminder.objects.filter(sent_at=None).count() == 1
    assert _run(DAY_BEFORE + timedelta(minutes=5)) == SendResult(sent=1)
    assert sorted(_to(m) for m in mail.outbox) == [
        "colleague@example.com",
        "employee@example.com",
        "manager@example.com",
        "manager@example.com",
    ]
    assert _run(DAY_BEFORE + timedelta(minutes=10)) == SendResult()


def test_a_reminder_whose_session_already_started_is_dropped(org, one_on_ones):
    reminders_prepare(now=DAY_BEFORE)
    started = datetime(2027, 3, 2, 8, 31, tzinfo=UTC)  # both back-to-back 1-on-1s began
    assert reminders_send(now=started) == SendResult(skipped=4)
    assert mail.outbox == []


# Due dates and overdue nudges -----------------------------------------------


@pytest.fixture
def accomplishments(org):
    """EE4 for two people: the February period is due on 4 March 2027 at 09:00 Berlin."""
    program = make_program(
        "EE4",
        owner=org["manager"],
        name="Monthly accomplishments",
        audience_kind=AudienceKind.PEOPLE,
        starts_on=date(2027, 2, 1),
    )
    program.audience_people.set([org["employee"], org["colleague"]])
    session_plan(program=program, now=datetime(2027, 1, 31, tzinfo=UTC))
    return program


def test_submitters_are_reminded_before_the_due_date(org, accomplishments):
    february = Session.objects.filter(program=accomplishments).earliest("starts_at")
    assert february.due_at == datetime(2027, 3, 4, 8, 0, tzinfo=UTC)

    assert _run(datetime(2027, 3, 2, 7, 0, tzinfo=UTC)) == SendResult()  # 49 hours ahead
    assert _run(datetime(2027, 3, 2, 9, 0, tzinfo=UTC)) == SendResult(sent=2)

    message = mail.outbox[0]
    assert message.subject == "Due Thursday 4 March 2027: Monthly accomplishments"
    assert "Thursday 4 March 2027, 09:00 CET (Europe/Berlin)" in message.body
    assert SITE + february.get_absolute_url() in message.body


def test_an_overdue_nudge_goes_out_once_the_day_after_a_missed_due_date(org, accomplishments):
    due = datetime(2027, 3, 4, 8, 0, tzinfo=UTC)
    _run(due - timedelta(hours=1))  # the "due soon" reminders
    mail.outbox.clear()

    assert _run(due + timedelta(hours=1)) == SendResult()  # not the same day
    assert _run(due + timedelta(days=1, minutes=5)) == SendResult(sent=2)
    assert _run(due + timedelta(days=1, hours=1)) == SendResult()
    assert _run(due + timedelta(days=3)) == SendResult()

    assert sorted(_to(m) for m in mail.outbox) == ["colleague@example.com", "employee@example.com"]
    assert mail.outbox[0].subject == "Overdue: Monthly accomplishments"
    assert "was due on Thursday 4 March 2027, 09:00 CET" in mail.outbox[0].body
    assert Reminder.objects.filter(kind=ReminderKind.OVERDUE).count() == 2


def test_no_overdue_nudge_when_the_program_turned_it_off(org, accomplishments):
    accomplishments.config = {**accomplishments.config, "overdue_nudge": False}
    accomplishments.save()
    due = datetime(2027, 3, 4, 8, 0, tzinfo=UTC)
    _run(due - timedelta(hours=1))
    mail.outbox.clear()
    assert _run(due + timedelta(days=2)) == SendResult()
    assert mail.outbox == []


def test_no_nudge_for_a_due_date_older_than_a_week(org, accomplishments):
    due = datetime(2027, 3, 4, 8, 0, tzinfo=UTC)
    assert _run(due + timedelta(days=8)) == SendResult()
    assert mail.outbox == []


def test_paused_programs_send_no_reminders(org, one_on_ones):
    one_on_ones.status = ProgramStatus.PAUSED
    one_on_ones.save()
    assert _run(DAY_BEFORE) == SendResult()


def test_preparing_takes_the_same_few_queries_however_many_people(
    org, one_on_ones, accomplishments, django_assert_max_num_queries
):
    # programs, "before" candidates, overdue candidates, one insert
    with django_assert_max_num_queries(4):
        assert reminders_prepare(now=datetime(2027, 3, 5, 9, 0, tzinfo=UTC)) == 2
    with django_assert_max_num_queries(4):
        assert reminders_prepare(now=DAY_BEFORE) == 4


# Waitlist promotion -------------------------------------------------------------


def test_someone_moved_off_the_waitlist_is_told_once(org, django_capture_on_commit_callbacks):
    program = make_program(
        "EE6",
        owner=org["hr"],
        name="Summer party",
        starts_on=timezone.localdate() + timedelta(days=10),
        config={"capacity": 1, "location": "Garden"},
    )
    session_plan(program=program)
    session = Session.objects.filter(program=program).earliest("starts_at")
    services.session_rsvp(session=session, person=org["employee"], answer="yes")
    waiting = services.session_rsvp(session=session, person=org["colleague"], answer="yes")
    assert waiting.signup == SignUp.WAITLISTED

    with django_capture_on_commit_callbacks(execute=True):
        services.session_rsvp(session=session, person=org["employee"], answer="no")

    assert [_to(m) for m in mail.outbox] == ["colleague@example.com"]
    assert mail.outbox[0].subject.startswith("You have a seat: Summer party on ")
    assert "Where: Garden" in mail.outbox[0].body
    assert reminder_send_promoted(participant_id=waiting.pk) is False
    assert len(mail.outbox) == 1


def test_a_promotion_email_that_failed_is_sent_by_the_next_pass(org, monkeypatch):
    program = make_program(
        "EE6", owner=org["hr"], starts_on=timezone.localdate() + timedelta(days=10)
    )
    session_plan(program=program)
    session = Session.objects.filter(program=program).earliest("starts_at")
    promoted = session.participants.create(
        person=org["colleague"], role="attendee", planned=False, signup=SignUp.CONFIRMED
    )

    def broken(message, *args, **kwargs):
        raise OSError("mail server unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", broken)
        assert reminder_send_promoted(participant_id=promoted.pk) is False
    assert mail.outbox == []
    assert reminders_send(now=timezone.now()) == SendResult(sent=1)
    assert [_to(m) for m in mail.outbox] == ["colleague@example.com"]


# Tasks and commands -------------------------------------------------------------


def test_plan_program_task_plans_one_program(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=timezone.localdate() + timedelta(days=7),
    )
    assert "created" in tasks.plan_program(program.pk)
    assert Session.objects.filter(program=program).exists()
    assert tasks.plan_program(999999) == "Program no longer exists."


def test_the_commands_plan_and_send_and_report(org, one_on_ones, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DAY_BEFORE)
    out, err = StringIO(), StringIO()

    call_command("plan_sessions", stdout=out, stderr=err)
    assert "Sessions: 0 created" in out.getvalue()
    assert "unchanged" in out.getvalue()
    assert "Planning" in err.getvalue()  # the progress bar

    out = StringIO()
    call_command("send_reminders", stdout=out, stderr=err)
    assert out.getvalue().strip() == "Reminders: 4 prepared; 4 sent, 0 skipped, 0 failed."
    assert len(mail.outbox) == 4

    out = StringIO()
    call_command("send_reminders", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "Reminders: 0 prepared; 0 sent, 0 skipped, 0 failed."
