"""Importing people from a CSV file: the service, the command and the admin page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.models import Department, Person
from engagement.people_import import MAX_BYTES, PeopleImportError, people_import

# Ben's manager, Cara, comes later in the file than Ben.
GOOD_CSV = """\
Email,Full Name,Job Title,Department,Manager Email
ana@new.example,Ana Lima,Head of Product,Product,ceo@example.com
ben@new.example,Ben Okafor,Designer,Design,cara@new.example
cara@new.example,Cara Diaz Ruiz,Design Lead,Design,ana@new.example
EMPLOYEE@example.com,Employee Renamed,Senior Associate,Operations,manager@example.com
"""

BAD_CSV = """\
email,name,title,department,manager_email
ok@new.example,Ok Person,Analyst,Operations,manager@example.com
not-an-email,Bad Email,,,
ok@new.example,Dup Person,,,
x@new.example,X Person,,,nobody@example.com
loop1@new.example,Loop One,,,loop2@new.example
loop2@new.example,Loop Two,,,loop1@new.example
employee@example.com,Employee Changed,Changed Title,,employee@example.com
,No Email,,,
noname@new.example,,,,
"""


def counts() -> tuple[int, int]:
    return Person.objects.count(), Department.objects.count()


def error_lines(error: PeopleImportError) -> list[int]:
    return [line for line, _ in error.errors]


def messages_on(error: PeopleImportError, line: int) -> str:
    return " ".join(message for at, message in error.errors if at == line)


# The service ------------------------------------------------------------------


def test_good_file_creates_people_departments_and_managers(org):
    people_before, departments_before = counts()

    result = people_import(csv_text=GOOD_CSV)

    assert (result.created, result.updated, result.departments_created) == (3, 1, 2)
    assert counts() == (people_before + 3, departments_before + 2)
    ana = Person.objects.get(email="ana@new.example")
    ben = Person.objects.get(email="ben@new.example")
    cara = Person.objects.get(email="cara@new.example")
    assert (ana.first_name, ana.last_name, ana.title) == ("Ana", "Lima", "Head of Product")
    assert (cara.first_name, cara.last_name) == ("Cara Diaz", "Ruiz")
    assert ana.username == "ana@new.example"
    assert not ana.has_usable_password()
    assert ana.department.name == "Product"
    assert ben.department == cara.department
    assert ben.department.name == "Design"
    assert ana.manager == org["ceo"]
    assert ben.manager == cara
    assert cara.manager == ana
    employee = Person.objects.get(pk=org["employee"].pk)
    assert (employee.first_name, employee.last_name) == ("Employee", "Renamed")
    assert employee.title == "Senior Associate"
    assert employee.username == "employee"
    assert employee.manager == org["manager"]


def test_first_and_last_name_columns_aliases_and_bom(org):
    csv_text = (
        "\ufeffWork E-mail,First Name,Last Name,Title,Dept,Manager\r\n"
        "Dana@New.Example,Dana,Van der Berg,Engineer,operations,hr@example.com\r\n"
    )

    result = people_import(csv_text=csv_text)

    assert (result.created, result.updated, result.departments_created) == (1, 0, 0)
    dana = Person.objects.get(email="dana@new.example")
    assert (dana.first_name, dana.last_name) == ("Dana", "Van der Berg")
    assert dana.department == org["departments"]["operations"]
    assert dana.manager == org["hr"]


def test_reimporting_the_same_file_updates_and_creates_nothing(org):
    people_import(csv_text=GOOD_CSV)
    before = counts()

    result = people_import(csv_text=GOOD_CSV)

    assert (result.created, result.updated, result.departments_created) == (0, 4, 0)
    assert counts() == before
    assert Person.objects.get(email="ben@new.example").manager.email == "cara@new.example"


def test_bad_file_reports_every_error_by_line_and_saves_nothing(org):
    before = counts()

    with pytest.raises(PeopleImportError) as caught:
        people_import(csv_text=BAD_CSV)

    error = caught.value
    assert sorted(set(error_lines(error))) == [3, 4, 5, 6, 8, 9, 10]
    assert "not a valid e-mail" in messages_on(error, 3)
    assert "appears twice (first on line 2)" in messages_on(error, 4)
    assert "nobody@example.com" in messages_on(error, 5)
    assert "loop" in messages_on(error, 6)
    assert "line 7" in messages_on(error, 6)
    assert "own manager" in messages_on(error, 8)
    assert "e-mail is missing" in messages_on(error, 9)
    assert "name is missing" in messages_on(error, 10)
    assert "line 3: " in str(error.messages)
    assert counts() == before
    assert not Person.objects.filter(email="ok@new.example").exists()
    assert Person.objects.get(pk=org["employee"].pk).title == "Associate"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('new@new.example,"Dana Unclosed,Analyst,Operations,\n', "never closed"),
        ('new@new.example,"Dana" Stray,Analyst,Operations,\n', "not readable as CSV"),
    ],
)
def test_a_broken_quote_is_an_error_on_its_line_and_saves_nothing(org, row, message):
    """Without the check, an unclosed quote swallowed the next lines into one name."""
    before = counts()
    csv_text = (
        "email,name,title,department,manager_email\n"
        "ok@new.example,Ok Person,Analyst,Operations,\n" + row + "late@new.example,Late,,,\n"
    )
    with pytest.raises(PeopleImportError) as caught:
        people_import(csv_text=csv_text)
    assert error_lines(caught.value) == [3]
    assert message in messages_on(caught.value, 3)
    assert counts() == before


def test_loop_through_existing_people_is_reported(org):
    # The employee is below the CEO already, so the CEO cannot report to them.
    csv_text = "email,name,manager_email\nceo@example.com,Chief Exec,employee@example.com\n"

    with pytest.raises(PeopleImportError) as caught:
        people_import(csv_text=csv_text)

    assert error_lines(caught.value) == [2]
    assert "ceo@example.com → employee@example.com" in messages_on(caught.value, 2)
    assert Person.objects.get(pk=org["ceo"].pk).manager is None


def test_validation_does_not_query_per_row(org):
    def queries_for(rows: int) -> int:
        lines = ["email,name,manager_email"]
        lines += [f"p{n}@new.example,P {n},unknown{n}@new.example" for n in range(rows)]
        with CaptureQueriesContext(connection) as captured, pytest.raises(PeopleImportError):
            people_import(csv_text="\n".join(lines))
        return len(captured)

    assert queries_for(50) == queries_for(2)


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        ("email,title\na@new.example,Engineer\n", "Missing required column: name"),
        ("name,title\nAna,Engineer\n", "Missing required column: email"),
        ("email,first_name,title\na@new.example,Ana,Engineer\n", "first_name and last_name"),
    ],
)
def test_missing_column_is_reported_on_line_1(org, csv_text, expected):
    with pytest.raises(PeopleImportError) as caught:
        people_import(csv_text=csv_text)

    assert error_lines(caught.value) == [1]
    assert expected in messages_on(caught.value, 1)


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        ("", "empty"),
        ("email,name\n", "no people"),
        ("email,name\n" + "x" * (MAX_BYTES + 1), "larger than 5 MB"),
    ],
)
def test_empty_or_oversized_file_is_rejected(org, csv_text, expected):
    with pytest.raises(PeopleImportError) as caught:
        people_import(csv_text=csv_text)

    assert expected in messages_on(caught.value, 1)


def test_line_numbers_count_physical_lines(org):
    csv_text = 'email,name,title\n\na@new.example,Ana,"Two\nlines"\nbad,Bob,\n'

    with pytest.raises(PeopleImportError) as caught:
        people_import(csv_text=csv_text)

    assert error_lines(caught.value) == [5]


def test_progress_is_called_with_rows_written(org):
    written = []

    people_import(csv_text=GOOD_CSV, progress=written.append)

    assert sum(written) == 4


# The command ------------------------------------------------------------------


def test_command_imports_a_good_file(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    out, err = StringIO(), StringIO()

    call_command("import_people", str(path), stdout=out, stderr=err)

    assert "Imported: 3 created, 1 updated, 2 new departments." in out.getvalue()
    assert Person.objects.filter(email="ben@new.example").exists()


def test_command_reports_errors_by_line_and_fails(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    before = counts()
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_people", str(path), stdout=out, stderr=err)

    assert 'line 3: "not-an-email" is not a valid e-mail address.' in err.getvalue()
    assert "line 5: The manager nobody@example.com" in err.getvalue()
    assert "line 10: The name is missing." in err.getvalue()
    assert counts() == before


def test_command_rejects_a_file_that_is_not_utf8(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes("email,name\nzoe@new.example,Zoë\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_people", str(path), stdout=StringIO(), stderr=StringIO())


# The admin --------------------------------------------------------------------


IMPORT_URL = "admin:engagement_person_import"


def upload(content: str | bytes) -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile("people.csv", data, content_type="text/csv")


@pytest.fixture
def hr_staff(org):
    hr = org["hr"]
    hr.is_staff = True
    hr.save(update_fields=["is_staff"])
    return hr


def test_admin_import_as_superuser_redirects_with_message(org, client):
    org["ceo"].is_staff = org["ceo"].is_superuser = True
    org["ceo"].save()
    client.force_login(org["ceo"])

    response = client.post(reverse(IMPORT_URL), {"file": upload(GOOD_CSV)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:engagement_person_changelist")
    assert "Imported: 3 created, 1 updated, 2 new departments." in response.content.decode()
    assert "Import from CSV" in response.content.decode()
    assert Person.objects.get(email="cara@new.example").manager.email == "ana@new.example"


def test_admin_import_as_hr_admin_succeeds(org, client, hr_staff):
    client.force_login(hr_staff)

    page = client.get(reverse(IMPORT_URL))
    response = client.post(reverse(IMPORT_URL), {"file": upload("\ufeff" + GOOD_CSV)})

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:engagement_person_changelist")
    assert Person.objects.filter(email="ana@new.example").exists()


def test_admin_import_shows_errors_for_a_bad_file(org, client, hr_staff):
    client.force_login(hr_staff)
    before = counts()

    response = client.post(reverse(IMPORT_URL), {"file": upload(BAD_CSV)})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "Line 3: &quot;not-an-email&quot; is not a valid e-mail address." in content
    assert "Line 8: A person cannot be their own manager." in content
    assert counts() == before


def test_admin_import_rejects_a_file_that_is_not_utf8(org, client, hr_staff):
    client.force_login(hr_staff)

    response = client.post(
        reverse(IMPORT_URL), {"file": upload("email,name\nzoe@x.example,Zoë\n".encode("cp1252"))}
    )

    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    assert not Person.objects.filter(email="zoe@x.example").exists()


def test_admin_import_is_forbidden_to_staff_who_are_not_hr(org, client):
    staff = org["manager"]
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert client.post(reverse(IMPORT_URL), {"file": upload(GOOD_CSV)}).status_code == 403
    assert not Person.objects.filter(email="ana@new.example").exists()
