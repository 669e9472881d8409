"""Practices named for their reader: ``{% practice program.practice_info %}`` gives
administrators the code and the name and everyone else the name
(``engagement.access.sees_practice_codes``). Pages read the viewer from the request,
e-mails from ``person``, their recipient."""

from django import template
from django.utils.html import format_html

from engagement import access
from engagement.practices import Practice, get_practice

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("person")


def _practice(value) -> Practice:
    if isinstance(value, Practice):
        return value
    return getattr(value, "practice_info", None) or get_practice(str(value))


@register.simple_tag(takes_context=True)
def practice(context, value, plain=False):
    """A practice (or a program's, or a code's): code and name for administrators,
    the name for everyone else; ``plain=True`` for text without markup (a page title)."""
    info = _practice(value)
    if not access.sees_practice_codes(_viewer(context)):
        return info.name
    if plain:
        return str(info)
    return format_html('<span class="code">{}</span> {}', info.code, info.name)


@register.simple_tag(takes_context=True)
def practice_codes_shown(context) -> bool:
    """``{% practice_codes_shown as codes %}`` for a page that lays out a code column."""
    return access.sees_practice_codes(_viewer(context))
