"""A person's view across meetings: my actions, my week, my 1-on-1s, a series' history."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from meetings import access as meetings_access
from meetings import selectors
from meetings.tables import MyActionTable, MyWeekTable


def my_actions(request: HttpRequest) -> HttpResponse:
    """Every open action item of mine across all programs."""
    show_done = request.GET.get("show") == "done"
    items = meetings_access.action_items_owned_by(request.user)
    items = items.select_related("raised_in", "owner", "partner")
    items = items.exclude(done_at=None) if show_done else items.filter(done_at=None)
    table = MyActionTable(items, viewer_id=request.user.pk)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "meetings/my_actions.html",
        {"table": table, "show_done": show_done},
    )


def my_week(request: HttpRequest) -> HttpResponse:
    """My meetings of the next seven days and whether I have prepared them."""
    table = MyWeekTable(selectors.week_ahead(request.user))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "meetings/my_week.html", {"table": table})


def one_on_ones(request: HttpRequest) -> HttpResponse:
    """A manager's overview: each direct report's last and next 1-on-1 and adherence."""
    reports = selectors.one_on_one_overview(request.user)
    held, due = selectors.one_on_one_adherence(request.user)
    return render(
        request,
        "meetings/one_on_ones.html",
        {"reports": reports, "held": held, "due": due},
    )


def series_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole history of a series (a 1-on-1 pair, a team) on one page."""
    session = meetings_access.session_for_work(request.user, pk)
    sessions = selectors.series_history(session, viewer=request.user)
    return render(
        request, "meetings/series_history.html", {"session": session, "sessions": sessions}
    )
