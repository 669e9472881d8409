"""One validator module bounds the fields of every form (engagement/validators.py)."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from engagement import validators
from scheduling.models import Session
from tests.factories import make_session

PLAIN_FIELDS = re.compile(
    r"forms\.(DateField|DateTimeField|SplitDateTimeField|ModelChoiceField|"
    r"ModelMultipleChoiceField)\("
)


def test_no_form_uses_an_unbounded_date_or_choice_field():
    """A plain date field would take 9999-12-31; a plain record choice, an id that
    overflows SQLite. Both go through the shared fields instead."""
    root = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for app in ("engagement", "scheduling", "meetings", "feedback")
        for path in (root / app).rglob("*.py")
        if path != root / "engagement" / "validators.py"
        for match in PLAIN_FIELDS.finditer(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (date(1999, 12, 31), False),
        (date(2000, 1, 1), True),
        (date(2200, 12, 31), True),
        (date(2201, 1, 1), False),
        (date(9999, 12, 31), False),
    ],
)
def test_dates_are_bounded(day, ok):
    field = validators.DateField()
    if ok:
        assert field.clean(day.isoformat()) == day
    else:
        with pytest.raises(ValidationError, match="between 2000 and 2200"):
            field.clean(day.isoformat())


@pytest.mark.parametrize("value", ["0", "-1", str(2**63), "9" * 30])
def test_a_record_choice_refuses_impossible_ids(org, value):
    from engagement.models import Person

    field = validators.ModelChoiceField(queryset=Person.objects.all())
    with pytest.raises(ValidationError, match="valid choice"):
        field.clean(value)
    many = validators.ModelMultipleChoiceField(queryset=Person.objects.all())
    with pytest.raises(ValidationError, match="valid choice"):
        many.clean([str(org["employee"].pk), value])


def test_moving_a_session_to_the_end_of_time_is_a_form_error(client, org, team_program):
    session = make_session(
        team_program,
        [(org["manager"], "host"), (org["employee"], "attendee")],
        hours_from_now=48,
        series=f"pair:{org['manager'].pk}:{org['employee'].pk}",
    )
    before = (session.starts_at, session.ends_at)
    client.force_login(org["manager"])
    response = client.post(
        reverse("scheduling:session_move", args=[session.pk]),
        {"starts_on": "9999-12-31", "start_time": "23:30"},
    )
    assert response.status_code == 400
    assert "Choose a date between 2000 and 2200." in response.content.decode()
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == before
    # The series history stays readable for a viewer far east of UTC.
    org["manager"].time_zone = "Pacific/Kiritimati"
    org["manager"].save()
    history = client.get(reverse("meetings:series_history", args=[session.pk]))
    assert history.status_code == 200
    assert Session.objects.filter(starts_at__year__gt=2200).count() == 0
