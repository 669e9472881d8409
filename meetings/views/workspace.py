"""Working on a meeting: talking points, notes, action items, how it went, moods."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from engagement import validators
from engagement.practices import Capability
from meetings import access as meetings_access
from meetings import forms
from meetings.models import TalkingPoint
from meetings.services import workspace as services
from meetings.views.common import session_again
from scheduling import access as scheduling_access


@require_POST
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.TalkingPointForm(request.POST)
    if form.is_valid():
        try:
            services.talking_point_add(
                session=session, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#agenda")
    return session_again(request, pk, "point_form", form)


@require_POST
def point_tick(request: HttpRequest, pk: int, point_id: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    point = TalkingPoint.objects.of_series(session).up_to(session).filter(pk=point_id).first()
    if point is None:
        raise Http404("No such talking point.")
    services.talking_point_tick(point=point, session=session, actor=request.user)
    return redirect(session.get_absolute_url() + "#agenda")


@require_POST
def note_save(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.NoteForm(request.POST)
    # Which of the two note forms to show again, even when the rest is refused.
    private = form.fields["private"].to_python(form.data.get("private"))
    if form.is_valid():
        try:
            services.note_save(
                session=session,
                author=request.user,
                body=form.cleaned_data["body"],
                private=private,
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Private note saved." if private else "Shared notes saved.")
            return redirect(session.get_absolute_url() + "#notes")
    return session_again(request, pk, "private_form" if private else "shared_form", form)


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.ActionItemForm(
        request.POST,
        insiders=scheduling_access.session_insiders(session),
        shared=session.program.practice_info.has(Capability.SHARED_ACTIONS),
    )
    if form.is_valid():
        try:
            services.action_item_add(session=session, creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            return redirect(session.get_absolute_url() + "#actions")
    return session_again(request, pk, "action_form", form)


@require_POST
def action_toggle(request: HttpRequest, item_id: int) -> HttpResponse:
    item = meetings_access.action_items_visible_to(request.user).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such action item.")
    services.action_item_toggle(item=item, actor=request.user)
    target = request.POST.get("next", "")
    # Only a path of this site: anything else (another host, or text that redirect()
    # would take for a view name and fail to reverse) goes back to my actions.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("meetings:my_actions")
    return redirect(target)


@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_manage(request.user, pk)
    people = [p.person for p in session.participants.select_related("person")]
    form = forms.OutcomeForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.session_record_outcome(
                session=session,
                actor=request.user,
                status=form.cleaned_data["status"],
                attended=set(form.cleaned_data["attended"]),
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            messages.success(request, "Recorded how the session went.")
            return redirect(session)
    return session_again(request, pk, "outcome_form", form)


@require_POST
def mood(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.MoodForm(request.POST)
    if not form.is_valid():
        messages.error(request, validators.first_error(form))
        return redirect(session.get_absolute_url() + "#mood")
    try:
        services.mood_record(session=session, person=request.user, mood=form.cleaned_data["mood"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(session.get_absolute_url() + "#mood")
