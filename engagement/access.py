"""Who may see and change people and programs, and the primitives the apps' own access
modules build on (``scheduling.access``, ``meetings.access``, ``feedback.access``).

Views, forms, services and templates ask the access module of the app that owns the
record; none re-implements a rule. Queryset helpers start from what a person may see
(scope first, then filter); getters return the object or raise ``Http404`` for
outsiders, who must not learn that a record exists, and ``PermissionDenied`` for
insiders who may see a record but not change it.

The rules (see ../shared/PRACTICES.md, "Privacy that the practices need"):

- Everyone signed in sees the directory basics of everyone: name, title,
  department, manager and direct reports.
- A person's full page (e-mail, start date, programs, everyone below) is
  seen by the person, by anyone above them in the organisation and by HR
  administrators.
- A program is seen by HR administrators, its owner, the manager whose team
  it is for, its audience, and anyone above its owner or that manager.
- HR administrators create and change any program. A manager (anyone with
  direct reports) creates programs for their own part of the organisation,
  owned by themselves, and changes only those.
- Only HR administrators import people and invite them to choose a password.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from engagement import extensions
from engagement.models import AudienceKind, Department, Person, Program


def is_hr(person: Person) -> bool:
    return bool(getattr(person, "is_authenticated", False)) and person.is_hr


def sees_practice_codes(person: Person | None) -> bool:
    """Practice codes (EE10) are the administrators' shorthand, as the catalog and the
    admin use them: HR and staff see them; everyone else reads the practice's name."""
    return is_hr(person) or bool(getattr(person, "is_staff", False))


def is_manager(person: Person) -> bool:
    return person.direct_reports.filter(is_active=True).exists()


# People ------------------------------------------------------------------


def people_directory(viewer: Person) -> QuerySet[Person]:
    """The people whose directory basics ``viewer`` may list."""
    return Person.objects.active().select_related("department", "manager")


def can_see_person_details(viewer: Person, person: Person) -> bool:
    return is_hr(viewer) or viewer.pk == person.pk or person.is_below(viewer)


def person_for_view(viewer: Person, pk: int) -> Person:
    try:
        return people_directory(viewer).get(pk=pk)
    except Person.DoesNotExist:
        if is_hr(viewer) and Person.objects.filter(pk=pk).exists():
            return Person.objects.select_related("department", "manager").get(pk=pk)
        raise Http404("No such person.") from None


def sees_organisation_below(viewer: Person) -> bool:
    """Senior leaders, and anyone with managers below them, get the organisation view."""
    return viewer.is_senior_leader or (
        Person.objects.active().below(viewer).exclude(manager=viewer).exists()
    )


def can_import_people(viewer: Person) -> bool:
    """HR administrators import people; the import lives in the admin, so they need staff."""
    return is_hr(viewer) and viewer.is_staff


def can_invite(viewer: Person, person: Person) -> bool:
    """Send someone a link to choose their password: HR, for an active person with an
    e-mail address (the link goes to that address, never to the one who sends it)."""
    return is_hr(viewer) and person.is_active and bool(person.email)


def person_for_invite(viewer: Person, pk: int) -> Person:
    person = person_for_view(viewer, pk)
    if not is_hr(viewer):
        raise PermissionDenied("Only HR administrators invite people.")
    return person


# The Django admin -----------------------------------------------------------
#
# HR administrators with staff status work in the admin with these permissions,
# which come with the role (no group to keep in step). Superuser rights belong to
# operator accounts only; the demo's HR administrator is not one.
HR_ADMIN_PERMISSIONS = frozenset(
    {
        *(f"engagement.{action}_person" for action in ("view", "add", "change")),
        *(f"engagement.{action}_department" for action in ("view", "add", "change", "delete")),
        *(f"engagement.{action}_program" for action in ("view", "add", "change")),
        # The organisation's country, region and zone, and its own days off.
        "engagement.view_organisation",
        "engagement.add_organisation",
        "engagement.change_organisation",
        *(f"engagement.{action}_holiday" for action in ("view", "add", "change", "delete")),
        # Lift a sign-in lock-out before its cool-off ends (django-axes).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    }
)


def admin_permissions(person: Person) -> frozenset[str]:
    """The role's permissions, with those the apps above add for their own models."""
    if person.is_active and person.is_staff and person.is_hr_admin:
        return HR_ADMIN_PERMISSIONS | extensions.registry.hr_admin_permissions
    return frozenset()


# Programs ----------------------------------------------------------------


def programs_visible_to(viewer: Person) -> QuerySet[Program]:
    if is_hr(viewer):
        return Program.objects.all()
    below = Person.objects.below(viewer).values("pk")
    return Program.objects.filter(
        Q(pk__in=Program.objects.involving(viewer).values("pk"))
        | Q(owner__in=below)
        | Q(audience_manager__in=below)
    )


def program_for_view(viewer: Person, pk: int) -> Program:
    try:
        return programs_visible_to(viewer).select_related("owner", "audience_manager").get(pk=pk)
    except Program.DoesNotExist:
        raise Http404("No such program.") from None


def can_see_program_audience(viewer: Person, program: Program) -> bool:
    """Who is in a program's audience: its owner, those above the owner, and HR.

    Others see how many people it reaches, not who: which programs a person
    belongs to is part of their full page.
    """
    if is_hr(viewer) or program.owner_id == viewer.pk:
        return True
    return program.owner.is_below(viewer)


def can_create_programs(viewer: Person) -> bool:
    return is_hr(viewer) or is_manager(viewer)


def can_edit_program(viewer: Person, program: Program) -> bool:
    if is_hr(viewer):
        return True
    return program.owner_id == viewer.pk and _audience_within_team(viewer, program)


def program_for_edit(viewer: Person, pk: int) -> Program:
    program = program_for_view(viewer, pk)
    if not can_edit_program(viewer, program):
        raise PermissionDenied("Only HR administrators and the program's owner may change it.")
    return program


def _audience_within_team(viewer: Person, program: Program) -> bool:
    if program.audience_kind == AudienceKind.TEAM:
        return program.audience_manager_id is not None and (
            program.audience_manager_id == viewer.pk
            or team_manager_choices(viewer).filter(pk=program.audience_manager_id).exists()
        )
    if program.audience_kind == AudienceKind.PEOPLE:
        outside = program.audience_people.exclude(pk__in=audience_people_choices(viewer))
        return not outside.exists()
    return False


# What a program form may offer ---------------------------------------------


def default_program_owner(
    viewer: Person, *, audience_kind: str, audience_manager: Person | None
) -> Person:
    """Who owns a program nobody was named to own.

    A team's program belongs to the team's manager: the owner sees when and with
    whom the program's private 1-on-1s and skip-levels take place, which is the
    manager's to know, not that of the HR administrator who set it up. Anything
    else, and whatever a manager creates, belongs to whoever creates it.
    """
    if is_hr(viewer) and audience_kind == AudienceKind.TEAM and audience_manager is not None:
        return audience_manager
    return viewer


def program_owner_choices(viewer: Person) -> QuerySet[Person]:
    if is_hr(viewer):
        return Person.objects.active()
    return Person.objects.filter(pk=viewer.pk)


def audience_kind_choices(viewer: Person) -> list[tuple[str, str]]:
    if is_hr(viewer):
        return list(AudienceKind.choices)
    return [(AudienceKind.TEAM, "My team"), (AudienceKind.PEOPLE, "Listed people from my team")]


def team_manager_choices(viewer: Person) -> QuerySet[Person]:
    """Whose team a program may be for: any manager for HR; oneself or a manager below."""
    managers = Person.objects.active().managers()
    if is_hr(viewer):
        return managers
    return managers.filter(Q(pk=viewer.pk) | Q(pk__in=Person.objects.below(viewer)))


def audience_people_choices(viewer: Person) -> QuerySet[Person]:
    if is_hr(viewer):
        return Person.objects.active()
    return Person.objects.active().below(viewer)


def department_choices(viewer: Person) -> QuerySet[Department]:
    if is_hr(viewer):
        return Department.objects.all()
    return Department.objects.none()


def check_program_scope(viewer: Person, *, owner: Person, program: Program) -> None:
    """Raise PermissionDenied when ``viewer`` may not save ``program`` as given.

    Forms already narrow their choices; this guards the service against a
    hand-made request that posts values the form never offered.
    """
    if is_hr(viewer):
        return
    if not is_manager(viewer):
        raise PermissionDenied("Only managers and HR administrators create programs.")
    if owner.pk != viewer.pk:
        raise PermissionDenied("Managers create programs that they own themselves.")
    if not _audience_within_team(viewer, program):
        raise PermissionDenied("Managers create programs for their own team only.")


# Audiences ---------------------------------------------------------------


def in_audience(viewer: Person, program: Program) -> bool:
    """Whether ``viewer`` is in the program's audience (one query)."""
    return program.audience_members().filter(pk=viewer.pk).exists()
