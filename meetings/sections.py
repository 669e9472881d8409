"""What the meetings app adds to the session and program pages (registered in
``MeetingsConfig.ready``): each function takes the request, the page's object and the
bound forms the page was re-rendered with, and returns its template's context, or None
when the viewer has nothing to see there.

``bound`` for the workspace is a dict of form name to bound form (``{"point_form":
form}``): the workspace holds several forms, and the one that was refused comes back
with its errors while the others start blank.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from engagement.practices import Capability
from meetings import access as meetings_access
from meetings import forms
from meetings.models import (
    SKIP_LEVEL_THEMES,
    ActionItem,
    DailyWhy,
    Decision,
    LearningTopic,
    MoodCheckIn,
    Rating,
    SkipLevelAnswer,
    Summary,
    TalkingPoint,
    Topic,
    TopicVote,
)
from meetings.services.learning import rating_targets, takes_ratings
from meetings.services.skip_levels import skip_level_questions
from scheduling import access as scheduling_access
from scheduling.models import SessionKind, SessionStatus

RECORDED = (SessionStatus.HELD, SessionStatus.MISSED)


def workspace(request, session, bound=None) -> dict | None:
    """The working part of a session page: agenda, talking points, actions, notes,
    outcome, and what the practice adds (topics, moods, questions, ratings, decisions)."""
    viewer = request.user
    if not meetings_access.can_work_on_session(viewer, session):
        return None
    bound = bound or {}
    practice = session.program.practice_info
    insiders = scheduling_access.session_insiders(session)
    config = practice.clean_config(session.program.config)
    points = (
        TalkingPoint.objects.of_series(session)
        .up_to(session)
        .filter(Q(done_at=None) | Q(done_in=session))
        .select_related("author", "raised_in")
    )
    actions = (
        ActionItem.objects.of_series(session)
        .up_to(session)
        .filter(Q(done_at=None) | Q(raised_in=session))
        .select_related("owner", "partner")
    )
    notes = {
        (note.private, note.author_id if note.private else None): note
        for note in meetings_access.notes_visible_to(viewer).filter(session=session)
    }
    shared, private = notes.get((False, None)), notes.get((True, viewer.pk))
    can_manage = scheduling_access.can_manage_session(viewer, session)
    participants = [p.person for p in session.participants.select_related("person")]
    return {
        "session": session,
        "is_private": session.private,
        "template_items": session.program.config_lines("agenda_template"),
        "points": points,
        "actions": actions,
        "shared": shared,
        "private": private,
        "point_form": bound.get("point_form") or forms.TalkingPointForm(),
        "action_form": bound.get("action_form")
        or forms.ActionItemForm(
            insiders=insiders,
            shared=practice.has(Capability.SHARED_ACTIONS),
            initial={"owner": _the_other(session, viewer)},
        ),
        "shared_form": bound.get("shared_form")
        or forms.NoteForm(prefix="shared", initial={"body": shared.body if shared else ""}),
        "private_form": bound.get("private_form")
        or forms.NoteForm(prefix="private", initial={"body": private.body if private else ""}),
        "outcome_form": _outcome_form(bound, session, participants, can_manage),
        "outcome_due": session.day_has_come(),
        **_round_table(bound, session, viewer),
        **_moods(session, viewer, config),
        **_questionnaire(session),
        **_ratings(session, viewer),
        **_decisions(bound, session),
        "daily_why": DailyWhy.objects.filter(session=session).first(),
    }


def _the_other(session, viewer) -> int | None:
    """The other person of a pair (a 1-on-1, a skip-level): whom an action usually goes to."""
    others = (session.pair_people or set()) - {viewer.pk}
    return next(iter(others)) if len(others) == 1 else None


def _outcome_form(bound, session, participants, can_manage):
    """The held/missed form, for the host of a meeting that is not cancelled: from the
    day it is planned on it is recorded as planned; before that day, only with the day
    it took place (a meeting held earlier than planned is logged where it was)."""
    if bound.get("outcome_form") is not None:
        return bound["outcome_form"]
    if not can_manage or session.kind != SessionKind.MEETING or session.is_cancelled:
        return None
    start = timezone.localtime(session.starts_at, session.program.zone)
    day = start.date() if session.day_has_come() else timezone.localdate(timezone=start.tzinfo)
    return forms.OutcomeForm(
        people=participants,
        initial={
            # Recorded already: the form offers a correction of what was recorded.
            "status": session.status if session.status in RECORDED else SessionStatus.HELD,
            "attended": [p.pk for p in participants],
            "started_on": day,
            "started_time": start.time(),
        },
    )


def _round_table(bound, session, viewer) -> dict:
    """Topics raised before a round table, most votes first; authors only where named."""
    if not session.program.practice_info.has(Capability.ROUND_TABLE_TOPICS):
        return {}
    topics = (
        Topic.objects.filter(session=session)
        .select_related("author")
        .annotate(
            vote_count=Count("votes"),
            i_voted=Exists(TopicVote.objects.filter(topic=OuterRef("pk"), voter=viewer)),
        )
        .order_by("-vote_count", "raised_on", "text")
    )
    can_answer = meetings_access.can_answer_round_table(viewer, session)
    summary = Summary.objects.filter(session=session).first()
    return {
        "is_round_table": True,
        "topics": topics,
        "topic_form": bound.get("topic_form") or forms.TopicForm(),
        "summary_form": (
            bound.get("summary_form")
            or forms.SummaryForm(initial={"body": summary.body if summary else ""})
        )
        if can_answer
        else None,
        "can_answer": can_answer,
    }


def _moods(session, viewer, config) -> dict:
    """Each side's mood from 1 to 5 this session (the pair sees both)."""
    if not session.program.practice_info.has(Capability.MOOD_CHECKIN):
        return {}
    if not config.get("mood_checkin", True):
        return {}
    moods = {m.person_id: m for m in MoodCheckIn.objects.filter(session=session)}
    participants = session.participants.select_related("person").order_by("role")
    return {
        "mood_scale": range(1, 6),
        "my_mood": getattr(moods.get(viewer.pk), "mood", None),
        "moods": [(p.person, getattr(moods.get(p.person_id), "mood", None)) for p in participants],
    }


def _questionnaire(session) -> dict:
    """A skip-level interview's questions with this interview's answers and themes."""
    if not session.program.practice_info.has(Capability.INTERVIEW):
        return {}
    saved = {a.position: a for a in SkipLevelAnswer.objects.filter(session=session)}
    questions = skip_level_questions(session)
    return {
        "questionnaire": [
            (index, question, saved.get(index)) for index, question in enumerate(questions)
        ],
        "themes": SKIP_LEVEL_THEMES,
    }


def _ratings(session, viewer) -> dict:
    """The viewer's ratings after the session, one per target (the session itself, or
    each other department)."""
    if not takes_ratings(session.program) or session.starts_at > timezone.now():
        return {}
    mine = {r.about_id: r for r in Rating.objects.filter(session=session, rater=viewer)}
    return {
        "rating_scale": range(1, 6),
        "rates_departments": session.program.practice_info.has(Capability.RATE_DEPARTMENTS),
        "rating_targets": [
            (target, mine.get(getattr(target, "pk", None)))
            for target in rating_targets(session, viewer)
        ],
    }


def _decisions(bound, session) -> dict:
    """Decisions taken in this meeting; a council also links the proposals it discussed."""
    practice = session.program.practice_info
    if not practice.has(Capability.DECISIONS):
        return {}
    result = {
        "decisions": Decision.objects.filter(session=session).select_related("recorded_by"),
        "decision_form": bound.get("decision_form") or forms.DecisionForm(),
    }
    if practice.has(Capability.PROPOSALS):
        result["discussed_form"] = bound.get("discussed_form") or forms.ProposalsDiscussedForm(
            program=session.program,
            initial={"proposals": list(session.proposals.values_list("pk", flat=True))},
        )
    return result


def round_table_summary(request, session, bound=None) -> dict | None:
    """A published round-table summary, for everyone who may see the session."""
    summary = Summary.objects.filter(session=session, published_at__isnull=False).first()
    return {"summary": summary} if summary else None


def learning_topic(request, session, bound=None) -> dict:
    """What a lunch & learn session covers, and who presents it."""
    topic = LearningTopic.objects.filter(session=session).select_related("presenter").first()
    return {"session": session, "topic": topic}


def huddle_button(request, session, bound=None) -> dict | None:
    """The button to the huddle screen, for whoever runs the huddle."""
    if not scheduling_access.can_manage_session(request.user, session):
        return None
    return {"session": session}


def program_links(request, program, bound=None) -> dict:
    """Pages a meeting practice adds to its program: a council's members and proposals,
    a lunch & learn's topics."""
    practice = program.practice_info
    return {
        "program": program,
        "council": practice.has(Capability.PROPOSALS),
        "learning_topics": practice.has(Capability.LEARNING_TOPICS),
    }
