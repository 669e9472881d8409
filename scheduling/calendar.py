"""iCalendar (RFC 5545) for sessions: a person's subscription feed and single downloads.

Calendars match events by UID and take the one with the highest SEQUENCE, so
a session keeps its UID for life (``Session.uid`` is derived from the slot,
not the row) and every change a calendar must see raises ``sequence``.
Cancelled sessions stay in the feed with ``STATUS:CANCELLED``: an event that
silently disappears is not removed by every client.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from engagement.models import Person
from scheduling.models import (
    CalendarFeed,
    ParticipantRole,
    Session,
    SessionKind,
    SessionQuerySet,
    SessionStatus,
    SignUp,
    new_calendar_token,
)

PRODID = "-//Rapport//Engagement programs//EN"
REFRESH = timedelta(hours=1)
# How far back the feed goes, so last week's 1-on-1 stays in the calendar.
FEED_PAST = timedelta(days=30)


# Selectors -------------------------------------------------------------------


def _sessions_of(person: Person) -> SessionQuerySet:
    """The sessions ``person`` takes part in, with their part as ``my_role``/``my_signup``.

    Taking part is what makes a session visible to its participants (see
    ``scheduling_access.sessions_visible_to``), so this needs no wider scope. The
    annotations reuse the join of the filter: one row per session, since a
    person takes part in a session at most once.
    """
    return (
        Session.objects.filter(participants__person=person)
        .annotate(my_role=F("participants__role"), my_signup=F("participants__signup"))
        .exclude(my_signup=SignUp.DECLINED)
        .select_related("program")
    )


def feed_sessions(person: Person, *, now: datetime | None = None) -> SessionQuerySet:
    """What the person's subscription carries: their sessions from 30 days ago on.

    Cancelled sessions are included so that calendars remove them. The
    planner plans no further than its horizon, so that bounds the feed;
    a session someone moved past the horizon stays in calendars.
    """
    since = (now or timezone.now()) - FEED_PAST
    return _sessions_of(person).filter(ends_at__gte=since).order_by("starts_at", "pk")


def upcoming_sessions(person: Person, *, now: datetime | None = None) -> SessionQuerySet:
    """The person's sessions not over yet (a period lasts until its due date)."""
    return _sessions_of(person).filter(ends_at__gte=now or timezone.now()).order_by("starts_at")


# Writes ------------------------------------------------------------------------


def calendar_feed_for(*, person: Person) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(person=person)
    return feed


def calendar_feed_regenerate(*, person: Person) -> CalendarFeed:
    """Give the person a new secret link; the old one stops working at once."""
    feed, _ = CalendarFeed.objects.update_or_create(
        person=person, defaults={"token": new_calendar_token()}
    )
    return feed


# iCalendar ---------------------------------------------------------------------


def calendar_for(*, sessions: Iterable[Session], name: str) -> bytes:
    """An RFC 5545 calendar (METHOD:PUBLISH) with one VEVENT per session."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = timezone.now()
    for session in sessions:
        calendar.add_component(session_event(session, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_event(session: Session, *, stamp: datetime) -> Event:
    program = session.program
    link = settings.SITE_URL + session.get_absolute_url()
    event = Event()
    event.add("uid", f"{session.uid}@rapport")
    event.add("dtstamp", stamp)
    if session.kind == SessionKind.PERIOD:
        # A due date is a day to keep in mind, not time to block: an all-day,
        # transparent event on the local day it is due.
        day = timezone.localtime(session.due_at or session.starts_at, program.zone).date()
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        summary = f"Due: {session.title}" if session.due_at else session.title
    else:
        event.add("dtstart", timezone.localtime(session.starts_at, program.zone))
        event.add("dtend", timezone.localtime(session.ends_at, program.zone))
        summary = session.title
    if getattr(session, "my_signup", "") == SignUp.WAITLISTED:
        summary += " (waitlist)"
    cancelled = session.status == SessionStatus.CANCELLED
    if cancelled:
        # Some clients show a cancelled event until the next refresh removes it.
        summary = f"Cancelled: {summary}"
    event.add("summary", summary)
    description = [program.name]
    if cancelled and session.cancel_reason:
        description.append(f"Cancelled: {session.cancel_reason}")
    role = getattr(session, "my_role", "")
    if role:
        description.append(f"You take part as {ParticipantRole(role).label.lower()}.")
    description.append(link)
    event.add("description", "\n".join(description))
    event.add("url", link)
    if session.location:
        event.add("location", session.location)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("last-modified", session.updated_at)
    return event
