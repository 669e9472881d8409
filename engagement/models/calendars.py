"""The organisation's calendar: where it works (country, subdivision, time zone) and the
days it does not (the country's public holidays and its own days, for everyone or for
one department). HR keeps both in the Django admin; the planner reads them."""

from __future__ import annotations

import re
from functools import cache

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from holidays.registry import COUNTRIES

from engagement import recurrence
from engagement.models.people import Department

ORGANISATION_PK = 1


@cache
def country_choices() -> list[tuple[str, str]]:
    """The countries whose public holidays the ``holidays`` package knows, by name."""
    names = {}
    for class_name, code, *_ in COUNTRIES.values():
        names[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
    return sorted(names.items(), key=lambda item: item[1])


def _site_zone() -> str:
    return settings.TIME_ZONE


class Organisation(models.Model):
    """The organisation's settings: one row (``Organisation.current()``)."""

    country = models.CharField(
        max_length=3,
        blank=True,
        help_text="Its public holidays are days off for everyone: daily and weekly "
        "meetings skip them. Leave empty for no public holidays.",
    )
    subdivision = models.CharField(
        "region",
        max_length=10,
        blank=True,
        help_text="Where the holidays differ within the country: a state, province or "
        "nation code such as ENG (England) or BY (Bavaria). Empty for the national days.",
    )
    time_zone = models.CharField(
        max_length=64,
        default=_site_zone,
        help_text="New programs start in this zone (an IANA name such as Europe/London).",
    )

    class Meta:
        verbose_name = "organisation settings"
        verbose_name_plural = "organisation settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=ORGANISATION_PK), name="organisation_one_row")
        ]

    def __str__(self) -> str:
        return "Organisation settings"

    def save(self, *args, **kwargs):
        # The one row is always row 1, whatever the id sequence says: on PostgreSQL a
        # sequence moves on after a deleted or rolled-back row, and the check constraint
        # would then refuse HR's settings with an error page.
        self.pk = ORGANISATION_PK
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> Organisation:
        """The settings row, or the defaults (unsaved) before HR has saved any."""
        return cls.objects.filter(pk=ORGANISATION_PK).first() or cls(pk=ORGANISATION_PK)

    def public_holidays(self, years=None) -> holidays.HolidayBase | dict:
        """The country's public holidays: a mapping of date to name that fills each year
        as it is asked (or holds ``years``), or an empty mapping without a country."""
        if not self.country:
            return {}
        try:
            return holidays.country_holidays(
                self.country, subdiv=self.subdivision or None, years=years
            )
        except NotImplementedError:  # a country or region the package does not know
            return {}

    def clean(self) -> None:
        errors = {}
        self.country = (self.country or "").strip().upper()
        self.subdivision = (self.subdivision or "").strip().upper()
        supported = holidays.list_supported_countries()
        if self.country and self.country not in supported:
            errors["country"] = "Choose a country from the list."
        elif self.subdivision and self.subdivision not in supported.get(self.country, ()):
            known = ", ".join(supported.get(self.country, ())) or "none"
            errors["subdivision"] = (
                f"“{self.subdivision}” is not a region of this country. Known regions: {known}."
            )
        try:
            recurrence.validate_time_zone(self.time_zone)
        except ValidationError as error:
            errors["time_zone"] = error.messages
        if errors:
            raise ValidationError(errors)


class HolidayQuerySet(models.QuerySet):
    def for_everyone(self) -> HolidayQuerySet:
        return self.filter(department__isnull=True)


class Holiday(models.Model):
    """A day the organisation (or one department) does not work, beyond the public
    holidays: a company day, a site closure, a department's stock-take day."""

    day = models.DateField("date")
    name = models.CharField(max_length=100, help_text="What people will read, e.g. “Site closure”.")
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        help_text="Only this department has the day off. Leave empty for everyone.",
    )

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["day", "department__name"]
        verbose_name = "organisation day off"
        verbose_name_plural = "organisation days off"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department"],
                name="holiday_once_per_department",
                violation_error_message="This department already has this day off.",
            ),
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(department__isnull=True),
                name="holiday_once_for_everyone",
                violation_error_message="This day is already a day off for everyone.",
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.department})" if self.department_id else ""
        return f"{self.day:%d %b %Y}: {self.name}{where}"

    def clean(self) -> None:
        if self.day and not 2000 <= self.day.year <= 2200:
            raise ValidationError({"day": "Choose a date between 2000 and 2200."})
