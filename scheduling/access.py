"""Who may see and change sessions: the scheduling app's access rules, built on
engagement's primitives. A refused access is a 404 for outsiders and a 403 for
insiders without the right."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from engagement.access import can_edit_program, in_audience, is_hr, programs_visible_to
from engagement.models import Person
from engagement.practices import Capability
from scheduling.models import WITHOUT_PLACE, ParticipantRole, Session, SessionKind

# One-to-one series (1-on-1s, skip-levels) are private to the two people and
# the program's owner: nobody else learns when or with whom they meet. The planner
# marks them (``Session.private``) and names the two (``pair_lead``, ``pair_person``).


def private_q(prefix: str = "") -> Q:
    """Private sessions (1-on-1s, skip-levels), or rows reached through ``prefix``
    (``"session__"``) that belong to one."""
    return Q(**{f"{prefix}private": True})


# Private sessions and the Django admin: no administrator, superusers included, lists,
# opens or changes a private session or its records there.
def admin_sessions(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(private_q())


def admin_session_records(queryset: QuerySet, *, session_path: str = "session") -> QuerySet:
    return queryset.exclude(private_q(f"{session_path}__"))


def sessions_visible_to(viewer: Person) -> QuerySet:
    """Sessions the viewer takes part in or runs, and group sessions of programs they see."""
    sessions = Session.objects.all()
    private = private_q()
    mine = Session.objects.filter(participants__person=viewer).values("pk")
    if is_hr(viewer):
        # HR configures programs; when and with whom two people meet stays theirs.
        return sessions.filter(~private | Q(pk__in=mine) | Q(program__owner=viewer))
    group_sessions = Q(program__in=programs_visible_to(viewer).values("pk"))
    return sessions.filter(Q(pk__in=mine) | Q(program__owner=viewer) | (group_sessions & ~private))


def can_see_session_people(viewer: Person, session) -> bool:
    """The list of who takes part: for meetings, everyone who sees the session; for
    submission periods (who owes what), only the program's owner, its editors and HR."""
    if session.kind != SessionKind.PERIOD:
        return True
    return is_hr(viewer) or session.program.owner_id == viewer.pk


def session_for_view(viewer: Person, pk: int):
    try:
        return sessions_visible_to(viewer).select_related("program", "program__owner").get(pk=pk)
    except Session.DoesNotExist:
        raise Http404("No such session.") from None


def can_manage_session(viewer: Person, session) -> bool:
    """Cancel, move or restore a session: the program's editors and the session's host."""
    if can_edit_program(viewer, session.program):
        return True
    return session.participants.filter(person=viewer, role=ParticipantRole.HOST).exists()


def session_for_manage(viewer: Person, pk: int):
    session = session_for_view(viewer, pk)
    if not can_manage_session(viewer, session):
        raise PermissionDenied("Only the host and the program's owner may change this session.")
    return session


def can_sign_up(viewer: Person, session) -> bool:
    """Lunch & learns take sign-ups from anyone in the program's audience."""
    program = session.program
    return program.practice_info.has(Capability.SIGN_UP) and in_audience(viewer, program)


def can_rsvp(viewer: Person, session) -> bool:
    """Social events take an RSVP from anyone in the audience but their host."""
    program = session.program
    if not program.practice_info.has(Capability.RSVP) or not in_audience(viewer, program):
        return False
    return not session.participants.filter(person=viewer, planned=True).exists()


def session_insiders(session) -> set[int]:
    """Who may read and write a session's shared notes, points and actions.

    The participants (not those on a waitlist). For group meetings the
    program's owner too; a 1-on-1 or skip-level stays between its two people.
    """
    people = set(
        session.participants.exclude(signup__in=WITHOUT_PLACE).values_list("person_id", flat=True)
    )
    if not session.private:
        people.add(session.program.owner_id)
    return people
