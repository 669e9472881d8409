"""A session's page and what people do with it: cancel, move, sign up, withdraw."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from engagement import validators
from engagement.models import Person
from engagement.practices import Capability
from engagement.tables import PersonTable
from scheduling import access as scheduling_access
from scheduling import services
from scheduling.models import RSVP, WITHOUT_PLACE, ParticipantRole, Session, SignUp

LIST_LIMIT = 15


class MoveForm(forms.Form):
    starts_on = validators.DateField(
        label="New date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label="New start time",
        help_text="In the program's time zone.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def starts_at(self, zone) -> datetime:
        naive = datetime.combine(self.cleaned_data["starts_on"], self.cleaned_data["start_time"])
        return naive.replace(tzinfo=zone)


class CancelForm(validators.TextLimits, forms.Form):
    reason = forms.CharField(required=False, max_length=200)


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        choices=RSVP.choices[1:],
        error_messages={
            "required": "Answer yes, no or maybe.",
            "invalid_choice": "Answer yes, no or maybe.",
        },
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return session_page(request, pk)


def session_page(
    request: HttpRequest,
    session_or_pk: Session | int,
    *,
    bound_forms: dict[str, forms.Form] | None = None,
    status: int | None = None,
) -> HttpResponse:
    """A session's page. Re-rendered after a refused POST with the bound form, and a 400:
    ``bound_forms`` maps a section's name (or "move" for this page's own form) to it,
    and the ``sections`` tag hands each section its own."""
    if isinstance(session_or_pk, Session):
        session_or_pk = session_or_pk.pk
    bound_forms = bound_forms or {}
    move_form = bound_forms.get("move")
    session = scheduling_access.session_for_view(request.user, session_or_pk)
    program = session.program
    participants = list(
        session.participants.select_related("person", "person__department").order_by(
            "role", "signed_up_at", "person__last_name"
        )
    )
    mine = next((p for p in participants if p.person_id == request.user.pk), None)
    attendees = [
        p for p in participants if p.role != ParticipantRole.HOST and p.signup not in WITHOUT_PLACE
    ]
    attendee_table = None
    see_people = scheduling_access.can_see_session_people(request.user, session)
    if see_people and len(attendees) > LIST_LIMIT:
        # A submission period owed by a whole department: a table that pages.
        attendee_table = PersonTable(
            Person.objects.filter(pk__in=[p.person_id for p in attendees])
            .select_related("department", "manager")
            .with_report_count(),
            prefix="people-",
        )
        RequestConfig(request, paginate={"per_page": 20}).configure(attendee_table)
    local_start = timezone.localtime(session.starts_at, program.zone)
    return render(
        request,
        "scheduling/session_detail.html",
        {
            "session": session,
            "program": program,
            "hosts": [p for p in participants if p.role == ParticipantRole.HOST],
            "attendees": attendees,
            "attendee_table": attendee_table,
            "see_people": see_people,
            "waitlist": [p for p in participants if p.signup == SignUp.WAITLISTED],
            "mine": mine,
            "can_manage": scheduling_access.can_manage_session(request.user, session),
            "can_sign_up": mine is None and scheduling_access.can_sign_up(request.user, session),
            "can_rsvp": scheduling_access.can_rsvp(request.user, session),
            "rsvp_choices": RSVP.choices[1:],
            "seats_taken": sum(1 for p in participants if p.signup == SignUp.CONFIRMED),
            "rsvp_counts": {
                answer: sum(1 for p in participants if p.rsvp == answer) for answer in RSVP.values
            },
            "move_form": move_form
            or MoveForm(
                initial={"starts_on": local_start.date(), "start_time": local_start.time()}
            ),
            "is_future": session.starts_at > timezone.now(),
            "takes_rsvps": program.practice_info.has(Capability.RSVP),
            "bound_forms": bound_forms,
        },
        status=status or (400 if bound_forms else 200),
    )


@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_manage(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The reason: {validators.first_error(form)}")
        return redirect(session)
    try:
        services.session_cancel(
            session=session, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The session is cancelled; calendars will show it as cancelled.")
    return redirect(session)


@require_POST
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_manage(request.user, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.session_move(
                session=session,
                actor=request.user,
                starts_at=form.starts_at(session.program.zone),
            )
        except ValidationError as error:
            validators.add_service_errors(form, error, rename={"starts_at": "starts_on"})
        else:
            messages.success(request, "The session has moved; calendars will follow.")
            return redirect(session)
    return session_page(request, pk, bound_forms={"move": form})


@require_POST
def session_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_view(request.user, pk)
    if not scheduling_access.can_sign_up(request.user, session):
        raise PermissionDenied("This session is not open to you for sign-up.")
    try:
        participant = services.session_sign_up(session=session, person=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if participant.signup == SignUp.WAITLISTED:
            messages.warning(
                request,
                "The session is full, so you are on the waitlist. If someone withdraws, "
                "you move up and we e-mail you.",
            )
        else:
            messages.success(request, "You are signed up.")
    return redirect(session)


@require_POST
def session_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_view(request.user, pk)
    try:
        services.session_withdraw(session=session, person=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, "You have withdrawn; your place went to the next on the waitlist."
        )
    return redirect(session)


RSVP_MESSAGES = {
    "yes": "You're going. See you there!",
    "maybe": "Marked as maybe: it stays on your calendar, without holding a seat.",
    "no": "Thanks for letting the host know you can't come.",
}


@require_POST
def session_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    session = scheduling_access.session_for_view(request.user, pk)
    if not scheduling_access.can_rsvp(request.user, session):
        raise PermissionDenied("This event is not open to you.")
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, validators.first_error(form))
        return redirect(session)
    answer = form.cleaned_data["answer"]
    try:
        participant = services.session_rsvp(session=session, person=request.user, answer=answer)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if participant.signup == SignUp.WAITLISTED:
            messages.warning(
                request,
                "The event is full, so you are on the waitlist. If a seat frees up, "
                "you move up and we e-mail you.",
            )
        else:
            messages.success(request, RSVP_MESSAGES[answer])
    return redirect(session)
