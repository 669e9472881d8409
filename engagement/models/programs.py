"""Programs: a practice run for an audience on a schedule."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import timezone

from engagement import extensions, recurrence
from engagement.models.people import Department, Person
from engagement.practices import PRACTICE_CHOICES, Cadence, Capability, Practice, get_practice

# Survey settings that decide what an answer means or who it could be traced to.
LOCKED_ONCE_OPEN = ("anonymous", "min_group_size", "comment_min_group_size")


class AudienceKind(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    DEPARTMENTS = "departments", "Departments"
    TEAM = "team", "A manager's team"
    PEOPLE = "people", "Listed people"


class ProgramStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class ProgramQuerySet(models.QuerySet):
    def active(self) -> ProgramQuerySet:
        return self.filter(status=ProgramStatus.ACTIVE)

    def of_practice(self, code: str) -> ProgramQuerySet:
        return self.filter(practice=code)

    def in_practice_order(self, *, descending: bool = False) -> ProgramQuerySet:
        """By practice number (EE2 before EE10, which text puts after it), then name."""
        number = Cast(Substr("practice", 3), output_field=models.IntegerField())
        return self.alias(practice_number=number).order_by(
            ("-" if descending else "") + "practice_number", "name"
        )

    def reaching(self, person: Person) -> ProgramQuerySet:
        """Programs whose audience includes ``person`` (one query, no Python filtering)."""
        reach = Q(audience_kind=AudienceKind.EVERYONE) | Q(
            audience_kind=AudienceKind.PEOPLE, audience_people=person
        )
        if person.department_id:
            reach |= Q(
                audience_kind=AudienceKind.DEPARTMENTS,
                audience_departments=person.department_id,
            )
        if person.manager_id:
            reach |= Q(audience_kind=AudienceKind.TEAM, audience_manager=person.manager_id)
        reach |= Q(
            audience_kind=AudienceKind.TEAM,
            audience_include_indirect=True,
            audience_manager__in=Person.objects.above(person).values("pk"),
        )
        return self.filter(pk__in=Program.objects.filter(reach).values("pk"))

    def involving(self, person: Person) -> ProgramQuerySet:
        """Programs the person owns, leads as the team's manager, sits on (a council),
        or is in the audience of."""
        return self.filter(
            Q(owner=person)
            | Q(audience_kind=AudienceKind.TEAM, audience_manager=person)
            | Q(pk__in=Program.objects.reaching(person).values("pk"))
            | Q(pk__in=ProgramMember.objects.filter(person=person).values("program"))
        )


class Program(models.Model):
    name = models.CharField(
        max_length=150, help_text="What people will see, e.g. “Shift B 1-on-1s”."
    )
    practice = models.CharField(max_length=5, choices=PRACTICE_CHOICES, db_index=True)
    description = models.TextField(
        blank=True, help_text="Why this program runs and what participants should expect."
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="owned_programs",
        help_text="Runs the program and is its first contact.",
    )

    audience_kind = models.CharField(
        "audience",
        max_length=12,
        choices=AudienceKind.choices,
        default=AudienceKind.EVERYONE,
    )
    audience_departments = models.ManyToManyField(
        Department, blank=True, related_name="programs", verbose_name="departments"
    )
    audience_manager = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_programs",
        verbose_name="team of",
    )
    audience_include_indirect = models.BooleanField(
        "include everyone below",
        default=False,
        help_text="For a manager's team: everyone below the manager, not only direct reports.",
    )
    audience_people = models.ManyToManyField(
        Person, blank=True, related_name="listed_programs", verbose_name="people"
    )

    rrule = models.CharField(
        "recurrence rule",
        max_length=500,
        blank=True,
        help_text="RFC 5545 RRULE; empty for a one-off.",
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    starts_on = models.DateField("start date")
    start_time = models.TimeField(default=time(9, 0))
    ends_on = models.DateField("end date", null=True, blank=True)
    duration_minutes = models.PositiveIntegerField("duration (minutes)", default=30)

    config = models.JSONField("configuration", default=dict, blank=True)
    status = models.CharField(
        max_length=10,
        choices=ProgramStatus.choices,
        default=ProgramStatus.ACTIVE,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="program_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=24 * 60),
                name="program_duration_at_most_a_day",
                violation_error_message="A session lasts at most a day (1440 minutes).",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("engagement:program_detail", args=[self.pk])

    @property
    def practice_info(self) -> Practice:
        return get_practice(self.practice)

    @property
    def cadence(self) -> Cadence:
        return Cadence.for_rrule(self.rrule)

    @property
    def schedule_label(self) -> str:
        cadence = self.cadence
        if cadence == Cadence.CUSTOM:
            return recurrence.describe_rrule(self.rrule)
        return cadence.label

    @property
    def schedule_in_words(self) -> str:
        """The schedule as people say it ("Every two weeks on Tuesday at 13:30"), with
        the day a rule leaves to the start date; a rule too unusual for words stays one."""
        rule = self.rrule.upper()
        said = recurrence.describe_rrule(rule)
        if rule and said == rule:
            return said
        at = f" at {self.start_time:%H:%M}"
        if not rule:
            return f"Once, on {self.starts_on:%A} {self.starts_on.day} {self.starts_on:%B %Y}{at}"
        chosen = "BYDAY" in rule or "BYMONTHDAY" in rule
        if "FREQ=WEEKLY" in rule and not chosen:
            said += f" on {self.starts_on:%A}"
        elif "FREQ=MONTHLY" in rule and not chosen:
            said += f" on day {self.starts_on.day}"
        elif "FREQ=YEARLY" in rule and "BYMONTH" not in rule:
            said += f" on {self.starts_on.day} {self.starts_on:%B}"
        return said + at

    @property
    def skips_days_off(self) -> bool:
        """Daily and weekly meetings are routines the day off simply removes; a monthly
        or yearly meeting, a one-off and a submission period are kept (moving one is
        a person's decision)."""
        frequency = recurrence.frequency(self.rrule)
        return self.practice_info.is_meeting and frequency in ("DAILY", "WEEKLY")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def is_active(self) -> bool:
        return self.status == ProgramStatus.ACTIVE

    @property
    def is_paused(self) -> bool:
        return self.status == ProgramStatus.PAUSED

    def config_items(self) -> list[tuple[str, object]]:
        """(label, value) pairs of the practice's settings, in the practice's order."""
        config = self.practice_info.clean_config(self.config)
        return [(f.label, config[f.name]) for f in self.practice_info.config_fields]

    def config_lines(self, name: str) -> list[str]:
        """The lines of a one-item-per-line setting (agenda template, questions)."""
        value = self.practice_info.clean_config(self.config).get(name, "")
        return [line for line in str(value).splitlines() if line.strip()]

    def occurrences(self, *, after: datetime):
        """The schedule's start times after ``after``, lazily."""
        return recurrence.occurrences(self.rrule, after=after, **self._schedule())

    def occurrence_at_or_before(self, at: datetime) -> datetime | None:
        """The last start time of the schedule at or before ``at``."""
        return recurrence.occurrence_at_or_before(self.rrule, at=at, **self._schedule())

    def next_starts(self, *, after: datetime | None = None, count: int = 5) -> list[datetime]:
        """The next ``count`` start times of the schedule after ``after`` (default now)."""
        return list(islice(self.occurrences(after=after or timezone.now()), count))

    def _schedule(self) -> dict:
        return {
            "starts_on": self.starts_on,
            "start_time": self.start_time,
            "tz": self.zone,
            "until": self.ends_on,
        }

    def audience_members(self):
        """Everyone the program is for, as a queryset (one query)."""
        people = Person.objects.active()
        if self.audience_kind == AudienceKind.EVERYONE:
            return people
        if self.audience_kind == AudienceKind.DEPARTMENTS:
            return people.filter(department__in=self.audience_departments.values("pk"))
        if self.audience_kind == AudienceKind.TEAM:
            if self.audience_manager_id is None:
                return people.none()
            if self.audience_include_indirect:
                return people.below(self.audience_manager_id)
            return people.filter(manager_id=self.audience_manager_id)
        return people.filter(pk__in=self.audience_people.values("pk"))

    def audience_label(self) -> str:
        if self.audience_kind == AudienceKind.EVERYONE:
            return "Everyone"
        if self.audience_kind == AudienceKind.DEPARTMENTS:
            names = ", ".join(d.name for d in self.audience_departments.all())
            return names or "No departments chosen"
        if self.audience_kind == AudienceKind.TEAM:
            scope = "everyone below" if self.audience_include_indirect else "team of"
            return f"{scope.capitalize()} {self.audience_manager}"
        return "Listed people"

    def clean(self) -> None:
        """Validate the schedule and configuration against the practice.

        Errors are keyed by field so that forms show each beside its input.
        Audience checks that need many-to-many values are in the service.
        """
        errors: dict[str, list[str]] = {}
        try:
            practice = get_practice(self.practice or "")
        except LookupError:
            errors["practice"] = ["Choose one of the seventeen practices."]
            practice = None

        zone = None
        try:
            zone = recurrence.validate_time_zone(self.time_zone)
        except ValidationError as error:
            errors["time_zone"] = error.messages

        for name in ("starts_on", "ends_on"):
            value = getattr(self, name)
            if value and not 2000 <= value.year <= 2200:
                errors[name] = ["Choose a date between 2000 and 2200."]
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = ["The end date cannot be before the start date."]

        if self.rrule:
            try:
                self.rrule = recurrence.validate_rrule(
                    self.rrule,
                    dtstart=datetime.combine(self.starts_on or date.today(), self.start_time),
                    tz=zone,
                )
            except ValidationError as error:
                errors["rrule"] = error.messages

        if self.duration_minutes is not None and not 0 <= self.duration_minutes <= 24 * 60:
            errors["duration_minutes"] = ["A session lasts between 0 and 1440 minutes."]
        if practice and practice.is_meeting and not self.duration_minutes:
            errors["duration_minutes"] = ["Meetings need a duration of at least one minute."]

        if self.audience_kind == AudienceKind.TEAM and not self.audience_manager_id:
            errors["audience_manager"] = ["Choose whose team this program is for."]

        if practice is not None:
            try:
                self.config = practice.clean_config(self.config)
            except ValidationError as error:
                errors["config"] = [
                    f"{name}: {message}"
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
            else:
                errors.update(self._locked_settings_errors(practice))
        if errors:
            raise ValidationError(errors)

    def _locked_settings_errors(self, practice: Practice) -> dict[str, list[str]]:
        """A survey's anonymity and minimum group sizes are fixed once its first window
        opens: people answered on those terms. Checked here so that every path that
        validates a program (the service, the admin) refuses the change."""
        if self.pk is None or not practice.has(Capability.SURVEY):
            return {}
        stored = Program.objects.filter(pk=self.pk).values_list("config", "practice").first()
        if stored is None or stored[1] != practice.code:
            return {}
        # Sessions are the scheduling app's, a layer above: it answers whether one opened.
        if not extensions.ask("program_has_opened", self, timezone.now(), default=False):
            return {}
        try:
            before = practice.clean_config(stored[0])
        except ValidationError:
            return {}
        changed = [name for name in LOCKED_ONCE_OPEN if before.get(name) != self.config.get(name)]
        if not changed:
            return {}
        labels = ", ".join(practice.field(name).label.lower() for name in changed)
        return {"config": [f"The survey has opened, so these can no longer change: {labels}."]}


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"


class ProgramMemberQuerySet(models.QuerySet):
    def serving_on(self, day: date) -> ProgramMemberQuerySet:
        """Members whose term covers ``day``."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class ProgramMember(models.Model):
    """A seat with a term on a program that has standing members (the EE5 council).

    Council meetings take the members serving on the day of each meeting; the
    program's audience is who may bring proposals to them.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    starts_on = models.DateField("term starts")
    ends_on = models.DateField("term ends", null=True, blank=True)

    objects = ProgramMemberQuerySet.as_manager()

    class Meta:
        ordering = ["role", "starts_on", "pk"]  # the chair first
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="member_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()})"

    def serves_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
