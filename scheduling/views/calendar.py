"""Calendars: "My calendar", the private subscription feed, .ics downloads, settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from engagement.recurrence import available_time_zones
from scheduling import access as scheduling_access
from scheduling import calendar
from scheduling.forms import SettingsForm
from scheduling.models import CalendarFeed
from scheduling.tables import SessionTable

ICAL_TYPE = "text/calendar; charset=utf-8"


def my_calendar(request: HttpRequest) -> HttpResponse:
    person = request.user
    feed = calendar.calendar_feed_for(person=person)
    table = SessionTable(calendar.upcoming_sessions(person))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    feed_url = request.build_absolute_uri(feed.subscription_path())
    return render(
        request,
        "scheduling/my_calendar.html",
        {
            "table": table,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        },
    )


@require_POST
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    calendar.calendar_feed_regenerate(person=request.user)
    messages.success(
        request,
        "Your old calendar link no longer works. Subscribe with the new link below, "
        "and remove the old subscription from your calendar app.",
    )
    return redirect("scheduling:my_calendar")


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription itself: calendar apps fetch it without signing in; the token is the key."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("person"), token=token, person__is_active=True
    )
    body = calendar.calendar_for(sessions=calendar.feed_sessions(feed.person), name="Rapport")
    response = HttpResponse(body, content_type=ICAL_TYPE)
    response["Content-Disposition"] = 'inline; filename="rapport.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_view(request.user, pk)
    mine = session.participants.filter(person=request.user).values("role", "signup").first()
    if mine:
        session.my_role, session.my_signup = mine["role"], mine["signup"]
    body = calendar.calendar_for(sessions=[session], name=session.title)
    response = HttpResponse(body, content_type=ICAL_TYPE)
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


def my_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=request.user)
        if form.is_valid():
            person = form.save(commit=False)
            person.save(update_fields=list(form.Meta.fields))
            messages.success(request, "Your settings are saved.")
            return redirect("scheduling:my_settings")
    else:
        form = SettingsForm(instance=request.user)
    return render(
        request,
        "scheduling/my_settings.html",
        {"form": form, "time_zones": sorted(available_time_zones())},
    )
