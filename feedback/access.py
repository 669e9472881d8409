"""Whose results a person may open, and action plans: the feedback app's access rules.

Results are aggregates, and the anonymity engine hides every cut below the minimum
group size; these rules decide whose aggregates a person may open at all."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse

from engagement.access import is_hr, is_manager
from engagement.models import Person
from engagement.practices import Capability
from feedback.models import ActionPlan
from scheduling.models import SessionKind


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
    plans = ActionPlan.objects.all()
    if is_hr(viewer):
        return plans
    own = Q(manager=viewer) | Q(manager__in=Person.objects.below(viewer).values("pk"))
    shared = Q(shared_at__isnull=False, manager__in=Person.objects.above(viewer).values("pk"))
    return plans.filter(own | shared)


def can_toggle_commitment(viewer: Person, commitment) -> bool:
    """Mark a commitment done or open again: its owner and those who plan for the team."""
    return viewer.pk == commitment.owner_id or can_plan_for_team(viewer, commitment.plan.manager)


def commitments_toggleable_by(viewer: Person, plan) -> QuerySet:
    """The plan's commitments the viewer may mark done (same rule, one query)."""
    if can_plan_for_team(viewer, plan.manager):
        return plan.commitments.all()
    return plan.commitments.filter(owner=viewer)


def submit_url(session) -> str | None:
    """Where an invitee answers a survey window (reminders link there)."""
    if session.kind == SessionKind.PERIOD and session.program.practice_info.has(Capability.SURVEY):
        return reverse("feedback:answer", args=[session.pk])
    return None
