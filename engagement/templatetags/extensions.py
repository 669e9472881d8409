"""Render what the apps above registered for a place of a page (engagement.extensions)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from engagement import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def sections(context, place: str, obj=None):
    """Each section registered on ``place`` that applies to ``obj``'s practice and has
    something for the viewer, in order. A page re-rendered after a refused POST passes
    the bound form in ``bound_forms`` under the section's name."""
    request = context["request"]
    program = getattr(obj, "program", obj)
    practice = getattr(program, "practice_info", None)
    bound = context.get("bound_forms") or {}
    parts = []
    for section in extensions.sections_for(place, practice):
        part = section.context(request, obj, bound.get(section.name))
        if part is None:
            continue
        parts.append(render_to_string(section.template, {**part, "section": section}, request))
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def menu(context, name: str):
    """The (url name, label) pairs apps registered on a menu (``extensions.nav``) that the
    viewer may open: the home page's "organisation" and "team" links, for example."""
    request = context["request"]
    return [(item.url_name, item.label) for item in extensions.nav_for(request.user, name)]
