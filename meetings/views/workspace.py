"""Working on a meeting: talking points, notes, action items, how it went, moods.

Each form works in place when the page runs htmx (the view answers with the card it
changed, and the rest of the page, unsaved drafts included, stays as it is) and as a
plain POST without JavaScript (a redirect back to the card, or the page again with
the refused form bound and its errors beside the fields).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from engagement import validators
from engagement.practices import Capability
from meetings import access as meetings_access
from meetings import forms
from meetings.models import TalkingPoint
from meetings.services import workspace as services
from meetings.views.common import REFUSED_IN_PLACE, WORKSPACE, refused, workspace_part
from scheduling import access as scheduling_access
from scheduling.models import SessionStatus
from scheduling.views.sessions import session_page


def _back(session, anchor: str) -> HttpResponse:
    return redirect(f"{session.get_absolute_url()}#{anchor}")


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
            if request.htmx:
                return workspace_part(request, session, "agenda")
            return _back(session, "agenda")
    return refused(request, session, "agenda", "point_form", form)


@require_POST
def point_tick(request: HttpRequest, pk: int, point_id: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    point = TalkingPoint.objects.of_series(session).up_to(session).filter(pk=point_id).first()
    if point is None:
        raise Http404("No such talking point.")
    services.talking_point_tick(point=point, session=session, actor=request.user)
    if request.htmx:
        # Only the list: a point being typed in the field below it stays.
        return workspace_part(request, session, "points")
    return _back(session, "agenda")


def _saved_body(session, viewer, kind: str) -> str:
    private = kind == "private"
    notes = meetings_access.notes_visible_to(viewer).filter(session=session, private=private)
    note = (notes.filter(author=viewer) if private else notes).first()
    return note.body if note else ""


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


@require_POST
def note_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the shared notes or my private note. Both are one form on the page, so the
    other's draft comes along: without JavaScript the page shows it again, unsaved."""
    session = meetings_access.session_for_work(request.user, pk)
    kind = request.POST.get("save")
    if kind not in forms.NOTE_KINDS:
        kind = "shared"
    other = "shared" if kind == "private" else "private"
    part, name = f"{kind}_note", f"{kind}_form"
    form = forms.NoteForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.note_save(
                session=session,
                author=request.user,
                body=form.cleaned_data["body"],
                private=form.private,
            )
        except ValidationError as error:
            validators.add_service_errors(form, error)
        else:
            saved = "Private note saved." if form.private else "Shared notes saved."
            if request.htmx:
                return workspace_part(request, session, part, saved_at=timezone.now())
            messages.success(request, saved)
            draft = request.POST.get(f"{other}-body")
            if draft is None or _same_text(draft, _saved_body(session, request.user, other)):
                return _back(session, "notes")
            kept = forms.NoteForm(request.POST, prefix=other)
            return session_page(
                request, pk, bound_forms={WORKSPACE: {f"{other}_form": kept}}, status=200
            )
    return refused(request, session, part, name, form)


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
            if request.htmx:
                return workspace_part(request, session, "actions")
            return _back(session, "actions")
    return refused(request, session, "actions", "action_form", form)


@require_POST
def action_toggle(request: HttpRequest, item_id: int) -> HttpResponse:
    # In place on a session page, which names itself: its list of actions comes back.
    session = None
    if request.htmx and request.POST.get("session", "").isdigit():
        session = meetings_access.session_for_work(request.user, int(request.POST["session"]))
    item = meetings_access.action_items_visible_to(request.user).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such action item.")
    services.action_item_toggle(item=item, actor=request.user)
    if session is not None:
        return workspace_part(request, session, "action_list")
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
    # The page offers to move or cancel a session still to come; once recorded it no
    # longer does, so an in-place answer takes that card away.
    could_change = session.status == SessionStatus.SCHEDULED and session.starts_at > timezone.now()
    people = [p.person for p in session.participants.select_related("person")]
    form = forms.OutcomeForm(request.POST, people=people)
    if form.is_valid():
        try:
            session = services.session_record_outcome(
                session=session,
                actor=request.user,
                status=form.cleaned_data["status"],
                attended=set(form.cleaned_data["attended"]),
                started_at=form.started_at(session.program.zone),
            )
        except ValidationError as error:
            validators.add_service_errors(
                form, error, rename={"starts_at": "started_on", "started_at": "started_on"}
            )
        else:
            if request.htmx:
                return workspace_part(
                    request, session, "outcome", recorded=True, could_change=could_change
                )
            messages.success(request, "Recorded how the session went.")
            return redirect(session)
    return refused(request, session, "outcome", "outcome_form", form)


@require_POST
def mood(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.MoodForm(request.POST)
    error = None
    if not form.is_valid():
        error = validators.first_error(form)
    else:
        try:
            services.mood_record(
                session=session, person=request.user, mood=form.cleaned_data["mood"]
            )
        except ValidationError as exc:
            error = exc.messages[0]
    if request.htmx:
        status = 200 if error is None else REFUSED_IN_PLACE
        return workspace_part(request, session, "mood", mood_error=error, status=status)
    if error:
        messages.error(request, error)
    return _back(session, "mood")
