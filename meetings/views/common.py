"""What the session-workspace views share: the session page again after a refused form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from scheduling.views.sessions import session_page

# The section of the session page (meetings.sections) whose forms these views post.
WORKSPACE = "workspace"


def session_again(request: HttpRequest, pk: int, name: str, form) -> HttpResponse:
    """The session page again, with this form bound and its errors beside the fields:
    the workspace section shows ``form`` in place of its blank ``name``."""
    return session_page(request, pk, bound_forms={WORKSPACE: {name: form}}, status=400)
