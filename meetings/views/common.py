"""What the session-workspace views share: the session page again after a refused form,
and one card of it for a request made in place (htmx)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meetings import sections
from scheduling.views.sessions import session_page

# The section of the session page (meetings.sections) whose forms these views post.
WORKSPACE = "workspace"

# A refused form sent in place comes back with this status, which the page's htmx
# configuration swaps in (it leaves other errors alone, as htmx does by default).
REFUSED_IN_PLACE = 422


def session_again(request: HttpRequest, pk: int, name: str, form) -> HttpResponse:
    """The session page again, with this form bound and its errors beside the fields:
    the workspace section shows ``form`` in place of its blank ``name``."""
    return session_page(request, pk, bound_forms={WORKSPACE: {name: form}}, status=400)


def workspace_part(
    request: HttpRequest, session, part: str, *, bound=None, status: int = 200, **extra
) -> HttpResponse:
    """One card (or list) of the workspace, to swap in place of the one on the page:
    the rest of the page, unsaved drafts included, stays as it is."""
    context = sections.workspace(request, session, bound) | extra
    return render(request, f"meetings/snippets/workspace/{part}.html", context, status=status)


def refused(request: HttpRequest, session, part: str, name: str, form) -> HttpResponse:
    """A refused workspace form: its card with the errors in place, or the whole page
    (without JavaScript) with the form bound."""
    if request.htmx:
        return workspace_part(request, session, part, bound={name: form}, status=REFUSED_IN_PLACE)
    return session_again(request, session.pk, name, form)
