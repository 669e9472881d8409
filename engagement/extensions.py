"""The extension points: where the apps above engagement plug into its pages and jobs.

engagement (and scheduling above it) render pages whose parts belong to apps they
must not import: a session's workspace is the meetings app's, a team's results are
the feedback app's. Each app declares in its ``AppConfig.ready()`` what it
contributes, and the lower layer renders whatever was registered:

- ``section(place, ...)``: a part of a page. Places: ``"home"``, ``"organisation"``
  (the home page's card of the part of the organisation below a leader), ``"person"``,
  ``"program"``, ``"session"`` and ``"session_actions"`` (the buttons at the
  head of a session's page; these three chosen by the practice's
  capabilities through ``applies``). A section's ``context`` callable returns the
  template's context, or None to leave the section out for this viewer.
- ``today(source)``: items of a person's "today" list.
- ``nav(...)``: entries of the navigation, each with the access check that shows it.
- ``measure(...)``: figures for results and program health, per manager or per
  practice, each computed by the database in a query or two.
- ``job(...)``: recurring background jobs (``setup_schedules`` declares them).
- ``hr_admin_permissions(...)``: the Django admin permissions the HR role brings for
  an app's own models.
- ``check(name, fn)``: a named question one app answers for the others (for
  example whether a program asks its own questions after a session), so that
  sibling apps never import each other.

This is how pretix's plugins extend its pages through signals, kept small and
explicit: registration order is the app order in INSTALLED_APPS, and ``order``
sorts within a place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engagement.practices import Practice

PLACES = ("home", "organisation", "person", "program", "session", "session_actions")
SCOPES = ("manager", "practice")


@dataclass(frozen=True)
class Section:
    """A part of a page contributed by an app.

    ``context(request, obj, bound)`` gets the page's object (the person, program or
    session; None on home) and the bound form the page was re-rendered with for this
    section after a refused POST (None otherwise). It returns the template's context,
    or None when the viewer has nothing to see there.
    """

    place: str
    name: str
    template: str
    context: Callable[[Any, Any, Any], dict | None]
    order: int = 100
    applies: Callable[[Practice], bool] | None = None

    def applies_to(self, practice: Practice | None) -> bool:
        return self.applies is None or (practice is not None and self.applies(practice))


@dataclass(frozen=True)
class TodayItem:
    """One line of a person's today list."""

    kind: str  # what sort of thing: "action", "meeting", "survey", ...
    title: str
    url: str
    when: datetime | None = None
    detail: str = ""
    overdue: bool = False
    # Occurrences of one recurring thing (a program's huddles, a manager's 1-on-1s) share
    # a ``series`` key, so that a list may fold them into one line named ``recurring``
    # ("Shift B daily WHY huddle, daily on workdays at 07:45").
    series: str = ""
    recurring: str = ""


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    # "main": the navigation bar; "user": the menu beside the person's name;
    # "organisation" and "team": links under those cards of the home page; "hr": under
    # HR's overview there; "today": under an empty today list.
    menu: str = "main"


@dataclass(frozen=True)
class Measure:
    """A figure an app contributes to results and program health.

    ``scope="manager"``: ``compute(manager, since, until)`` returns ``(done, due)`` of
    how the manager runs a routine; ``many(manager_ids, since, until)`` returns
    ``{manager id: (done, due)}`` for many managers in one query (the figures of a
    leader's managers side by side), and a measure without it is left out there.
    ``scope="practice"``: ``compute(sessions, since, until)`` takes a queryset of
    sessions and returns ``{practice code: {field: value}}``, the fields named in
    ``fields``.
    """

    scope: str
    name: str
    label: str
    compute: Callable[..., Any]
    fields: tuple[str, ...] = ()
    order: int = 100
    many: Callable[..., dict[int, tuple[int, int]]] | None = None


@dataclass(frozen=True)
class Job:
    """A recurring background job, created or updated by name by ``setup_schedules``."""

    name: str
    func: str
    schedule_type: str
    minutes: int | None = None


@dataclass
class Registry:
    sections: list[Section] = field(default_factory=list)
    today_sources: list[Callable[[Any, datetime], Iterable[TodayItem]]] = field(
        default_factory=list
    )
    nav_items: list[NavItem] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    checks: dict[str, list[Callable[..., Any]]] = field(default_factory=dict)
    hr_admin_permissions: frozenset[str] = frozenset()


registry = Registry()


def section(
    place: str,
    name: str,
    template: str,
    context: Callable[[Any, Any, Any], dict | None],
    *,
    order: int = 100,
    applies: Callable[[Practice], bool] | None = None,
) -> None:
    if place not in PLACES:
        raise ValueError(f"No place {place!r} to plug into; places are {PLACES}.")
    if any(s.place == place and s.name == name for s in registry.sections):
        raise ValueError(f"A section {name!r} is already registered on {place!r}.")
    registry.sections.append(Section(place, name, template, context, order, applies))


def sections_for(place: str, practice: Practice | None = None) -> list[Section]:
    found = [s for s in registry.sections if s.place == place and s.applies_to(practice)]
    return sorted(found, key=lambda s: s.order)


def today(source: Callable[[Any, datetime], Iterable[TodayItem]]) -> None:
    registry.today_sources.append(source)


def today_items(person, now: datetime) -> list[TodayItem]:
    """Everything registered apps say needs ``person``: overdue first, then by time."""
    items = [item for source in registry.today_sources for item in source(person, now)]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(items, key=lambda item: (not item.overdue, item.when or far, item.title))


def nav(
    label: str,
    url_name: str,
    visible: Callable[[Any], bool],
    *,
    order: int = 100,
    menu: str = "main",
) -> None:
    registry.nav_items.append(NavItem(label, url_name, visible, order, menu))


def nav_for(person, menu: str = "main") -> list[NavItem]:
    return sorted(
        (item for item in registry.nav_items if item.menu == menu and item.visible(person)),
        key=lambda item: item.order,
    )


def everyone(person) -> bool:
    """The access check of pages every signed-in person has."""
    return True


def measure(
    scope: str,
    name: str,
    label: str,
    compute: Callable[..., Any],
    *,
    fields: tuple[str, ...] = (),
    order: int = 100,
    many: Callable[..., dict[int, tuple[int, int]]] | None = None,
) -> None:
    if scope not in SCOPES:
        raise ValueError(f"No measure scope {scope!r}; scopes are {SCOPES}.")
    registry.measures.append(Measure(scope, name, label, compute, fields, order, many))


def measures_for(scope: str) -> list[Measure]:
    return sorted((m for m in registry.measures if m.scope == scope), key=lambda m: m.order)


def job(name: str, func: str, schedule_type: str, minutes: int | None = None) -> None:
    if any(j.name == name for j in registry.jobs):
        raise ValueError(f"A job named {name!r} is already registered.")
    registry.jobs.append(Job(name, func, schedule_type, minutes))


def hr_admin_permissions(*permissions: str) -> None:
    """Django admin permissions that come with the HR administrator role, for an app's
    own models (``"scheduling.view_session"``)."""
    registry.hr_admin_permissions |= frozenset(permissions)


def check(name: str, answer: Callable[..., Any]) -> None:
    """Answer the question ``name``. Several apps may answer one question, each for its
    own records (returning None for the others'): the first answer that is not None wins."""
    registry.checks.setdefault(name, []).append(answer)


def ask(name: str, *args: Any, default: Any = None) -> Any:
    """The first registered answer to ``name`` that is not None, or ``default``."""
    for answer in registry.checks.get(name, ()):
        result = answer(*args)
        if result is not None:
            return result
    return default
