"""The meetings app's figures for results and program health (registered in ``ready``),
each one query in the database."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Avg, Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from engagement.models import Person
from engagement.practices import DEFAULT_MIN_GROUP
from meetings.models import ActionItem, Rating
from scheduling.models import Participant, ParticipantRole


def _day(value: date | datetime, *, local: bool) -> date:
    if not isinstance(value, datetime):
        return value
    return timezone.localdate(value) if local else value.date()


def actions_done(manager: Person, since, until) -> tuple[int, int]:
    """(done, due) of the action items due from ``since`` to ``until`` (both days
    included) that the manager owns or that were raised in sessions they host."""
    counts = ActionItem.objects.filter(
        Q(
            raised_in__participants__person=manager,
            raised_in__participants__role=ParticipantRole.HOST,
        )
        | Q(owner=manager),
        due_on__gte=_day(since, local=False),
        due_on__lte=_day(until, local=True),
    ).aggregate(
        due=Count("id", distinct=True),
        done=Count("id", distinct=True, filter=Q(done_at__isnull=False)),
    )
    return counts["done"], counts["due"]


def actions_done_many(manager_ids, since, until) -> dict[int, tuple[int, int]]:
    """``actions_done`` for many managers at once: ``{manager id: (done, due)}``, one
    query (a correlated count per manager, so an action both owned and raised by one
    manager counts once)."""
    hosted = Participant.objects.filter(
        session=OuterRef("raised_in"), person=OuterRef(OuterRef("pk")), role=ParticipantRole.HOST
    )
    theirs = ActionItem.objects.filter(
        Q(owner=OuterRef("pk")) | Exists(hosted),
        due_on__gte=_day(since, local=False),
        due_on__lte=_day(until, local=True),
    ).order_by()

    def count(items) -> Subquery:
        return Subquery(
            items.annotate(n=Func(F("id"), function="COUNT")).values("n"),
            output_field=IntegerField(),
        )

    rows = (
        Person.objects.filter(pk__in=manager_ids)
        .annotate(due=count(theirs), done=count(theirs.filter(done_at__isnull=False)))
        .values_list("pk", "done", "due")
    )
    return {pk: (done or 0, due or 0) for pk, done, due in rows}


def ratings(sessions, since, until, *, minimum: int = DEFAULT_MIN_GROUP) -> dict[str, dict]:
    """Per practice code, the mean 1-5 rating (one decimal) and how many ratings, of the
    ``sessions`` that started from ``since`` to before ``until``.

    A session's ratings count only once at least ``minimum`` people rated it: any two
    leaders' figures then differ by whole sessions, never by a person.
    """
    in_range = sessions.filter(starts_at__gte=since, starts_at__lt=until).values("pk")
    rated_enough = (
        Rating.objects.filter(session__in=in_range)
        .values("session")
        .annotate(raters=Count("rater", distinct=True))
        .filter(raters__gte=minimum)
        .values("session")
    )
    rows = (
        Rating.objects.filter(session__in=rated_enough)
        .values("session__program__practice")
        .annotate(mean=Avg("score"), n=Count("id"))
    )
    return {
        row["session__program__practice"]: {
            "rating": round(row["mean"], 1) if row["mean"] else None,
            "ratings": row["n"],
        }
        for row in rows
    }
