"""Skip-level interviews: the questionnaire of one, and a leader's coverage of all."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from engagement.practices import Gathering, codes, get_practice
from meetings import access as meetings_access
from meetings import forms, selectors
from meetings.services import skip_levels as services


@require_POST
def skip_level_answers(request: HttpRequest, pk: int) -> HttpResponse:
    session = meetings_access.session_for_work(request.user, pk)
    form = forms.SkipLevelAnswersForm(
        request.POST, questions=services.skip_level_questions(session)
    )
    if not form.is_valid():
        messages.error(request, "Keep each answer under 5,000 characters of plain text.")
        return redirect(session.get_absolute_url() + "#questionnaire")
    try:
        services.skip_level_answers_save(
            session=session, actor=request.user, answers=form.answers()
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Answers saved. Only the two of you can read them.")
    return redirect(session.get_absolute_url() + "#questionnaire")


def skip_level_coverage(request: HttpRequest) -> HttpResponse:
    """A senior leader's skip-level coverage: who has been met this period, who is overdue."""
    return render(
        request,
        "meetings/skip_level_coverage.html",
        {
            "coverage": selectors.skip_level_coverage(request.user),
            "practice": get_practice(codes(gathering=Gathering.SKIP_LEVELS)[0]),
        },
    )
