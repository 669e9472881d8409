"""Reads for meeting pages, counted in the database."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from engagement.models import Person, Program
from engagement.practices import Gathering, codes
from meetings import access as meetings_access
from meetings.models import ActionItem, MoodCheckIn, TalkingPoint
from scheduling.models import ParticipantRole, Session, SessionKind, SessionStatus


def _open_in_series(model, **extra):
    """Per session: open records of its series raised up to that session (a subquery)."""
    rows = (
        model.objects.filter(
            program=OuterRef("program"),
            series=OuterRef("series"),
            done_at=None,
            raised_in__starts_at__lte=OuterRef("starts_at"),
            **extra,
        )
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def week_ahead(person: Person, *, now=None):
    """The person's meetings of the next seven days, with what is open on each."""
    now = now or timezone.now()
    return (
        Session.objects.live()
        .with_place_for(person)
        .filter(
            kind=SessionKind.MEETING,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=7),
        )
        .select_related("program")
        .annotate(
            open_points=_open_in_series(TalkingPoint),
            open_actions=_open_in_series(ActionItem),
            my_points=_open_in_series(TalkingPoint, author=person),
        )
    )


def _count(queryset):
    rows = queryset.order_by().values("program__practice").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def one_on_one_overview(manager: Person, *, now=None):
    """The manager's direct reports with their last held and next 1-on-1, and how many
    of the 1-on-1s due in the last 90 days were held (``Session.objects.one_on_ones_due``,
    the definition the results page uses too)."""
    now = now or timezone.now()
    # The pair's columns say whose 1-on-1s these are (a new manager is a new series).
    pair = {"pair_lead": manager, "pair_person": OuterRef("pk")}
    pairs = Session.objects.filter(
        program__practice__in=codes(gathering=Gathering.PAIRS),
        participants__person=manager,
        participants__role=ParticipantRole.HOST,
        **pair,
    )
    recent = Session.objects.one_on_ones_due(host=manager, now=now).filter(**pair)
    return (
        manager.direct_reports.active()
        .annotate(
            last_held=Subquery(
                pairs.filter(status=SessionStatus.HELD)
                .order_by("-starts_at")
                .values("starts_at")[:1]
            ),
            next_at=Subquery(
                pairs.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now)
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
            due_90=_count(recent),
            held_90=_count(recent.filter(status=SessionStatus.HELD)),
        )
        .order_by("last_name", "first_name")
    )


def one_on_one_adherence(manager: Person, *, now=None) -> tuple[int, int]:
    """(held, due) over every 1-on-1 the manager hosted in the last 90 days, former
    reports included: the figure the results page shows under "managing"."""
    return Session.objects.one_on_ones_due(host=manager, now=now or timezone.now()).held_of_due()


def skip_level_coverage(leader: Person, *, now=None) -> list[dict]:
    """For each skip-level program the leader runs: everyone eligible, when last met,
    when next planned, and whether they are met, planned or overdue this period."""
    now = now or timezone.now()
    coverage = []
    skip_levels = codes(gathering=Gathering.SKIP_LEVELS)
    for program in Program.objects.filter(owner=leader, practice__in=skip_levels).order_by("name"):
        config = program.practice_info.clean_config(program.config)
        period_start = now - relativedelta(months=config["rotation_months"])
        interviews = Session.objects.filter(
            program=program,
            participants__person=OuterRef("pk"),
            participants__role=ParticipantRole.ATTENDEE,
        )
        people = list(
            program.audience_members()
            .filter(pk__in=Person.objects.below(leader).values("pk"))
            .exclude(manager=leader)
            .select_related("department", "manager")
            .annotate(
                last_met=Subquery(
                    interviews.filter(status=SessionStatus.HELD)
                    .order_by("-starts_at")
                    .values("starts_at")[:1]
                ),
                next_at=Subquery(
                    interviews.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now)
                    .order_by("starts_at")
                    .values("starts_at")[:1]
                ),
            )
            .order_by("last_name", "first_name")
        )
        started = datetime.combine(program.starts_on, time(), tzinfo=program.zone)
        period = relativedelta(months=config["rotation_months"])
        for person in people:
            # Due one rotation period after the last meeting, or after the program began.
            person.due_by = (person.last_met or started) + period
            if person.last_met and person.last_met >= period_start:
                person.coverage = "met"
            elif person.next_at:
                person.coverage = "planned"
            elif person.due_by < now:
                person.coverage = "overdue"
            else:
                person.coverage = "due later"
        coverage.append(
            {
                "program": program,
                "people": people,
                "met": sum(p.coverage == "met" for p in people),
                "overdue": sum(p.coverage == "overdue" for p in people),
                "months": config["rotation_months"],
            }
        )
    return coverage


def series_history(session, *, viewer: Person):
    """Every session of ``session``'s series, newest first, with what each recorded.

    The notes the viewer may read (shared ones and their own private ones); a fixed
    number of queries whatever the length of the history.
    """
    return (
        meetings_access.series_visible_to(viewer, session)
        .order_by("-starts_at")
        .prefetch_related(
            Prefetch("notes", queryset=meetings_access.notes_visible_to(viewer)),
            Prefetch("talking_points", queryset=TalkingPoint.objects.select_related("author")),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
            Prefetch("moods", queryset=MoodCheckIn.objects.select_related("person")),
            "decisions",
        )
    )
