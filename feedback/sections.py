"""What the feedback app adds to the pages of the layers below (registered in
``feedback.apps``): the prompt to give feedback on a session's page, the links to a
program's questions and results on its page, and the surveys and sessions a person
still has to answer on their today list."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tables2 import RequestConfig

from engagement import extensions
from engagement.access import sees_organisation_below
from engagement.extensions import TodayItem
from engagement.practices import Capability, Practice
from feedback import access as feedback_access
from feedback import selectors, windows
from feedback.models import Form
from feedback.tables import ManagersBelowTable, managers_below_rows
from scheduling.models import SessionKind

# The session's page ------------------------------------------------------------------


def asks_after_sessions(practice: Practice) -> bool:
    return practice.after_session is not None


def session_feedback(request, session, bound=None) -> dict | None:
    """ "How was it?": for those a meeting asks for feedback while it is open, with
    whether they have already answered for this program this month."""
    viewer = request.user
    if session.kind != SessionKind.MEETING:
        return None
    form = Form.objects.filter(program_id=session.program_id).select_related("program").first()
    if form is None or not windows.window_is_open(session):
        return None
    if not windows.invitations(form, [session]).filter(person=viewer).exists():
        return None
    return {"session": session, "answered": windows.has_answered(form, session, viewer)}


# The program's page ------------------------------------------------------------------


def has_questions(practice: Practice) -> bool:
    """A survey program, or one that asks feedback after its sessions."""
    return practice.has(Capability.SURVEY) or asks_after_sessions(practice)


def program_results(request, program, bound=None) -> dict | None:
    """The links to a program's questions and (for those who have results) results."""
    practice = program.practice_info
    if not has_questions(practice):
        return None
    return {
        "program": program,
        "after_sessions": asks_after_sessions(practice),
        "show_results": feedback_access.has_results_home(request.user),
    }


# The home page's part of the organisation ----------------------------------------------


def managers_below(request, obj=None, bound=None) -> dict | None:
    """For a leader: each manager below them with engagement, participation and how the
    routines run, least engaged first, sortable."""
    viewer = request.user
    if not sees_organisation_below(viewer):
        return None
    rows = selectors.managers_below(viewer)
    if rows is None:
        return None
    labels = {"one_on_ones": selectors.ONE_ON_ONES}
    labels.update(
        {m.name: m.label for m in extensions.measures_for("manager") if m.many is not None}
    )
    table = ManagersBelowTable(
        managers_below_rows(rows, labels), routines=labels, prefix="managers-"
    )
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return {"table": table, "count": len(rows)}


# The today list ------------------------------------------------------------------------


def _closes(moment: datetime | None) -> str:
    if moment is None:
        return "Open now"
    return f"Closes {date_format(timezone.localtime(moment), 'D j M')}"


def to_answer(person, now: datetime) -> list[TodayItem]:
    """Survey windows open to the person that they have not answered, and recent
    sessions whose feedback they have not given yet (one per program and month)."""
    items = [
        TodayItem(
            kind="survey",
            title=invitation.session.title,
            url=reverse("feedback:answer", args=[invitation.session_id]),
            when=invitation.session.due_at,
            detail=_closes(invitation.session.due_at),
        )
        for invitation in windows.surveys_to_answer(person, now)
        if invitation.is_open and invitation.submitted_on is None
    ]
    items += [
        TodayItem(
            kind="feedback",
            title=f"Feedback on {session.title}",
            url=reverse("feedback:answer", args=[session.pk]),
            when=session.starts_at + timedelta(days=windows.FEEDBACK_DAYS),
            detail="A few anonymous questions",
        )
        for session in windows.feedback_due(person, now)
    ]
    return items
