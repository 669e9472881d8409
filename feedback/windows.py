"""What a window is: when a survey window or a session's feedback is open, who is
invited to answer it, and the month that feedback after sessions is filed in.

A survey program's windows are its periods (sessions of kind "period"), each
asking its submitters. A program that asks for feedback after its sessions
gathers it a calendar month at a time (a ``Period``), from those who had a place
in the month's sessions. Invitation is not an access rule: who may read results
is ``feedback.access``'s.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from engagement.models import Person
from engagement.practices import Capability, codes, get_practice
from feedback.models import Form, Period
from scheduling.models import (
    Participant,
    ParticipantRole,
    Session,
    SessionKind,
    SessionStatus,
    SignUp,
)

# Feedback on a meeting is open this many days after it starts.
FEEDBACK_DAYS = 14

# Who is asked for feedback after a session: those who had a place in it, the host
# excepted (attendees and presenters, not waitlisted, maybe or declined).
FEEDBACK_ROLES = (ParticipantRole.ATTENDEE, ParticipantRole.PRESENTER)
FEEDBACK_SIGNUPS = ("", SignUp.CONFIRMED)  # "": planned by the planner, no sign-up


def feedback_place_q(prefix: str = "") -> Q:
    """Participant rows (or, with ``prefix``, rows reached through it) asked for feedback."""
    return Q(**{f"{prefix}role__in": FEEDBACK_ROLES, f"{prefix}signup__in": FEEDBACK_SIGNUPS})


def survey_windows_for(viewer: Person) -> QuerySet:
    """Survey windows the viewer is invited to answer, and meetings they had a place in
    whose program asks for feedback afterwards (the host excepted)."""
    survey = Q(
        participants__role=ParticipantRole.SUBMITTER,
        program__practice__in=codes(capability=Capability.SURVEY),
    )
    after_session = Q(
        kind=SessionKind.MEETING, program__feedback_form__isnull=False
    ) & feedback_place_q("participants__")
    # One filter() call: every condition applies to the viewer's own participant row.
    return Session.objects.filter(
        Q(participants__person=viewer) & (survey | after_session)
    ).distinct()


def window_is_open(window: Session, now: datetime | None = None) -> bool:
    """A survey window until its due date; a meeting for two weeks after it starts."""
    now = now or timezone.now()
    if window.kind == SessionKind.MEETING:
        if window.status in {SessionStatus.CANCELLED, SessionStatus.MISSED}:
            return False
        return window.starts_at <= now < window.starts_at + timedelta(days=FEEDBACK_DAYS)
    closes = window.due_at or window.ends_at
    return window.status != SessionStatus.CANCELLED and window.starts_at <= now < closes


def invitations(form: Form, sessions) -> QuerySet:
    """Who is asked: a survey window's submitters; otherwise those who had a place in
    the session, the host excepted."""
    rows = Participant.objects.filter(session__in=sessions)
    if not form.after_sessions:
        return rows.filter(role=ParticipantRole.SUBMITTER)
    return rows.filter(feedback_place_q())


def month_of(form: Form, session: Session) -> tuple[datetime, datetime]:
    """The calendar month, in the program's zone, that holds ``session``: (start, end)."""
    local = timezone.localtime(session.starts_at, form.program.zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=32)).replace(day=1)


def sessions_between(form: Form, start, end) -> QuerySet:
    return Session.objects.filter(
        program_id=form.program_id, starts_at__gte=start, starts_at__lt=end
    )


def period_for(form: Form, session: Session) -> Period:
    """The calendar month (in the program's zone) that feedback on ``session`` is filed in."""
    start, end = month_of(form, session)
    period, _ = Period.objects.get_or_create(form=form, starts_at=start, defaults={"ends_at": end})
    return period


def has_answered(form: Form, window: Session, person: Person) -> bool:
    """Whether the person has answered this window (or, after sessions, this month)."""
    if not form.after_sessions:
        return (
            invitations(form, [window]).filter(person=person, submitted_on__isnull=False).exists()
        )
    month = sessions_between(form, *month_of(form, window))
    return invitations(form, month).filter(person=person, submitted_on__isnull=False).exists()


def feedback_due(person: Person, now: datetime | None = None) -> list[Session]:
    """Recent sessions the person may still give feedback on (one per program and month)."""
    now = now or timezone.now()
    rows = (
        Participant.objects.filter(
            feedback_place_q(),
            person=person,
            session__kind=SessionKind.MEETING,
            session__program__feedback_form__isnull=False,
            session__starts_at__lte=now,
            session__starts_at__gt=now - timedelta(days=FEEDBACK_DAYS),
        )
        .exclude(session__status__in=[SessionStatus.CANCELLED, SessionStatus.MISSED])
        .select_related("session", "session__program")
        .order_by("-session__starts_at")
    )

    def month(program_id, starts_at, zone) -> tuple[int, str]:
        return program_id, timezone.localtime(starts_at, ZoneInfo(zone)).strftime("%Y-%m")

    answered = {
        month(*values)
        for values in Participant.objects.filter(
            person=person, submitted_on__isnull=False, session__kind=SessionKind.MEETING
        ).values_list("session__program_id", "session__starts_at", "session__program__time_zone")
    }
    due, seen = [], set()
    for row in rows:
        session = row.session
        key = month(session.program_id, session.starts_at, session.program.time_zone)
        if key in answered or key in seen:
            continue
        seen.add(key)
        due.append(row.session)
    return due


def surveys_to_answer(person: Person, now: datetime | None = None, *, limit: int = 40) -> list:
    """The person's most recent survey invitations (``limit``), newest first, each with
    ``is_open``: whether the window takes (or still lets them change) answers now."""
    now = now or timezone.now()
    rows = list(
        Participant.objects.filter(
            person=person,
            role=ParticipantRole.SUBMITTER,
            session__program__practice__in=codes(capability=Capability.SURVEY),
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session", "session__program")
        .order_by("-session__starts_at")[:limit]
    )
    for row in rows:
        row.is_open = window_is_open(row.session, now)
    return rows


# The windows of a form --------------------------------------------------------------


def column(form: Form) -> str:
    """The column answers are grouped by: the survey window, or the month of feedback."""
    return "period_id" if form.after_sessions else "window_id"


def windows_of(form: Form, *, now: datetime | None = None, limit: int = 24) -> list:
    """The form's windows that have opened, oldest first (the last ``limit``): survey
    periods, or the months of feedback after sessions."""
    now = now or timezone.now()
    if form.after_sessions:
        months = Period.objects.filter(form=form, starts_at__lte=now).select_related(
            "form__program"
        )
        return list(reversed(list(months.order_by("-starts_at")[:limit])))
    recent = (
        Session.objects.filter(program_id=form.program_id, starts_at__lte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("program")
        .order_by("-starts_at")[:limit]
    )
    return list(reversed(list(recent)))


def survey_practices() -> str:
    """The survey practices by name, as pages and messages name them for everyone
    ("Employee/Manager Feedback Programs"; codes are for administrators)."""
    return ", ".join(get_practice(code).name for code in codes(capability=Capability.SURVEY))
