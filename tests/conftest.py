"""Fixtures: a small organisation with one person per role (its chart is in
``tests.factories.make_org``), and the programs and pages tests share."""

import io

import pytest

from engagement.models import AudienceKind
from tests.factories import DEMO_NAMES, make_org, make_program


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def team_program(org):
    """A 1-on-1 program the manager runs for their own team."""
    return make_program(
        "EE10",
        owner=org["manager"],
        name="Shift B 1-on-1s",
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The anonymity engine keeps sealed windows' decisions in the cache; ids repeat
    between tests, so each test starts with an empty one."""
    from django.core.cache import cache

    from feedback import anonymity

    cache.clear()
    anonymity._recent.clear()
    yield
    cache.clear()
    anonymity._recent.clear()


@pytest.fixture
def demo_site(db, monkeypatch):
    """The demo organisation as ``make run`` serves it (people, one program per practice,
    planned sessions, meeting history, surveys with an action plan), with a short
    survey history (six months) instead of two years to keep tests fast. Returns the people of each
    role: the demo's own accounts, and an outsider (someone in another department,
    neither above nor below the manager)."""
    from django.core.management import call_command

    from engagement.demo import demo_load
    from engagement.models import Person
    from feedback import demo as feedback_demo

    monkeypatch.setattr(feedback_demo, "MONTHS", 6)
    assert demo_load()
    call_command("plan_sessions", verbosity=0)
    call_command("load_demo_history", stdout=io.StringIO())
    assert feedback_demo.demo_feedback_load()
    named = {p.username: p for p in Person.objects.filter(username__in=DEMO_NAMES.values())}
    manager = named["manager"]
    related = Person.objects.above(manager) | Person.objects.below(manager)
    outsider = (
        Person.objects.exclude(pk__in=related.values("pk"))
        .exclude(department=manager.department)
        .filter(is_hr_admin=False, is_senior_leader=False, is_superuser=False)
        .order_by("pk")
        .first()
    )
    return {role: named[username] for role, username in DEMO_NAMES.items()} | {"outsider": outsider}
