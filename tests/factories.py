"""Shared factories: small functions that build valid records with defaults."""

from __future__ import annotations

import itertools
from datetime import date, time

from engagement.models import AudienceKind, Department, Person, Program
from engagement.practices import get_practice

_seq = itertools.count(1)

# The demo's accounts by role (the ``demo_site`` fixture adds an outsider).
DEMO_NAMES = {"employee": "employee", "manager": "manager", "leader": "leader", "hr": "admin"}
DEMO_ROLES = ("employee", "manager", "leader", "hr", "outsider")


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
    program: Program,
    people=(),
    *,
    hours_from_now: float = -2,
    series="main",
    kind="meeting",
    start=None,
    length=None,
    **fields,
):
    """A session of ``program`` (a meeting unless ``kind`` says otherwise) starting some
    hours from now (negative: in the past) or at ``start``, lasting ``length`` (an hour
    by default), with ``people`` as (person, role) pairs. A 1-on-1 or skip-level series
    makes it private to its two people, as the planner would."""
    from datetime import timedelta
    from uuid import uuid4

    from django.utils import timezone

    from scheduling.models import Participant, Session

    start = start or timezone.now() + timedelta(hours=hours_from_now)
    fields.setdefault("status", "scheduled")
    fields.setdefault("planned_start", start)
    fields.setdefault("title", program.name)
    fields.setdefault("uid", uuid4())
    fields.setdefault("ends_at", start + (length if length is not None else timedelta(hours=1)))
    if not {"private", "pair_lead", "pair_person"} & {name.removesuffix("_id") for name in fields}:
        fields.update(_private_pair(series))
    session = Session.objects.create(
        program=program, series=series, starts_at=start, kind=kind, **fields
    )
    Participant.objects.bulk_create(
        [Participant(session=session, person=person, role=role) for person, role in people]
    )
    return session


# The organisation ---------------------------------------------------------------


def make_org() -> dict:
    """A small organisation with one person per role (tests/conftest.py draws it).

    ceo (senior leader)
    └── leader (senior leader)            dept Operations
        └── manager                        dept Operations
            ├── employee
            └── colleague
    hr (HR administrator), reports to ceo  dept People
    outsider (unrelated), own manager      dept Sales
    """
    operations = make_department("Operations")
    people = make_department("People")
    sales = make_department("Sales")
    ceo = make_person("ceo", department=operations, is_senior_leader=True, title="CEO")
    leader = make_person("leader", manager=ceo, is_senior_leader=True, title="VP Operations")
    manager = make_person("manager", manager=leader, title="Shift Manager")
    employee = make_person("employee", manager=manager)
    colleague = make_person("colleague", manager=manager)
    hr = make_person("hr", manager=ceo, department=people, is_hr_admin=True, title="HR Director")
    sales_head = make_person("saleshead", manager=ceo, department=sales, title="Head of Sales")
    outsider = make_person("outsider", manager=sales_head, department=sales)
    return {
        "departments": {"operations": operations, "people": people, "sales": sales},
        "ceo": ceo,
        "leader": leader,
        "manager": manager,
        "employee": employee,
        "colleague": colleague,
        "hr": hr,
        "sales_head": sales_head,
        "outsider": outsider,
    }


# Surveys (the feedback app) -------------------------------------------------------


def open_window(program, *, days_ago=1, length=10):
    """A survey window of ``program`` that opened ``days_ago`` days ago, with everyone in
    the program's audience invited to answer."""
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() - timedelta(days=days_ago)
    people = program.audience_members()
    return make_session(
        program,
        [(person, "submitter") for person in people],
        kind="period",
        start=start,
        length=timedelta(days=length),
        due_at=start + timedelta(days=length),
    )


def survey_program(org, *, anonymous=True, minimum=5, name="Team pulse", team_only=True):
    """A pulse survey HR runs for everyone below the leader (or everyone)."""
    audience = (
        {
            "audience_kind": AudienceKind.TEAM,
            "audience_manager": org["leader"],
            "audience_include_indirect": True,
        }
        if team_only
        else {}
    )
    return make_program(
        "EE3",
        owner=org["hr"],
        name=name,
        config={
            "window_days": 10,
            "anonymous": anonymous,
            "min_group_size": minimum,
            "comment_min_group_size": minimum,
            "reminder_lead_hours": 48,
        },
        **audience,
    )


def pulse_form(program, created_by):
    """A form of four simple questions that ``answers_for`` fills in."""
    from feedback.models import Form, Question

    form = Form.objects.create(program=program, created_by=created_by)
    Question.objects.bulk_create(
        [
            Question(form=form, position=0, kind="likert", text="Proud", driver="engagement"),
            Question(form=form, position=1, kind="likert", text="Recognised", driver="recognition"),
            Question(form=form, position=2, kind="enps", text="Recommend", driver="enps"),
            Question(form=form, position=3, kind="text", text="Comment", required=False),
        ]
    )
    return form


def answers_for(form, likert=4, recognition=4, enps=9, comment=""):
    from feedback import services

    questions = {q.text: q.pk for q in form.questions.all()}
    Given = services.Given
    return {
        questions["Proud"]: Given(value=likert),
        questions["Recognised"]: Given(value=recognition),
        questions["Recommend"]: Given(value=enps),
        questions["Comment"]: Given(text=comment),
    }


# Pages ----------------------------------------------------------------------------


def page_of(response) -> str:
    """The page's text, once it is sure the page was served: a refused request lacks
    the text too, so an assertion that something is absent needs this first."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()
