"""The daily huddle on one phone screen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from engagement import validators
from engagement.practices import Capability
from meetings import forms
from meetings.services import huddles as services
from scheduling import access as scheduling_access
from scheduling.models import ParticipantRole, SessionStatus


def huddle(request: HttpRequest, pk: int) -> HttpResponse:
    """The daily huddle on one phone screen: WHY, focus, and per person present + mood."""
    session = scheduling_access.session_for_manage(request.user, pk)
    if not session.program.practice_info.has(Capability.HUDDLE):
        raise Http404("Only daily huddles have this screen.")
    team = [
        p.person
        for p in session.participants.select_related("person").order_by(
            "role", "person__first_name"
        )
        if p.role != ParticipantRole.HOST
    ]
    error = None
    if request.method == "POST":
        form = forms.HuddleForm(request.POST, team=team)
        if form.is_valid():
            try:
                services.huddle_record(
                    session=session,
                    actor=request.user,
                    why=form.cleaned_data["why"],
                    focus=form.cleaned_data["focus"],
                    present=form.present(),
                    moods=form.moods(),
                )
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                session.refresh_from_db(fields=["status"])
                if session.status == SessionStatus.HELD:
                    messages.success(request, "Huddle recorded as held.")
                else:
                    messages.success(
                        request,
                        "Today's WHY and focus are saved. Save the huddle again on its day "
                        "to record who was there and count it as held.",
                    )
                return redirect(session)
        else:
            error = validators.first_error(form)
    if error:
        # What was tapped comes back as it was, not as it was last saved.
        rows = [(person, *_tapped(request.POST, person.pk)) for person in team]
    else:
        moods = dict(session.moods.values_list("person_id", "mood"))
        attended = dict(session.participants.values_list("person_id", "attended"))
        rows = [
            (person, attended.get(person.pk) is not False, moods.get(person.pk)) for person in team
        ]
    daily = getattr(session, "daily_why", None)
    return render(
        request,
        "meetings/huddle.html",
        {
            "session": session,
            "why": request.POST.get("why", daily.why if daily else ""),
            "focus": request.POST.get("focus", daily.focus if daily else ""),
            "rows": rows,
            "scale": range(1, 6),
            "error": error,
            "its_day": session.day_has_come(),
        },
        status=400 if error else 200,
    )


def _tapped(data, pk: int) -> tuple[bool, int | None]:
    """Whether a refused huddle form had this person here, and their mood."""
    present = data.get(f"present_{pk}", "") not in {"", "false"}
    mood = data.get(f"mood_{pk}", "")
    return present, int(mood) if mood in {"1", "2", "3", "4", "5"} else None
