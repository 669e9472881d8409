"""Bounds on what people type, shared by every form: one place says which dates the
product accepts.

Dates are kept between 2000 and 2200. Far dates are not only implausible: a session
moved to 9999-12-31 overflowed when its end was computed, and one in the last hours
of a far-future day overflowed again when shown to a viewer in UTC+14. Recurrence
arithmetic, reminders and time zones all need room on both sides of a date.
Choices of records (``ModelChoiceField``, ``ModelMultipleChoiceField``) refuse an id no
database column can hold before the query is made: SQLite raises OverflowError on
one, which would be a 500 instead of "Select a valid choice".

Every date and record-choice field of every form is one of the fields below
(``tests/engagement/test_validators.py`` fails on a plain one anywhere else); text fields
are Django's ``CharField`` with a ``max_length``, which also refuses NUL characters.

Text over its limit is refused with the limit and what was typed ("At most 300
characters (you typed 412)."), by every form (``TextLimits``) and by every service
(``check_length``): nothing is cut silently, so nothing typed is lost without a word.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1
EARLIEST = date(2000, 1, 1)
LATEST = date(2200, 12, 31)


def validate_date_in_range(value: date | datetime | None) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            f"Choose a date between {EARLIEST.year} and {LATEST.year}.", code="date_range"
        )


class DateField(forms.DateField):
    """A date a person may enter anywhere in the product."""

    default_validators = [validate_date_in_range]


class DateTimeField(forms.DateTimeField):
    default_validators = [validate_date_in_range]


def reject_impossible_ids(values) -> None:
    """An id no database can hold is a bad choice, not a crash in the database driver."""
    for value in values if isinstance(values, list | tuple) else [values]:
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if not 0 < number <= MAX_ID:
            raise ValidationError("Select a valid choice.", code="invalid_choice")


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        reject_impossible_ids(value)
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        reject_impossible_ids(list(value) if value else [])
        return super().clean(value)


TOO_LONG = "At most %(limit_value)d characters (you typed %(show_value)d)."


def too_long(limit: int, typed: int) -> str:
    return TOO_LONG % {"limit_value": limit, "show_value": typed}


def check_length(text: str, limit: int, *, field: str | None = None) -> str:
    """The text itself, or a ValidationError (on ``field``) saying the limit."""
    if len(text) > limit:
        message = too_long(limit, len(text))
        raise ValidationError({field: message} if field else message, code="max_length")
    return text


class TextLimits:
    """A form mixin: a text over its ``max_length`` says the limit and how much was
    typed. Set when the form is cleaned, so fields added in ``__init__`` count too."""

    def full_clean(self):
        for field in self.fields.values():
            if getattr(field, "max_length", None) is not None:
                field.error_messages["max_length"] = TOO_LONG
        super().full_clean()


def first_error(form) -> str:
    """The first message of a refused form, for a page that shows one line."""
    return next(iter(form.errors.values()))[0]


def add_service_errors(form, error: ValidationError, *, rename: dict | None = None) -> None:
    """Show a service's ValidationError on the form that asked for it: each message
    beside the input it names (``rename`` maps a service's argument to the form's
    field; None sends it to the top), the rest at the top of the form."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = rename.get(name, name)
        if target is not None and target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)
