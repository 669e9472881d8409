"""Shared factories: small functions that build valid records with defaults."""

from __future__ import annotations

import itertools
from datetime import date, time

from engagement.models import AudienceKind, Department, Person, Program
from engagement.practices import get_practice

_seq = itertools.count(1)


def make_department(name: str | None = None) -> Department:
    return Department.objects.create(name=name or f"Department {next(_seq)}")


def make_person(
    username: str | None = None,
    *,
    manager: Person | None = None,
    department: Department | None = None,
    password: str = "pw",
    **fields,
) -> Person:
    n = next(_seq)
    username = username or f"person{n}"
    fields.setdefault("first_name", username.capitalize())
    fields.setdefault("last_name", f"Tester{n}")
    fields.setdefault("email", f"{username}@example.com")
    fields.setdefault("title", "Associate")
    return Person.objects.create_user(
        username=username,
        password=password,
        manager=manager,
        department=department or (manager.department if manager else None),
        **fields,
    )


def make_program(
    practice: str = "EE10",
    *,
    owner: Person,
    name: str | None = None,
    audience_kind: str = AudienceKind.EVERYONE,
    audience_manager: Person | None = None,
    **fields,
) -> Program:
    info = get_practice(practice)
    fields.setdefault("rrule", info.cadence.rrule)
    fields.setdefault("time_zone", "Europe/Berlin")
    fields.setdefault("starts_on", date(2026, 1, 5))
    fields.setdefault("start_time", time(9, 0))
    fields.setdefault("duration_minutes", info.duration_minutes)
    fields.setdefault("config", info.default_config())
    program = Program(
        practice=info.code,
        name=name or f"{info.name} {next(_seq)}",
        owner=owner,
        audience_kind=audience_kind,
        audience_manager=audience_manager,
        **fields,
    )
    program.full_clean()
    program.save()
    return program


def make_program_below(practice: str, leader: Person, **fields) -> Program:
    """A weekly program ``leader`` runs for everyone below them, starting today."""
    from django.utils import timezone

    fields.setdefault("rrule", "FREQ=WEEKLY")
    fields.setdefault("starts_on", timezone.localdate())
    return make_program(
        practice,
        owner=leader,
        audience_kind=AudienceKind.TEAM,
        audience_manager=leader,
        audience_include_indirect=True,
        **fields,
    )


def _private_pair(series: str) -> dict:
    """The privacy columns the planner sets for a 1-on-1 or skip-level series
    ("pair:<manager>:<report>", "skip:<leader>:<person>"), so that a test naming such
    a series gets the private session the planner would make. A malformed one (the
    old "skip:<person>" keys) is private to nobody."""
    kind, _, rest = series.partition(":")
    if kind not in ("pair", "skip"):
        return {}
    first, _, second = rest.partition(":")
    if not (first.isdigit() and second.isdigit()):
        return {"private": True}
    return {"private": True, "pair_lead_id": int(first), "pair_person_id": int(second)}


def make_session(
    program: Program, people=(), *, hours_from_now: float = -2, series="main", **fields
):
    """A meeting of ``program`` starting some hours from now (negative: in the past),
    with ``people`` as (person, role) pairs. A 1-on-1 or skip-level series makes it
    private to its two people, as the planner would."""
    from datetime import timedelta
    from uuid import uuid4

    from django.utils import timezone

    from scheduling.models import Participant, Session

    start = timezone.now() + timedelta(hours=hours_from_now)
    fields.setdefault("status", "scheduled")
    if not {"private", "pair_lead", "pair_person"} & {name.removesuffix("_id") for name in fields}:
        fields.update(_private_pair(series))
    session = Session.objects.create(
        program=program,
        series=series,
        planned_start=start,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        kind="meeting",
        title=program.name,
        uid=uuid4(),
        **fields,
    )
    Participant.objects.bulk_create(
        [Participant(session=session, person=person, role=role) for person, role in people]
    )
    return session
