"""Who may see and change what: every access rule of the product lives here.

Views, forms, services and templates ask this module; none re-implements a
rule. Queryset helpers start from what a person may see (scope first, then
filter); getters return the object or raise ``Http404`` for outsiders, who
must not learn that a record exists, and ``PermissionDenied`` for insiders
who may see a record but not change it.

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
- Private sessions (1-on-1s, skip-levels) and their records are not reachable
  through the Django admin for anyone, superusers included.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from engagement.models import AudienceKind, Department, Person, Program


def is_hr(person: Person) -> bool:
    return bool(getattr(person, "is_authenticated", False)) and person.is_hr


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
        "scheduling.view_session",
        "scheduling.change_session",
        "scheduling.view_participant",
        "scheduling.view_reminder",
        # Lift a sign-in lock-out before its cool-off ends (django-axes).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    }
)


def admin_permissions(person: Person) -> frozenset[str]:
    if person.is_active and person.is_staff and person.is_hr_admin:
        return HR_ADMIN_PERMISSIONS
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


# Sessions (planned by the scheduling app) --------------------------------
#
# The scheduling layer sits above this one, so its models are looked up by
# name: the rules stay here, in the one access module.


def _session_model():
    from django.apps import apps

    return apps.get_model("scheduling", "Session")


# One-to-one series (1-on-1s, skip-levels) are private to the two people and
# the program's owner: nobody else learns when or with whom they meet.
PRIVATE_SERIES = ("pair:", "skip:")
# Sign-ups that hold no place in a session (scheduling's WITHOUT_PLACE).
NO_PLACE = ("waitlisted", "maybe", "declined")


def private_series_q(prefix: str = "") -> Q:
    """Sessions (or rows reached through ``prefix``, e.g. ``"session__"``) of a private series."""
    private = Q()
    for series_prefix in PRIVATE_SERIES:
        private |= Q(**{f"{prefix}series__startswith": series_prefix})
    return private


def private_session_people(session) -> set[int] | None:
    """The two people a 1-on-1 or skip-level is for, or None for any other session.

    The series names them: ``pair:<manager>:<report>`` and ``skip:<leader>:<person>``.
    """
    kind, _, rest = session.series.partition(":")
    try:
        if kind in ("pair", "skip"):
            first, second = rest.split(":")
            return {int(first), int(second)}
    except ValueError:
        return set()  # a malformed private series admits nobody
    return None


def check_private_session_participant(session, person_id: int) -> None:
    """Raise ValidationError unless ``person_id`` may take part in ``session``: nobody but
    its two people joins a private session, whoever asks (the Django admin included)."""
    from django.core.exceptions import ValidationError

    people = private_session_people(session)
    if people is not None and person_id not in people:
        raise ValidationError(
            {"person": "This is a private session: only its two people can take part."}
        )


# Private sessions and the Django admin: no administrator, superusers included, lists,
# opens or changes a private session or its records there.
def admin_sessions(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(private_series_q())


def admin_session_records(queryset: QuerySet, *, session_path: str = "session") -> QuerySet:
    return queryset.exclude(private_series_q(f"{session_path}__"))


def sessions_visible_to(viewer: Person) -> QuerySet:
    """Sessions the viewer takes part in or runs, and group sessions of programs they see."""
    sessions = _session_model().objects.all()
    private = private_series_q()
    mine = _session_model().objects.filter(participants__person=viewer).values("pk")
    if is_hr(viewer):
        # HR configures programs; when and with whom two people meet stays theirs.
        return sessions.filter(~private | Q(pk__in=mine) | Q(program__owner=viewer))
    group_sessions = Q(program__in=programs_visible_to(viewer).values("pk"))
    return sessions.filter(Q(pk__in=mine) | Q(program__owner=viewer) | (group_sessions & ~private))


def can_see_session_people(viewer: Person, session) -> bool:
    """The list of who takes part: for meetings, everyone who sees the session; for
    submission periods (who owes what), only the program's owner, its editors and HR."""
    if session.kind != "period":
        return True
    return is_hr(viewer) or session.program.owner_id == viewer.pk


def session_for_view(viewer: Person, pk: int):
    try:
        return sessions_visible_to(viewer).select_related("program", "program__owner").get(pk=pk)
    except _session_model().DoesNotExist:
        raise Http404("No such session.") from None


def can_manage_session(viewer: Person, session) -> bool:
    """Cancel, move or restore a session: the program's editors and the session's host."""
    if can_edit_program(viewer, session.program):
        return True
    return session.participants.filter(person=viewer, role="host").exists()


def session_for_manage(viewer: Person, pk: int):
    session = session_for_view(viewer, pk)
    if not can_manage_session(viewer, session):
        raise PermissionDenied("Only the host and the program's owner may change this session.")
    return session


def can_sign_up(viewer: Person, session) -> bool:
    """Lunch & learns (EE15) take sign-ups from anyone in the program's audience."""
    return session.program.practice == "EE15" and in_audience(viewer, session.program)


def can_rsvp(viewer: Person, session) -> bool:
    """Social events (EE6) take an RSVP from anyone in the audience but their host."""
    if session.program.practice != "EE6" or not in_audience(viewer, session.program):
        return False
    return not session.participants.filter(person=viewer, planned=True).exists()


# What happens in a meeting (the meetings app, looked up by name) -----------


def session_insiders(session) -> set[int]:
    """Who may read and write a session's shared notes, points and actions.

    The participants (not those on a waitlist). For group meetings the
    program's owner too; a 1-on-1 or skip-level stays between its two people.
    """
    people = set(
        session.participants.exclude(signup__in=NO_PLACE).values_list("person_id", flat=True)
    )
    if not is_private_series(session):
        people.add(session.program.owner_id)
    return people


def can_work_on_session(viewer: Person, session) -> bool:
    """Meetings have points, notes and actions; submission periods do not."""
    return session.kind == "meeting" and viewer.pk in session_insiders(session)


def is_private_series(session) -> bool:
    return session.series.startswith(PRIVATE_SERIES)


def can_change_action_item(viewer: Person, item) -> bool:
    """Mark done or reopen: the action's owners and the people of its session."""
    if viewer.pk in (item.owner_id, item.partner_id):
        return True
    return can_work_on_session(viewer, item.raised_in)


def action_items_visible_to(viewer: Person) -> QuerySet:
    """Action items the viewer owns, or of sessions they are inside."""
    from django.apps import apps

    items = apps.get_model("meetings", "ActionItem").objects.all()
    inside = _session_model().objects.with_place_for(viewer)
    owned_groups = _session_model().objects.filter(program__owner=viewer)
    for prefix in PRIVATE_SERIES:
        owned_groups = owned_groups.exclude(series__startswith=prefix)
    return items.filter(
        Q(owner=viewer)
        | Q(partner=viewer)
        | Q(raised_in__in=inside.values("pk"))
        | Q(raised_in__in=owned_groups.values("pk"))
    )


# Employee council (EE5) ----------------------------------------------------
#
# A council works in the open: everyone it represents sees the proposals, where
# they stand and why. Who brought a proposal is seen by the council, its owner
# and the proposer; the rest of the audience reads the idea, not the name.


def in_audience(viewer: Person, program: Program) -> bool:
    """Whether ``viewer`` is in the program's audience (one query)."""
    return program.audience_members().filter(pk=viewer.pk).exists()


def is_council_member(viewer: Person, program: Program, day=None) -> bool:
    from django.utils import timezone

    return program.members.serving_on(day or timezone.localdate()).filter(person=viewer).exists()


def can_submit_proposal(viewer: Person, program: Program) -> bool:
    return (
        program.practice == "EE5"
        and program.is_active
        and (in_audience(viewer, program) or is_council_member(viewer, program))
    )


def is_council_side(viewer: Person, program: Program) -> bool:
    """The council's members serving today, its owner and HR."""
    if program.practice != "EE5":
        return False
    if is_hr(viewer) or program.owner_id == viewer.pk:
        return True
    return is_council_member(viewer, program)


def can_decide_proposal(viewer: Person, program: Program, proposal=None) -> bool:
    """Move a proposal on: the council's side, while the council is active, and never
    for a proposal of one's own."""
    if proposal is not None and proposal.author_id == viewer.pk:
        return False
    return program.is_active and is_council_side(viewer, program)


def proposals_visible_to(viewer: Person) -> QuerySet:
    """Proposals of the councils whose program the viewer sees."""
    from django.apps import apps

    proposals = apps.get_model("meetings", "Proposal").objects.all()
    return proposals.filter(program__in=programs_visible_to(viewer).values("pk"))


def can_see_proposal_author(viewer: Person, proposal) -> bool:
    return proposal.author_id == viewer.pk or is_council_side(viewer, proposal.program)


def proposal_for_view(viewer: Person, pk: int):
    proposal = (
        proposals_visible_to(viewer).select_related("program", "author").filter(pk=pk).first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


# Lunch & learns (EE15) -----------------------------------------------------


def can_schedule_learning_topics(viewer: Person, program: Program) -> bool:
    """Put topics on sessions with their presenters: the program's owner and editors."""
    return program.owner_id == viewer.pk or can_edit_program(viewer, program)


def can_propose_learning_topic(viewer: Person, program: Program) -> bool:
    """Propose and vote on topics: the audience and the host."""
    return (
        program.practice == "EE15"
        and program.is_active
        and (program.owner_id == viewer.pk or in_audience(viewer, program))
    )


# Feedback results and action plans (the feedback app, looked up by name) ----------
#
# Results are aggregates, and feedback.scores hides every cut below the minimum
# group size; these rules decide whose aggregates a person may open at all.


def can_view_results(viewer: Person, manager: Person) -> bool:
    """A manager's team results: the manager, those above them, and HR. Someone with
    no reports has no team results (their page would show their manager's)."""
    if not is_manager(manager):
        return False
    if is_hr(viewer) or viewer.pk == manager.pk:
        return True
    return manager.is_below(viewer)


def has_results_home(viewer: Person) -> bool:
    """Whether "Results" leads anywhere for the viewer: their own team's (a manager) or
    the whole organisation's (HR). Others have no results page of their own."""
    return is_manager(viewer) or is_hr(viewer)


def can_plan_for_team(viewer: Person, manager: Person) -> bool:
    """Make and change a team's action plan: its manager and those above them."""
    return viewer.pk == manager.pk or manager.is_below(viewer)


def action_plans_visible_to(viewer: Person) -> QuerySet:
    """Plans of teams the viewer leads or sits above (drafts included), plans shared
    with teams the viewer belongs to at any level, and every plan for HR."""
    from django.apps import apps

    plans = apps.get_model("feedback", "ActionPlan").objects.all()
    if is_hr(viewer):
        return plans
    own = Q(manager=viewer) | Q(manager__in=Person.objects.below(viewer).values("pk"))
    shared = Q(shared_at__isnull=False, manager__in=Person.objects.above(viewer).values("pk"))
    return plans.filter(own | shared)


# Who is asked for feedback after a session: those who had a place in it, the host
# excepted (attendees and presenters, not waitlisted, maybe or declined).
FEEDBACK_ROLES = ("attendee", "presenter")
FEEDBACK_SIGNUPS = ("", "confirmed")


def feedback_place_q(prefix: str = "") -> Q:
    """Participant rows (or, with ``prefix``, rows reached through it) asked for feedback."""
    return Q(**{f"{prefix}role__in": FEEDBACK_ROLES, f"{prefix}signup__in": FEEDBACK_SIGNUPS})


def can_toggle_commitment(viewer: Person, commitment) -> bool:
    """Mark a commitment done or open again: its owner and those who plan for the team."""
    return viewer.pk == commitment.owner_id or can_plan_for_team(viewer, commitment.plan.manager)


def commitments_toggleable_by(viewer: Person, plan) -> QuerySet:
    """The plan's commitments the viewer may mark done (same rule, one query)."""
    if can_plan_for_team(viewer, plan.manager):
        return plan.commitments.all()
    return plan.commitments.filter(owner=viewer)


def survey_windows_for(viewer: Person) -> QuerySet:
    """Survey windows the viewer is invited to answer, and meetings they had a place in
    whose program asks for feedback afterwards (the host excepted)."""
    survey = Q(participants__role="submitter", program__practice="EE3")
    after_session = Q(kind="meeting", program__feedback_form__isnull=False) & feedback_place_q(
        "participants__"
    )
    # One filter() call: every condition applies to the viewer's own participant row.
    return (
        _session_model()
        .objects.filter(Q(participants__person=viewer) & (survey | after_session))
        .distinct()
    )
