"""Lunch & learn topics (proposed, voted on, scheduled with a presenter) and the
1-5 ratings given after a session."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from engagement import validators
from meetings import access as meetings_access
from meetings import forms
from meetings.models import LearningTopic, LearningTopicVote
from meetings.services import learning as services
from scheduling.models import Session, SessionStatus


def learning_topics(request: HttpRequest, program_pk: int, forms_=None, status=200):
    """Topics proposed for a lunch & learn, most wanted first, and what is scheduled."""
    viewer = request.user
    program = meetings_access.lunch_and_learn_for_view(viewer, program_pk)
    topics = (
        LearningTopic.objects.filter(program=program)
        .select_related("proposed_by", "presenter", "session")
        .annotate(
            vote_count=Count("votes"),
            i_voted=Exists(LearningTopicVote.objects.filter(topic=OuterRef("pk"), voter=viewer)),
        )
        .order_by("session", "-vote_count", "created_at")
    )
    forms_ = forms_ or {}
    schedule_form = None
    if meetings_access.can_schedule_learning_topics(viewer, program):
        schedule_form = forms_.get("schedule") or _schedule_form(program)
    return render(
        request,
        "meetings/learning_topics.html",
        {
            "program": program,
            "open_topics": [t for t in topics if t.session_id is None],
            "scheduled": sorted(
                (t for t in topics if t.session_id), key=lambda t: t.session.starts_at
            ),
            "can_propose": meetings_access.can_propose_learning_topic(viewer, program),
            "topic_form": forms_.get("topic") or forms.LearningTopicForm(),
            "schedule_form": schedule_form,
        },
        status=status,
    )


def _schedule_form(program, data=None):
    sessions = (
        Session.objects.filter(
            program=program, status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now()
        )
        .select_related("program")
        .order_by("starts_at")
    )
    topics = LearningTopic.objects.filter(program=program).filter(
        Q(session__isnull=True) | Q(session__starts_at__gt=timezone.now())
    )
    presenters = program.audience_members().filter(is_active=True).order_by("first_name")
    return forms.LearningScheduleForm(data, topics=topics, sessions=sessions, presenters=presenters)


@require_POST
def learning_topic_propose(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = meetings_access.lunch_and_learn_for_view(request.user, program_pk)
    form = forms.LearningTopicForm(request.POST)
    if form.is_valid():
        try:
            services.learning_topic_propose(
                program=program, person=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Topic proposed. Colleagues can now upvote it.")
            return redirect("meetings:learning_topics", program_pk=program.pk)
    return learning_topics(request, program_pk, {"topic": form}, status=400)


@require_POST
def learning_topic_vote(request: HttpRequest, program_pk: int, topic_pk: int) -> HttpResponse:
    program = meetings_access.lunch_and_learn_for_view(request.user, program_pk)
    topic = LearningTopic.objects.filter(program=program, pk=topic_pk).first()
    if topic is None:
        raise Http404("No such topic.")
    try:
        services.learning_topic_vote(topic=topic, voter=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("meetings:learning_topics", program_pk=program.pk)


@require_POST
def learning_topic_schedule(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = meetings_access.lunch_and_learn_for_view(request.user, program_pk)
    form = _schedule_form(program, request.POST)
    if form.is_valid():
        try:
            topic = services.learning_topic_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, f"“{topic}” is scheduled with its presenter.")
            return redirect("meetings:learning_topics", program_pk=program.pk)
    return learning_topics(request, program_pk, {"schedule": form}, status=400)


@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, validators.first_error(form))
        return redirect(session.get_absolute_url() + "#rating")
    about = None
    if form.cleaned_data["about"]:
        targets = services.rating_targets(session, request.user)
        about = next((d for d in targets if str(d.pk) == form.cleaned_data["about"]), "unknown")
    try:
        services.rating_give(
            session=session,
            rater=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            about=about,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Thank you: your rating is saved.")
    return redirect(session.get_absolute_url() + "#rating")
