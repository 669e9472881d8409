"""A survey program with one open window and a past one, and a team big enough to show.

The helpers that build surveys live in tests/factories.py."""

import pytest

from tests.factories import make_person, pulse_form, survey_program


@pytest.fixture
def team(org):
    """The manager's team grown to six: employee, colleague and four more."""
    extra = [make_person(f"member{i}", manager=org["manager"]) for i in range(4)]
    return [org["employee"], org["colleague"], *extra]


@pytest.fixture
def pulse(org, team):
    """An anonymous pulse for everyone below the leader, with simple questions."""
    return pulse_form(survey_program(org), org["hr"])
