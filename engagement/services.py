"""Writes that touch the organisation and its programs.

Each service is atomic: it validates everything, then saves everything, or
saves nothing and raises ``ValidationError`` with a message a person
understands.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from engagement import access, extensions
from engagement.models import (
    AudienceKind,
    Department,
    MemberRole,
    Person,
    Program,
    ProgramMember,
    ProgramStatus,
)
from engagement.practices import Gathering, get_practice

PROGRAM_FIELDS = (
    "name",
    "description",
    "owner",
    "audience_kind",
    "audience_manager",
    "audience_include_indirect",
    "rrule",
    "time_zone",
    "starts_on",
    "start_time",
    "ends_on",
    "duration_minutes",
    "config",
)


def _apply_program_fields(
    program: Program,
    *,
    actor: Person,
    audience_departments: Iterable[Department],
    audience_people: Iterable[Person],
    **fields,
) -> tuple[list[Department], list[Person]]:
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(program, name, value)
    if program.owner_id is None:
        program.owner = access.default_program_owner(
            actor,
            audience_kind=program.audience_kind,
            audience_manager=program.audience_manager,
        )
    departments, people = list(audience_departments), list(audience_people)
    # Audience details that do not apply to the chosen kind are dropped, so a
    # program never keeps a hidden list that a later kind change would revive.
    if program.audience_kind != AudienceKind.TEAM:
        program.audience_manager = None
        program.audience_include_indirect = False
    if program.audience_kind != AudienceKind.DEPARTMENTS:
        departments = []
    if program.audience_kind != AudienceKind.PEOPLE:
        people = []
    errors = {}
    if program.audience_kind == AudienceKind.DEPARTMENTS and not departments:
        errors["audience_departments"] = ["Choose at least one department."]
    if program.audience_kind == AudienceKind.PEOPLE and not people:
        errors["audience_people"] = ["Choose at least one person."]
    try:
        program.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    return departments, people


@transaction.atomic
def program_create(
    *,
    actor: Person,
    practice: str,
    name: str,
    starts_on: date,
    owner: Person | None = None,
    audience_departments: Iterable[Department] = (),
    audience_people: Iterable[Person] = (),
    **fields,
) -> Program:
    """Create a program of ``practice``; missing settings take the practice's defaults.

    With no ``owner``, a team's program is owned by the team's manager
    (``access.default_program_owner``).
    """
    info = get_practice(practice)
    fields.setdefault("config", info.default_config())
    fields.setdefault("rrule", info.cadence.rrule)
    fields.setdefault("duration_minutes", info.duration_minutes)
    fields.setdefault("start_time", time(9, 0))
    program = Program(practice=info.code, created_by=actor)
    departments, people = _apply_program_fields(
        program,
        actor=actor,
        name=name,
        owner=owner,
        starts_on=starts_on,
        audience_departments=audience_departments,
        audience_people=audience_people,
        **fields,
    )
    program.status_changed_at = timezone.now()
    program.save()
    program.audience_departments.set(departments)
    program.audience_people.set(people)
    access.check_program_scope(actor, owner=program.owner, program=program)
    _plan_after_commit(program)
    return program


@transaction.atomic
def program_update(
    *,
    actor: Person,
    program: Program,
    audience_departments: Iterable[Department] = (),
    audience_people: Iterable[Person] = (),
    **fields,
) -> Program:
    """Change a program's settings; its practice never changes."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    departments, people = _apply_program_fields(
        program,
        actor=actor,
        audience_departments=audience_departments,
        audience_people=audience_people,
        **fields,
    )
    if program.status == ProgramStatus.ENDED and (
        program.ends_on is None or program.ends_on >= timezone.localdate()
    ):
        # A new end date in the future is how an ended program is run again.
        program.status = ProgramStatus.ACTIVE
        program.status_changed_at = timezone.now()
    program.save()
    program.audience_departments.set(departments)
    program.audience_people.set(people)
    access.check_program_scope(actor, owner=program.owner, program=program)
    _plan_after_commit(program)
    return program


def _plan_after_commit(program: Program) -> None:
    """Re-plan the program's sessions now rather than at the next hourly pass, once the
    change is committed. Planning is the scheduling app's, a layer above: it answers."""
    program_id = program.pk
    transaction.on_commit(lambda: extensions.ask("plan_program_soon", program_id))


def _program_set_status(*, program: Program, status: str, allowed_from: set[str]) -> Program:
    changed = Program.objects.filter(pk=program.pk, status__in=allowed_from).update(
        status=status, status_changed_at=timezone.now(), updated_at=timezone.now()
    )
    program.refresh_from_db()
    if changed:
        _plan_after_commit(program)
    if not changed and program.status != status:
        raise ValidationError(
            f"This program is {program.get_status_display().lower()} and cannot be "
            f"{'paused' if status == ProgramStatus.PAUSED else 'resumed'}."
        )
    return program


def _check_can_edit(actor: Person, program: Program) -> None:
    if not access.can_edit_program(actor, program):
        raise PermissionDenied("Only HR administrators and the program's owner may change it.")


def program_pause(*, actor: Person, program: Program) -> Program:
    """Pause a program: nothing new is planned or sent until it is resumed."""
    _check_can_edit(actor, program)
    return _program_set_status(
        program=program, status=ProgramStatus.PAUSED, allowed_from={ProgramStatus.ACTIVE}
    )


def program_resume(*, actor: Person, program: Program) -> Program:
    _check_can_edit(actor, program)
    if program.ends_on and program.ends_on < timezone.localdate():
        raise ValidationError(
            "This program's end date has passed; change the end date to run it again."
        )
    return _program_set_status(
        program=program, status=ProgramStatus.ACTIVE, allowed_from={ProgramStatus.PAUSED}
    )


def programs_end_finished(*, today: date | None = None) -> int:
    """Mark programs whose end date has passed as ended; return how many changed.

    A single conditional UPDATE, so several workers running it at once agree.
    """
    today = today or timezone.localdate()
    return Program.objects.filter(
        ends_on__lt=today, status__in=[ProgramStatus.ACTIVE, ProgramStatus.PAUSED]
    ).update(status=ProgramStatus.ENDED, status_changed_at=timezone.now())


@transaction.atomic
def member_add(
    *,
    actor: Person,
    program: Program,
    person: Person,
    role: str = MemberRole.MEMBER,
    starts_on: date,
    ends_on: date | None = None,
) -> ProgramMember:
    """Seat someone on a council for a term; meetings from then on include them."""
    if not access.can_edit_program(actor, program):
        raise PermissionDenied("Only the program's owner and HR seat council members.")
    if program.practice_info.gathering != Gathering.COUNCIL:
        raise ValidationError("Only an employee council has members with terms.")
    # Two HR administrators seating the same person at once: the second waits and
    # then sees the first term in the overlap check.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    if not person.is_active:
        raise ValidationError({"person": "This person has left the organisation."})
    if role not in MemberRole.values:
        raise ValidationError({"role": "Choose chair or member."})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The term cannot end before it starts."})
    overlapping = program.members.filter(person=person).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise ValidationError({"person": f"{person} already has a term on this council then."})
    member = ProgramMember.objects.create(
        program=program, person=person, role=role, starts_on=starts_on, ends_on=ends_on
    )
    _plan_after_commit(program)
    return member


@transaction.atomic
def member_end_term(*, actor: Person, member: ProgramMember, ends_on: date) -> ProgramMember:
    """End a term (the last day they serve); later meetings no longer include them."""
    if not access.can_edit_program(actor, member.program):
        raise PermissionDenied("Only the program's owner and HR change council members.")
    member = ProgramMember.objects.select_for_update().get(pk=member.pk)
    if member.ends_on is not None and member.ends_on <= ends_on:
        # Ending a term only ever shortens it: a finished term is never revived.
        raise ValidationError({"ends_on": f"{member.person}'s term already ends by then."})
    if ends_on < member.starts_on:
        raise ValidationError({"ends_on": "The term cannot end before it starts."})
    member.ends_on = ends_on
    member.save(update_fields=["ends_on"])
    _plan_after_commit(member.program)
    return member
