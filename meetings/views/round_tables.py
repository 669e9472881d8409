"""A round table's topics, votes, answers and summary."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from engagement import validators
from meetings import access as meetings_access
from meetings import forms
from meetings.models import Topic
from meetings.services import round_tables as services
from meetings.views.common import session_again
from scheduling import access as scheduling_access


def _topic_for_work(request, pk, topic_id):
    session = meetings_access.session_for_work(request.user, pk)
    topic = Topic.objects.filter(session=session, pk=topic_id).first()
    if topic is None:
        raise Http404("No such topic.")
    return session, topic


@require_POST
def topic_raise(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.TopicForm(request.POST)
    if form.is_valid():
        try:
            services.topic_raise(
                session=session,
                person=request.user,
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#topics")
    return session_again(request, pk, "topic_form", form)


@require_POST
def topic_vote(request: HttpRequest, pk: int, topic_id: str) -> HttpResponse:
    session, topic = _topic_for_work(request, pk, topic_id)
    try:
        services.topic_vote(topic=topic, voter=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(session.get_absolute_url() + "#topics")


@require_POST
def topic_answer(request: HttpRequest, pk: int, topic_id: str) -> HttpResponse:
    session, topic = _topic_for_work(request, pk, topic_id)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        services.topic_answer(topic=topic, actor=request.user, answer=form.cleaned_data["answer"])
    else:
        messages.error(request, "Write an answer of up to 5,000 characters.")
    return redirect(session.get_absolute_url() + "#topics")


@require_POST
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_manage(request.user, pk)
    form = forms.SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.summary_publish(
                session=session, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Summary published and sent to the invitees and audience.")
            return redirect(session.get_absolute_url() + "#summary")
    return session_again(request, pk, "summary_form", form)
