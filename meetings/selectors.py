"""Reads for meeting pages, counted in the database."""

from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from engagement.models import Person
from meetings.models import ActionItem, TalkingPoint
from scheduling.models import Session, SessionKind, SignUp


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


def week_ahead(person: Person):
    """The person's meetings of the next seven days, with what is open on each."""
    now = timezone.now()
    mine = Session.objects.filter(participants__person=person).exclude(
        participants__person=person, participants__signup=SignUp.WAITLISTED
    )
    return (
        Session.objects.live()
        .filter(
            pk__in=mine.values("pk"),
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
