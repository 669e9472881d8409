"""When things happen: sessions planned from programs, who takes part, reminders, feeds."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from engagement.models import Person, Program
from engagement.practices import Gathering, codes

# Fixed namespace so that a session's calendar UID is the same every time the
# planner produces that slot, even after the row was deleted and re-created.
UID_NAMESPACE = uuid.UUID("5b0e2b8e-7d0a-4c39-9d0c-0f2f6f1f6a11")


def session_uid(program_id: int, series: str, planned_start: datetime) -> uuid.UUID:
    key = f"{program_id}/{series}/{planned_start.astimezone(UTC).isoformat()}"
    return uuid.uuid5(UID_NAMESPACE, key)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    MISSED = "missed", "Missed"


class SessionKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    PERIOD = "period", "Period with a due date"


ADHERENCE_DAYS = 90


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now: datetime | None = None) -> SessionQuerySet:
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now: datetime | None = None) -> SessionQuerySet:
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")

    def of_person(self, person: Person | int) -> SessionQuerySet:
        return self.filter(participants__person=person).distinct()

    def with_place_for(self, person: Person | int) -> SessionQuerySet:
        """Sessions where the person has a place: taking part, not waitlisted or declined.

        One subquery on the person's own participant rows: an ``exclude()`` across
        the participants relation would also drop sessions where *someone else*
        is waitlisted.
        """
        places = Participant.objects.filter(person=person).exclude(signup__in=WITHOUT_PLACE)
        return self.filter(pk__in=places.values("session"))

    def live(self) -> SessionQuerySet:
        return self.exclude(status=SessionStatus.CANCELLED)

    def one_on_ones_due(self, *, host: Person | int, now: datetime) -> SessionQuerySet:
        """The 1-on-1s ``host`` was due to hold in the last ``ADHERENCE_DAYS``: the one
        definition behind every adherence figure (held among these over their count).

        A session a person cancelled stays due (a cancelled 1-on-1 is a missed one);
        one the planner cancelled untouched (the report left, the program paused) does not.
        """
        return self._one_on_ones_due(Q(participants__person=host), now)

    def _one_on_ones_due(self, hosts: Q, now: datetime) -> SessionQuerySet:
        # One filter() call: the host condition and the role hold for the same participant.
        return self.filter(
            hosts,
            program__practice__in=codes(gathering=Gathering.PAIRS),
            participants__role=ParticipantRole.HOST,
            starts_at__gte=now - timedelta(days=ADHERENCE_DAYS),
            starts_at__lt=now,
        ).exclude(status=SessionStatus.CANCELLED, touched=False)

    def one_on_ones_held_by_host(self, *, hosts, now: datetime) -> dict[int, tuple[int, int]]:
        """``{host id: (held, due)}`` of ``one_on_ones_due`` for many hosts (ids or a
        queryset), in one grouped query."""
        rows = (
            self._one_on_ones_due(Q(participants__person__in=hosts), now)
            .values("participants__person")
            .annotate(
                due=models.Count("id", distinct=True),
                held=models.Count("id", distinct=True, filter=Q(status=SessionStatus.HELD)),
            )
        )
        return {row["participants__person"]: (row["held"], row["due"]) for row in rows}

    def held_of_due(self) -> tuple[int, int]:
        """(held, due) over these sessions, counted by the database."""
        counts = self.aggregate(
            due=models.Count("id", distinct=True),
            held=models.Count("id", distinct=True, filter=Q(status=SessionStatus.HELD)),
        )
        return counts["held"], counts["due"]


class Session(models.Model):
    """One dated occurrence of a program, for one series of participants.

    ``series`` names who the session is for ("pair:7:42" for manager 7's
    1-on-1s with person 42, "team:7" for manager 7's team, "main" for the
    program as a whole, "main@20260105T080000Z" for one round table's group);
    talking points and action items carry over within it, and it is decided in
    ``scheduling.participants.session_series``. Whether the session is private
    (a 1-on-1 or a skip-level) and its two people are columns of their own,
    ``private``, ``pair_lead`` and ``pair_person``, set by the planner from the
    practice: the series is a key, never parsed. ``planned_start`` is the start
    the schedule produced. Together with the program they identify the slot,
    so planning twice can never create it twice. ``touched`` marks a session
    a person changed (moved, cancelled, held, annotated): the planner never
    alters it again.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    series = models.CharField(max_length=64)
    planned_start = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=SessionKind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    touched = models.BooleanField(
        default=False, help_text="Changed by a person; re-planning leaves it as it is."
    )
    # Not planned_start: the planner lays a manager's 1-on-1s back to back, so
    # most of them start after the occurrence that names their slot.
    moved_from = models.DateTimeField(
        null=True, blank=True, help_text="The start before a person first moved it."
    )
    cancel_reason = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="RFC 5545 SEQUENCE: raised on every change calendars must see."
    )
    uid = models.UUIDField(unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # One person meeting one other (a 1-on-1, a skip-level): when, with whom and what
    # was said stay theirs. The two people are named here for access rules; a person
    # deleted leaves the session private to the other alone (SET_NULL), as the series
    # naming them did.
    private = models.BooleanField(
        default=False,
        db_index=True,
        editable=False,
        help_text="A 1-on-1 or skip-level: only its two people take part.",
    )
    pair_lead = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The manager of a 1-on-1, the leader of a skip-level.",
    )
    pair_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The report of a 1-on-1, the person met at a skip-level.",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "series", "planned_start"], name="session_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(private=True) | Q(pair_lead__isnull=True, pair_person__isnull=True),
                name="session_pair_only_if_private",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "planned_start"], name="session_program_planned_idx"),
            models.Index(fields=["starts_at"], name="session_starts_idx"),
            models.Index(fields=["due_at"], name="session_due_idx"),
        ]

    def __str__(self) -> str:
        # The admin names related records by this, in a deletion's list for one: a
        # private session's title and time would say who meets whom, and when.
        if self.private:
            return "A private session"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scheduling:session_detail", args=[self.pk])

    @property
    def pair_people(self) -> set[int] | None:
        """The two people a private session is for (those still on record), or None
        for any other session."""
        if not self.private:
            return None
        return {pk for pk in (self.pair_lead_id, self.pair_person_id) if pk is not None}

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_moved(self) -> bool:
        """Whether a person moved it away from where the planner put it."""
        return self.moved_from is not None and self.starts_at != self.moved_from

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.due_at is not None and self.due_at < (now or timezone.now())

    def day_has_come(self, now: datetime | None = None) -> bool:
        """Whether the day it is planned for has come, in the program's zone: from then
        on it may be recorded as held, earlier than its start included."""
        zone = self.program.zone
        today = timezone.localtime(now or timezone.now(), zone).date()
        return timezone.localtime(self.starts_at, zone).date() <= today


class ParticipantRole(models.TextChoices):
    HOST = "host", "Host"
    ATTENDEE = "attendee", "Attendee"
    PRESENTER = "presenter", "Presenter"
    SUBMITTER = "submitter", "Owes a submission"


class SignUp(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the waitlist"
    # Social events: answered "maybe" (on the calendar, no seat) or "no" (kept so the host sees it).
    MAYBE = "maybe", "Maybe"
    DECLINED = "declined", "Declined"


# Sign-ups that hold no place: not in the meeting, its notes or its reminders.
WITHOUT_PLACE = (SignUp.WAITLISTED, SignUp.MAYBE, SignUp.DECLINED)


class RSVP(models.TextChoices):
    NONE = "", "No answer"
    YES = "yes", "Yes"
    NO = "no", "No"
    MAYBE = "maybe", "Maybe"


class Participant(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=10, choices=ParticipantRole.choices)
    planned = models.BooleanField(
        default=True, help_text="Placed by the planner (not a sign-up); re-planning may remove it."
    )
    signup = models.CharField(max_length=10, choices=SignUp.choices, blank=True)
    signed_up_at = models.DateTimeField(null=True, blank=True)
    rsvp = models.CharField(max_length=5, choices=RSVP.choices, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    # A submitter has handed in (a survey answered, an accomplishment sent). Only
    # the day: for an anonymous survey this is the receipt, kept apart from the answers.
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="participant_once"),
        ]
        indexes = [models.Index(fields=["person", "session"], name="participant_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def clean(self) -> None:
        """Nobody but its two people joins a private session, whoever asks (the Django
        admin included)."""
        super().clean()
        if self.session_id is None or self.person_id is None:
            return
        people = self.session.pair_people
        if people is not None and self.person_id not in people:
            raise ValidationError(
                {"person": "This is a private session: only its two people can take part."}
            )


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Before the session or due date"
    OVERDUE = "overdue", "Overdue nudge"
    PROMOTED = "promoted", "Moved off the waitlist"


class Reminder(models.Model):
    """One e-mail to one person about one session, sent at most once.

    A sender claims a row with a conditional UPDATE on ``sent_at``; only the
    sender whose UPDATE changed the row sends it.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    send_after = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person", "kind"], name="reminder_once"),
        ]
        indexes = [models.Index(fields=["sent_at", "send_after"], name="reminder_pending_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person} for {self.session}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar subscription; a new token kills the old URL."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar of {self.person}"

    def subscription_path(self) -> str:
        # Not get_absolute_url: the admin's "view on site" shortcut would hand the
        # secret to any staff member.
        return reverse("scheduling:calendar_feed", args=[self.token])
