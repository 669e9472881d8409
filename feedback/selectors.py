"""Reads behind the feedback pages: which surveys, comments, leadership profiles,
how a manager runs the routines, and the health of the programs below a leader.

Each function runs a fixed number of queries, whatever the size of the team.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from engagement import access
from engagement.models import Person
from engagement.practices import PRACTICES
from feedback.bank import LEADERSHIP
from feedback.models import DEFAULT_MIN_GROUP, Answer, Form, QuestionKind
from feedback.scores import (
    LIKERT_COUNTS,
    Cut,
    Score,
    _score,
    after_session_favourable,
    team_q,
)
from scheduling.models import Participant, ParticipantRole, Session, SessionStatus

RECENT_DAYS = 90
# Practices whose submissions are recorded so far; the others have no "on time" yet.
RECORDED_SUBMISSIONS = {"EE3"}


def survey_forms(viewer: Person):
    """Survey forms of the programs the viewer may see, busiest first."""
    return (
        Form.objects.filter(program__in=access.programs_visible_to(viewer).values("pk"))
        .select_related("program")
        .annotate(leadership=Count("questions", filter=Q(questions__driver=LEADERSHIP)))
        .order_by("program__name")
    )


def pick(forms, program_pk: str | None, *, upward: bool = False):
    """The chosen survey, or the first engagement survey (or upward-feedback one), or
    else the first feedback after sessions."""
    forms = list(forms)
    if program_pk:
        chosen = next((f for f in forms if str(f.program_id) == program_pk), None)
        if chosen is not None:
            return chosen
    surveys = [f for f in forms if not f.after_sessions]
    chosen = next((f for f in surveys if bool(f.leadership) == upward), None)
    if chosen is None and not upward:
        chosen = next(iter(forms), None)
    return chosen


def comments(form: Form, window: Session, cut: Cut, driver: str = "") -> list[str]:
    """Free-text answers of a cut the anonymity engine shows comments for (the caller
    asks it, with the comment minimum).

    Ordered by their random key: neither time nor author orders them.
    """
    from feedback.scores import column

    answers = Answer.objects.filter(
        cut.q, form=form, question__kind=QuestionKind.TEXT, **{column(form): window.pk}
    ).exclude(text="")
    if driver:
        answers = answers.filter(question__driver=driver)
    return list(answers.order_by("id").values_list("text", flat=True)[:200])


def leadership_profile(form: Form, window: Session, manager: Person) -> dict[str, Score] | None:
    """LP and LC scores the manager's direct reports gave, when the anonymity engine shows
    the direct team; a principle or characteristic only when every respondent gave it."""
    from feedback import anonymity

    shown = anonymity.disclosure(form, [window.pk])
    if not shown.shows(window.pk, anonymity.team(manager.pk)):
        return None
    respondents = shown.size(window.pk, anonymity.team(manager.pk))
    rows = (
        Answer.objects.filter(
            team_q(manager.pk), form=form, window=window, question__driver=LEADERSHIP
        )
        .exclude(question__code="")
        .values("question__code")
        .annotate(**LIKERT_COUNTS)
    )
    # An optional characteristic some skipped is left out (the engine's rule for drivers).
    return {row["question__code"]: _score(row) for row in rows if row["people"] == respondents}


def managing(manager: Person, *, now=None) -> dict[str, tuple[int, int]]:
    """How the manager runs the routines over the last 90 days, as (done, due) pairs."""
    now = now or timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    today = timezone.localdate()
    one_on_ones = Session.objects.one_on_ones_due(host=manager, now=now).held_of_due()
    action_item = apps.get_model("meetings", "ActionItem")
    actions = action_item.objects.filter(
        Q(
            raised_in__participants__person=manager,
            raised_in__participants__role=ParticipantRole.HOST,
        )
        | Q(owner=manager),
        due_on__gte=since.date(),
        due_on__lte=today,
    ).aggregate(
        due=Count("id", distinct=True),
        done=Count("id", distinct=True, filter=Q(done_at__isnull=False)),
    )
    submissions = Participant.objects.filter(
        person__manager=manager,
        role=ParticipantRole.SUBMITTER,
        session__program__practice__in=RECORDED_SUBMISSIONS,
        session__due_at__gte=since,
        session__due_at__lt=now,
    ).aggregate(
        due=Count("id"),
        on_time=Count(
            "id", filter=Q(submitted_on__isnull=False, submitted_on__lte=F("session__due_at__date"))
        ),
    )
    return {
        "one_on_ones": one_on_ones,
        "actions": (actions["done"], actions["due"]),
        "submissions": (submissions["on_time"], submissions["due"]),
    }


def program_health(leader: Person, *, now=None) -> list[dict]:
    """Per practice, for sessions of the last 90 days with someone of the leader's
    organisation in them: held against planned, submissions on time, average rating."""
    now = now or timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    org = Person.objects.below(leader).values("pk")
    in_scope = Participant.objects.filter(Q(person=leader) | Q(person__in=org)).values("session")
    recent = Session.objects.filter(pk__in=in_scope, starts_at__gte=since, starts_at__lt=now)
    meetings = {
        row["program__practice"]: row
        for row in recent.filter(kind="meeting")
        .exclude(status=SessionStatus.CANCELLED)
        .values("program__practice")
        .annotate(planned=Count("id"), held=Count("id", filter=Q(status=SessionStatus.HELD)))
    }
    submissions = {
        row["session__program__practice"]: row
        for row in Participant.objects.filter(
            Q(person=leader) | Q(person__in=org),
            role=ParticipantRole.SUBMITTER,
            session__due_at__gte=since,
            session__due_at__lt=now,
            session__program__practice__in=RECORDED_SUBMISSIONS,
        )
        .values("session__program__practice")
        .annotate(
            due=Count("id"),
            on_time=Count(
                "id",
                filter=Q(submitted_on__isnull=False, submitted_on__lte=F("session__due_at__date")),
            ),
        )
    }
    # A session's ratings count only once at least the minimum number of people rated
    # it: any two leaders' figures then differ by whole sessions, never by a person.
    rating = apps.get_model("meetings", "Rating")
    rated_enough = (
        rating.objects.filter(session__in=recent)
        .values("session")
        .annotate(raters=Count("rater", distinct=True))
        .filter(raters__gte=DEFAULT_MIN_GROUP)
        .values("session")
    )
    ratings = {
        row["session__program__practice"]: row
        for row in rating.objects.filter(session__in=rated_enough)
        .values("session__program__practice")
        .annotate(mean=Avg("score"), n=Count("id"))
    }
    feedback = after_session_favourable(leader, since, now)
    rows = []
    for practice in PRACTICES:
        meeting = meetings.get(practice.code, {})
        submission = submissions.get(practice.code, {})
        rated = ratings.get(practice.code, {})
        heard = feedback.get(practice.code, {})
        rows.append(
            {
                "practice": practice,
                "planned": meeting.get("planned", 0),
                "held": meeting.get("held", 0),
                "due": submission.get("due", 0),
                "on_time": submission.get("on_time", 0),
                "rating": round(rated["mean"], 1) if rated.get("mean") else None,
                "ratings": rated.get("n", 0),
                "feedback": heard.get("favourable_pct"),
                "feedback_responses": heard.get("responses", 0),
            }
        )
    return rows
