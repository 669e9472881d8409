"""Bounds on what people type, shared by every form: one place says which dates the
product accepts.

Dates are kept between 2000 and 2200. Far dates are not only implausible: a session
moved to 9999-12-31 overflowed when its end was computed, and one in the last hours
of a far-future day overflowed again when shown to a viewer in UTC+14. Recurrence
arithmetic, reminders and time zones all need room on both sides of a date.
Every date field of every form is ``DateField`` below (``tests/engagement/
test_validators.py`` fails on a plain ``forms.DateField`` anywhere else); text fields
are Django's ``CharField`` with a ``max_length``, which also refuses NUL characters.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError

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
