"""Reminder e-mails: before sessions and due dates, a nudge when overdue, waitlist promotions.

Two steps, each safe to run again and with several workers at once.
``reminders_prepare`` inserts the Reminder rows that have fallen due; the
uniqueness constraint on (session, person, kind) turns a second insert into
a no-op. ``reminders_send`` sends each pending row only after claiming it
with a conditional UPDATE on ``sent_at``: the sender whose UPDATE changed
the row sends it, every other sender moves on. A failed send releases the
claim so that a later pass tries again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from engagement import extensions
from engagement.models import Person, Program, ProgramStatus
from engagement.practices import Capability, codes
from scheduling.models import (
    WITHOUT_PLACE,
    Participant,
    ParticipantRole,
    Reminder,
    ReminderKind,
    Session,
    SessionKind,
    SessionStatus,
    SignUp,
)

logger = logging.getLogger(__name__)

DEFAULT_LEAD_HOURS = 24
# A nudge goes out the day after a missed due date (as the practice setting
# promises), and never for a due date older than a week.
OVERDUE_DELAY = timedelta(days=1)
OVERDUE_WINDOW = timedelta(days=7)
BATCH = 500

OPTED_OUT = "opted out"
NO_ADDRESS = "no e-mail address"
CANCELLED = "cancelled"
TOO_LATE = "too late"
NOT_TAKING_PART = "no longer taking part"
SUBMITTED = "already submitted"


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.skipped} skipped, {self.failed} failed"


# Preparing ------------------------------------------------------------------


def _setting(program: Program, name: str, fallback):
    """One setting of the program's practice, or ``fallback`` if the practice has none."""
    field = next((f for f in program.practice_info.config_fields if f.name == name), None)
    if field is None:
        return fallback
    try:
        return field.clean((program.config or {}).get(name, field.default))
    except ValidationError:
        return field.default


def _has_submitted(session_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(session id, person id) of submitters who have handed in their submission
    (one query for all ``session_ids``): their overdue nudges stop.

    Only the person's own receipt is read, so a reminder says "you have not
    answered yet" without anything about anyone else.
    """
    return set(
        Participant.objects.filter(
            session_id__in=list(session_ids),
            role=ParticipantRole.SUBMITTER,
            submitted_on__isnull=False,
        ).values_list("session_id", "person_id")
    )


def _not_yet_reminded(kind: str) -> Exists:
    return Exists(
        Reminder.objects.filter(session=OuterRef("session"), person=OuterRef("person"), kind=kind)
    )


def _reachable() -> QuerySet[Participant]:
    """Participants who may be reminded: active people, confirmed, in live sessions."""
    return (
        Participant.objects.filter(
            person__is_active=True, session__program__status=ProgramStatus.ACTIVE
        )
        .exclude(signup__in=WITHOUT_PLACE)
        .exclude(session__status=SessionStatus.CANCELLED)
    )


def reminders_prepare(*, now: datetime) -> int:
    """Create the reminder rows that are due at ``now``; returns how many were new.

    One query over the programs, one for "before" reminders and one for
    overdue nudges, whatever the size of the organisation. A preparer running
    at the same moment may count the same new rows; only one copy is stored.
    """
    leads: dict[int, timedelta] = {}
    by_lead: dict[int, list[int]] = defaultdict(list)
    nudged: list[int] = []
    for program in Program.objects.active().only("pk", "practice", "config"):
        hours = _setting(program, "reminder_lead_hours", DEFAULT_LEAD_HOURS)
        if hours > 0:
            leads[program.pk] = timedelta(hours=hours)
            by_lead[hours].append(program.pk)
        if _setting(program, "overdue_nudge", False):
            nudged.append(program.pk)

    rows = _before_rows(now, leads, by_lead) + _overdue_rows(now, nudged)
    Reminder.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def _before_rows(now, leads, by_lead) -> list[Reminder]:
    if not by_lead:
        return []
    due = Q()
    for hours, program_ids in by_lead.items():
        horizon = now + timedelta(hours=hours)
        due |= Q(session__program__in=program_ids) & (
            Q(
                session__kind=SessionKind.MEETING,
                session__starts_at__gt=now,
                session__starts_at__lte=horizon,
            )
            | Q(
                session__kind=SessionKind.PERIOD,
                role=ParticipantRole.SUBMITTER,
                session__due_at__gt=now,
                session__due_at__lte=horizon,
            )
        )
    candidates = (
        _reachable()
        .filter(due, submitted_on__isnull=True)
        .exclude(_not_yet_reminded(ReminderKind.BEFORE))
        .values_list(
            "session_id",
            "person_id",
            "session__program_id",
            "session__kind",
            "session__starts_at",
            "session__due_at",
        )
    )
    rows = []
    for session_id, person_id, program_id, kind, starts_at, due_at in candidates.iterator():
        moment = starts_at if kind == SessionKind.MEETING else due_at
        rows.append(
            Reminder(
                session_id=session_id,
                person_id=person_id,
                kind=ReminderKind.BEFORE,
                send_after=moment - leads[program_id],
            )
        )
    return rows


def _overdue_rows(now, program_ids) -> list[Reminder]:
    if not program_ids:
        return []
    candidates = list(
        _reachable()
        .filter(
            session__program__in=program_ids,
            session__kind=SessionKind.PERIOD,
            role=ParticipantRole.SUBMITTER,
            session__due_at__lte=now - OVERDUE_DELAY,
            session__due_at__gt=now - OVERDUE_WINDOW,
            submitted_on__isnull=True,
        )
        # A survey window that has closed takes no more answers: no nudge.
        .exclude(session__program__practice__in=codes(capability=Capability.SURVEY))
        .exclude(_not_yet_reminded(ReminderKind.OVERDUE))
        .values_list("session_id", "person_id", "session__due_at")
    )
    return [
        Reminder(
            session_id=session_id,
            person_id=person_id,
            kind=ReminderKind.OVERDUE,
            send_after=due_at + OVERDUE_DELAY,
        )
        for session_id, person_id, due_at in candidates
    ]


# Sending --------------------------------------------------------------------


def reminders_pending(*, now: datetime) -> QuerySet[Reminder]:
    """Reminders nobody has sent or skipped yet whose time has come."""
    return Reminder.objects.filter(sent_at=None, send_after__lte=now)


def reminders_send(*, now: datetime, progress: Callable[[int], object] | None = None) -> SendResult:
    """Send every pending reminder once; safe with several senders at once."""
    result = SendResult()
    last = 0
    while True:
        batch = list(
            reminders_pending(now=now)
            .filter(pk__gt=last)
            .select_related("person", "session__program")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return result
        last = batch[-1].pk
        taking_part = _taking_part(batch)
        submitted = _has_submitted({r.session_id for r in batch})
        for reminder in batch:
            reason = _skip_reason(reminder, now, taking_part, submitted)
            outcome = _deliver(reminder, now=now, skip=reason)
            if outcome is not None:
                setattr(result, outcome, getattr(result, outcome) + 1)
            if progress:
                progress(1)


def reminder_send_promoted(*, participant_id: int, now: datetime | None = None) -> bool:
    """Tell someone moved off a waitlist that they have a seat; True if it was sent.

    Sent once per person and session, like every reminder; if sending fails,
    the row stays pending and the next ``reminders_send`` pass retries it.
    """
    now = now or timezone.now()
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is None or participant.signup != SignUp.CONFIRMED:
        return False
    reminder, _ = Reminder.objects.get_or_create(
        session_id=participant.session_id,
        person_id=participant.person_id,
        kind=ReminderKind.PROMOTED,
        defaults={"send_after": now},
    )
    if reminder.sent_at is not None:
        return False
    reminder = Reminder.objects.select_related("person", "session__program").get(pk=reminder.pk)
    reason = _skip_reason(reminder, now, _taking_part([reminder]), set())
    return _deliver(reminder, now=now, skip=reason) == "sent"


def _taking_part(reminders: list[Reminder]) -> dict[tuple[int, int], str]:
    """(session, person) -> sign-up state, for the people these reminders go to."""
    rows = Participant.objects.filter(
        session_id__in={r.session_id for r in reminders},
        person_id__in={r.person_id for r in reminders},
    ).values_list("session_id", "person_id", "signup")
    return {(session_id, person_id): signup for session_id, person_id, signup in rows}


def _skip_reason(
    reminder: Reminder,
    now: datetime,
    taking_part: dict[tuple[int, int], str],
    submitted: set[tuple[int, int]],
) -> str:
    person, session = reminder.person, reminder.session
    key = (reminder.session_id, reminder.person_id)
    if not person.email_reminders:
        return OPTED_OUT
    if not person.email:
        return NO_ADDRESS
    if session.status == SessionStatus.CANCELLED:
        return CANCELLED
    signup = taking_part.get(key)
    if signup is None or signup in WITHOUT_PLACE:
        return NOT_TAKING_PART
    if key in submitted:
        # Handed in (a survey answered): no reminder, before or after the due date.
        return SUBMITTED
    if reminder.kind == ReminderKind.OVERDUE:
        return TOO_LATE if _moment(session) <= now - OVERDUE_WINDOW else ""
    if _moment(session) <= now:
        return TOO_LATE
    return ""


def _deliver(reminder: Reminder, *, now: datetime, skip: str) -> str | None:
    """Claim the reminder, then send or skip it; None when another sender had it."""
    claim = Reminder.objects.filter(pk=reminder.pk, sent_at=None)
    if skip:
        return "skipped" if claim.update(sent_at=now, skipped=skip) == 1 else None
    if claim.update(sent_at=now) != 1:
        return None
    try:
        reminder_email(reminder).send()
    except Exception:
        logger.exception("Sending reminder %s failed; a later pass retries it.", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=None)
        return "failed"
    return "sent"


# The e-mail -----------------------------------------------------------------


def _moment(session: Session) -> datetime:
    """What a reminder is about: the start of a meeting, the due date of a period."""
    if session.kind == SessionKind.PERIOD and session.due_at is not None:
        return session.due_at
    return session.starts_at


def _zone(person: Person, program: Program) -> ZoneInfo:
    if person.time_zone:
        try:
            return ZoneInfo(person.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return program.zone


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return dateformat.format(moment.astimezone(zone), "l j F Y, H:i T")


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return dateformat.format(moment.astimezone(zone), "l j F Y")


def _span(session: Session, zone: ZoneInfo) -> str:
    """ "Tuesday 2 March 2027, 09:00 to 09:30", or with both dates if it spans days."""
    starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    if starts.date() == ends.date():
        return f"{_day(starts, zone)}, {starts:%H:%M} to {ends:%H:%M}"
    return f"{_day(starts, zone)}, {starts:%H:%M} to {_day(ends, zone)}, {ends:%H:%M}"


def reminder_email(reminder: Reminder) -> EmailMultiAlternatives:
    """The e-mail for one reminder: what, when (in the reader's zone) and a link.

    It names the session and its own times only; it never says who else
    replied or how.
    """
    session, person = reminder.session, reminder.person
    program = session.program
    zone = _zone(person, program)
    moment = _moment(session)
    context = {
        "person": person,
        "session": session,
        "program": program,
        "when": _when(moment, zone),
        "span": _span(session, zone),
        "time_zone": zone.key,
        "link": settings.SITE_URL + session.get_absolute_url(),
        "settings_link": settings.SITE_URL + reverse("scheduling:my_settings"),
    }
    if reminder.kind == ReminderKind.OVERDUE:
        subject, template = f"Overdue: {session.title}", "overdue"
    elif reminder.kind == ReminderKind.PROMOTED:
        subject = f"You have a seat: {session.title} on {context['when']}"
        template = "promoted"
    elif session.kind == SessionKind.PERIOD and program.practice_info.has(Capability.SURVEY):
        # Sent only to those who have not answered; it says nothing of anyone else.
        subject = f"Your answers, please: {session.title} closes {_day(moment, zone)}"
        template = "survey_open"
        # The answering page is the feedback app's, a layer above: it says where.
        context["link"] = settings.SITE_URL + extensions.ask(
            "submit_url", session, default=session.get_absolute_url()
        )
    elif session.kind == SessionKind.PERIOD:
        subject, template = f"Due {_day(moment, zone)}: {session.title}", "before_due"
    else:
        subject = f"Reminder: {session.title} on {context['when']}"
        template = "before_session"
    body = render_to_string(f"scheduling/email/{template}.txt", context)
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # a header never holds a line break
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
