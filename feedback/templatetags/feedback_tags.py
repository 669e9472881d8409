"""Feedback on a session's page: a prompt to rate it, for those it asks."""

from django import template

from feedback import services
from feedback.models import Form

register = template.Library()


@register.inclusion_tag("feedback/snippets/session_feedback.html", takes_context=True)
def session_feedback(context, session):
    viewer = context["request"].user
    if session.kind != "meeting":
        return {}
    form = Form.objects.filter(program_id=session.program_id).select_related("program").first()
    if form is None or not services.window_is_open(session):
        return {}
    if not services.invitations(form, [session]).filter(person=viewer).exists():
        return {}
    return {
        "session": session,
        "answered": services.has_answered(form, session, viewer),
    }
