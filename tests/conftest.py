"""Fixtures: a small organisation with one person per role.

ceo (senior leader)
└── leader (senior leader)            dept Operations
    └── manager                        dept Operations
        ├── employee
        └── colleague
hr (HR administrator), reports to ceo  dept People
outsider (unrelated), own manager      dept Sales
"""

import pytest

from engagement.models import AudienceKind
from tests.factories import make_department, make_person, make_program


@pytest.fixture
def org(db):
    operations = make_department("Operations")
    people = make_department("People")
    sales = make_department("Sales")
    ceo = make_person("ceo", department=operations, is_senior_leader=True, title="CEO")
    leader = make_person("leader", manager=ceo, is_senior_leader=True, title="VP Operations")
    manager = make_person("manager", manager=leader, title="Shift Manager")
    employee = make_person("employee", manager=manager)
    colleague = make_person("colleague", manager=manager)
    hr = make_person("hr", manager=ceo, department=people, is_hr_admin=True, title="HR Director")
    sales_head = make_person("saleshead", manager=ceo, department=sales, title="Head of Sales")
    outsider = make_person("outsider", manager=sales_head, department=sales)
    return {
        "departments": {"operations": operations, "people": people, "sales": sales},
        "ceo": ceo,
        "leader": leader,
        "manager": manager,
        "employee": employee,
        "colleague": colleague,
        "hr": hr,
        "sales_head": sales_head,
        "outsider": outsider,
    }


@pytest.fixture
def team_program(org):
    """A 1-on-1 program the manager runs for their own team."""
    return make_program(
        "EE10",
        owner=org["manager"],
        name="Shift B 1-on-1s",
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The anonymity engine keeps sealed windows' decisions in the cache; ids repeat
    between tests, so each test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
