"""The working part of a session page: agenda, talking points, actions, notes, outcome."""

from django import template
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from feedback import access as feedback_access
from meetings import access as meetings_access
from meetings import forms
from meetings.models import (
    SKIP_LEVEL_THEMES,
    ActionItem,
    DailyWhy,
    Decision,
    LearningTopic,
    MoodCheckIn,
    Note,
    Rating,
    SkipLevelAnswer,
    Summary,
    TalkingPoint,
    Topic,
    TopicVote,
)
from meetings.services import (
    DECISION_PRACTICES,
    rating_targets,
    skip_level_questions,
    takes_ratings,
)
from scheduling import access as scheduling_access

register = template.Library()


@register.simple_tag(takes_context=True)
def session_workspace(context, session):
    request = context["request"]
    viewer = request.user
    if not meetings_access.can_work_on_session(viewer, session):
        return ""
    insiders = scheduling_access.session_insiders(session)
    config = session.program.practice_info.clean_config(session.program.config)
    template_items = session.program.config_lines("agenda_template")
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
        for note in Note.objects.filter(
            Q(private=False) | Q(private=True, author=viewer), session=session
        )
    }
    shared, private = notes.get((False, None)), notes.get((True, viewer.pk))
    can_manage = scheduling_access.can_manage_session(viewer, session)
    participants = [p.person for p in session.participants.select_related("person")]
    return render_to_string(
        "meetings/snippets/workspace.html",
        {
            "session": session,
            "is_private": scheduling_access.is_private_series(session),
            "template_items": template_items,
            "points": points,
            "actions": actions,
            "shared": shared,
            "private": private,
            "today": timezone.localdate(),
            "point_form": context.get("workspace_point_form") or forms.TalkingPointForm(),
            "action_form": context.get("workspace_action_form")
            or forms.ActionItemForm(insiders=insiders, shared=session.program.practice == "EE14"),
            "shared_form": context.get("workspace_shared_form")
            or forms.NoteForm(initial={"body": shared.body if shared else ""}),
            "private_form": context.get("workspace_private_form")
            or forms.NoteForm(initial={"body": private.body if private else ""}),
            "outcome_form": _outcome_form(context, session, participants, can_manage),
            **_round_table(context, session, viewer, can_manage),
            **_moods(session, viewer, config),
            **_questionnaire(session, config),
            **_ratings(session, viewer),
            **_decisions(context, session),
            "daily_why": DailyWhy.objects.filter(session=session).first(),
        },
        request=request,
    )


def _outcome_form(context, session, participants, can_manage):
    """The held/missed form: for the host once the meeting has started, or with its errors."""
    bound = context.get("workspace_outcome_form")
    if bound is not None:
        return bound
    if can_manage and session.kind == "meeting" and session.starts_at <= timezone.now():
        return forms.OutcomeForm(
            people=participants, initial={"attended": [p.pk for p in participants]}
        )
    return None


def _round_table(context, session, viewer, can_manage) -> dict:
    """Topics raised before a round table, most votes first; authors only where named."""
    if session.program.practice != "EE8":
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
    summary = Summary.objects.filter(session=session).first()
    return {
        "is_round_table": True,
        "topics": topics,
        "topic_form": context.get("workspace_topic_form") or forms.TopicForm(),
        "summary_form": (
            context.get("workspace_summary_form")
            or forms.SummaryForm(initial={"body": summary.body if summary else ""})
        )
        if can_manage
        else None,
        "can_answer": can_manage,
    }


@register.inclusion_tag("meetings/snippets/summary.html")
def round_table_summary(session):
    """A published round-table summary, for everyone who may see the session."""
    return {"summary": Summary.objects.filter(session=session, published_at__isnull=False).first()}


def _moods(session, viewer, config) -> dict:
    """EE10: each side's mood from 1 to 5 this session (the pair sees both)."""
    if session.program.practice != "EE10" or not config.get("mood_checkin", True):
        return {}
    moods = {m.person_id: m for m in MoodCheckIn.objects.filter(session=session)}
    participants = session.participants.select_related("person").order_by("role")
    return {
        "mood_scale": range(1, 6),
        "my_mood": getattr(moods.get(viewer.pk), "mood", None),
        "moods": [(p.person, getattr(moods.get(p.person_id), "mood", None)) for p in participants],
    }


def _questionnaire(session, config) -> dict:
    """EE9: the configured questions with this interview's answers and themes."""
    if session.program.practice != "EE9":
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
    """EE15 and EE14: the viewer's ratings after the session, one per target."""
    if not takes_ratings(session.program) or session.starts_at > timezone.now():
        return {}
    mine = {r.about_id: r for r in Rating.objects.filter(session=session, rater=viewer)}
    return {
        "rating_scale": range(1, 6),
        "rating_targets": [
            (target, mine.get(getattr(target, "pk", None)))
            for target in rating_targets(session, viewer)
        ],
    }


def _decisions(context, session) -> dict:
    """EE11 and EE5: decisions taken in this meeting; a council also links proposals."""
    if session.program.practice not in DECISION_PRACTICES:
        return {}
    result = {
        "decisions": Decision.objects.filter(session=session).select_related("recorded_by"),
        "decision_form": context.get("workspace_decision_form") or forms.DecisionForm(),
    }
    if session.program.practice == "EE5":
        result["discussed_form"] = context.get(
            "workspace_discussed_form"
        ) or forms.ProposalsDiscussedForm(
            program=session.program,
            initial={"proposals": list(session.proposals.values_list("pk", flat=True))},
        )
    return result


@register.inclusion_tag("meetings/snippets/program_links.html", takes_context=True)
def program_links(context, program):
    """Pages a practice adds to its program: a council's proposals, a lunch & learn's
    topics, a survey's questions and results (results only for those who have some)."""
    return {
        "program": program,
        "show_results": feedback_access.has_results_home(context["request"].user),
    }


@register.inclusion_tag("meetings/snippets/learning_topic.html")
def learning_topic(session):
    """What a lunch & learn session covers, and who presents it."""
    if session.program.practice != "EE15":
        return {}
    topic = LearningTopic.objects.filter(session=session).select_related("presenter").first()
    return {"session": session, "topic": topic}
