"""What each role sees of the organisation's pages: programs in lists and exports,
people's details, audiences. Who may open or change which page is in the role matrix
(tests/test_access_matrix.py).

Roles come from tests/conftest.py: ``employee`` reports to ``manager``, who
reports to ``leader`` (a senior leader); ``hr`` is an HR administrator;
``outsider`` works in another department under someone else. The program
under test is the manager's 1-on-1 program for their own team.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.models import AudienceKind
from tests.factories import make_person, make_program

ROLES = ["employee", "manager", "leader", "hr", "outsider"]


# Who sees the program in lists, exports and the catalog.
SEES_PROGRAM = {"employee": True, "manager": True, "leader": True, "hr": True, "outsider": False}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "engagement:program_list",
        "engagement:practice_list",
        "export",
    ],
)
def test_program_appears_only_where_it_may_be_seen(client, org, team_program, role, url):
    client.force_login(org[role])
    if url == "export":
        response = client.get(reverse("engagement:program_list") + "?_export=csv")
    else:
        response = client.get(reverse(url))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert (team_program.name.encode() in body) == SEES_PROGRAM[role]


@pytest.mark.parametrize(
    ("role", "sees_details"),
    [
        ("employee", True),
        ("manager", True),
        ("leader", True),
        ("hr", True),
        ("outsider", False),
        ("colleague", False),
    ],
)
def test_person_page_shows_details_to_self_those_above_and_hr(client, org, role, sees_details):
    employee = org["employee"]
    client.force_login(org[role])
    response = client.get(reverse("engagement:person_detail", args=[employee.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert employee.title in content  # directory basics for everyone
    assert str(employee.manager) in content
    assert (employee.email in content) == sees_details


def test_leader_sees_everyone_below_on_their_page(client, org):
    client.force_login(org["leader"])
    response = client.get(reverse("engagement:person_detail", args=[org["leader"].pk]))
    assert response.status_code == 200
    content = response.content
    for name in ("manager", "employee", "colleague"):
        assert str(org[name]).encode() in content
    assert str(org["outsider"]).encode() not in content


def test_owner_filter_lists_only_owners_of_visible_programs(client, org, team_program):
    client.force_login(org["outsider"])
    content = client.get(reverse("engagement:program_list")).content.decode()
    owner_select = content.split('name="owner"', 1)[1].split("</select>", 1)[0]
    assert str(org["manager"]) not in owner_select
    client.force_login(org["employee"])
    content = client.get(reverse("engagement:program_list")).content.decode()
    owner_select = content.split('name="owner"', 1)[1].split("</select>", 1)[0]
    assert str(org["manager"]) in owner_select


def test_unknown_program_and_person_give_404(client, org):
    client.force_login(org["hr"])
    assert client.get(reverse("engagement:program_detail", args=[999999])).status_code == 404
    assert client.get(reverse("engagement:person_detail", args=[999999])).status_code == 404
    assert client.get(reverse("engagement:practice_detail", args=["EE99"])).status_code == 404
    assert client.get(reverse("engagement:program_create", args=["EE99"])).status_code == 404


def _grow(org, extra):
    """Add ``extra`` teams, each a manager with two reports and a team program."""
    for n in range(extra):
        boss = make_person(f"boss{n}-{extra}", manager=org["leader"])
        make_person(f"r{n}a-{extra}", manager=boss)
        make_person(f"r{n}b-{extra}", manager=boss)
        make_program("EE11", owner=boss, audience_kind=AudienceKind.TEAM, audience_manager=boss)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("leader", "engagement:home"),
        ("hr", "engagement:home"),
        ("leader", "engagement:program_list"),
        ("leader", "engagement:person_list"),
        ("leader", "engagement:practice_list"),
    ],
)
def test_busy_pages_do_not_query_per_row(
    client, org, team_program, django_assert_max_num_queries, role, url
):
    client.force_login(org[role])
    _grow(org, 2)
    client.get(reverse(url))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url)).status_code == 200
    _grow(org, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url)).status_code == 200


def test_directory_search_does_not_match_email_addresses(client, org):
    client.force_login(org["outsider"])
    table = client.get("/people/?q=employee@example").content.decode().split("<tbody", 1)[1]
    assert str(org["employee"]) not in table
    table = client.get("/people/?q=Employee").content.decode().split("<tbody", 1)[1]
    assert str(org["employee"]) in table


@pytest.mark.parametrize("fmt", ["xlsx", "json", "yaml", "latex", "nonsense"])
def test_only_csv_exports_are_served(client, org, fmt):
    client.force_login(org["hr"])
    for url in ("/programs/", "/people/"):
        response = client.get(f"{url}?_export={fmt}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("role", "sees_names"), [(r, r in {"manager", "leader", "hr"}) for r in ROLES]
)
def test_program_audience_is_listed_to_its_owner_those_above_and_hr(
    client, org, team_program, role, sees_names
):
    client.force_login(org[role])
    response = client.get(team_program.get_absolute_url())
    if response.status_code == 404:
        assert role == "outsider"
        return
    audience = response.content.decode().split('id="audience"', 1)[1]
    assert "2 people" in audience
    assert (str(org["colleague"]) in audience) == sees_names
