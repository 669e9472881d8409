"""Import people from a CSV file: the usual HRIS export.

Columns (a header row first, names case-insensitive, common aliases
accepted): e-mail, name (or first and last name), title, department and the
manager's e-mail. People are matched by e-mail, case-insensitively; new
people are created without a usable password (HR invites them, now or later,
to choose one by an e-mailed link), existing people are updated.

The import is all or nothing: every row is validated first and every error
is reported with its line in the file; if there is any, nothing is saved.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from engagement.accounts import invitations_queue
from engagement.models import Department, Person

MAX_BYTES = 5 * 1024 * 1024
WRITE_BATCH = 500

# The canonical column names and the header spellings each accepts. Headers
# are compared after ``_normalise_header``: lower case, with spaces, dashes
# and underscores made equal.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e mail", "work email", "work e mail", "email address"),
    "name": ("name", "full name"),
    "first_name": ("first name", "firstname", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "title": ("title", "job title"),
    "department": ("department", "dept"),
    "manager_email": ("manager email", "manager e mail", "manager"),
}

LineError = tuple[int, str]
Progress = Callable[[int], object]


class PeopleImportError(ValidationError):
    """The file cannot be imported; ``errors`` lists ``(line number, message)``."""

    def __init__(self, errors: list[LineError]):
        self.errors = sorted(errors, key=lambda error: error[0])
        super().__init__([f"line {line}: {message}" for line, message in self.errors])


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    departments_created: int
    invited: int = 0

    def __str__(self) -> str:
        invited = f", {self.invited} invited to choose a password" if self.invited else ""
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.departments_created} new departments{invited}."
        )


@dataclass
class Row:
    line: int
    surplus: int  # non-empty cells beyond the header's columns
    email: str
    first_name: str
    last_name: str
    title: str
    department: str
    manager_email: str


@dataclass
class Existing:
    """What the database already holds, read with one query per model."""

    pk_by_email: dict[str, int] = field(default_factory=dict)
    manager_by_email: dict[str, str] = field(default_factory=dict)
    usernames: set[str] = field(default_factory=set)


# Entry points ---------------------------------------------------------------


def people_import(
    *,
    csv_text: str,
    progress: Progress | None = None,
    invite: bool = False,
    inviter: Person | None = None,
) -> ImportResult:
    """Validate the whole file, then create or update its people in one transaction.

    ``progress(n)`` is called with the number of rows just written, so a
    caller can advance a progress bar whose total is ``count_rows(csv_text)``.
    With ``invite``, everyone in the file who has no password yet is e-mailed a
    link to choose one, once the import is committed.
    Raises ``PeopleImportError`` and saves nothing when any row is wrong.
    """
    columns, rows = _parse(csv_text)
    # Validating inside the transaction keeps what was checked from changing
    # before it is written.
    with transaction.atomic():
        existing = _load_existing()
        errors = _validate(rows, columns, existing)
        if errors:
            raise PeopleImportError(errors)
        result = _write(rows, columns, existing, progress)
        if invite:
            invitees = _without_password(rows)
            invitations_queue(person_ids=invitees, inviter=inviter)
            result = replace(result, invited=len(invitees))
        return result


def count_rows(csv_text: str) -> int:
    """How many data rows the file has, for a progress bar's total."""
    try:
        return max(sum(1 for _ in _records(csv_text)) - 1, 0)
    except PeopleImportError:
        return 0


# Reading --------------------------------------------------------------------


def _parse(csv_text: str) -> tuple[set[str], list[Row]]:
    if len(csv_text.encode("utf-8")) > MAX_BYTES:
        raise PeopleImportError(
            [(1, f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it in parts.")]
        )
    records = list(_records(csv_text))
    if not records:
        raise PeopleImportError([(1, "The file is empty; it needs a header row and people.")])
    _, header = records[0]
    positions, errors = _map_header(header)
    errors += _missing_columns(positions)
    if errors:
        raise PeopleImportError(errors)
    if len(records) == 1:
        raise PeopleImportError([(1, "The file has a header row but no people.")])
    rows = [_row(line, cells, positions, width=len(header)) for line, cells in records[1:]]
    return set(positions), rows


def _records(csv_text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first physical line, cells)`` for each non-blank record."""
    # strict: a quote left open or stray text after a closing quote is an error, not a
    # value that swallows the lines after it (an unclosed quote made one mangled name).
    reader = csv.reader(io.StringIO(csv_text.removeprefix("\ufeff"), newline=""), strict=True)
    next_line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = (
                "A quote opened on this line is never closed"
                if "end of data" in str(error)
                else f"This is not readable as CSV ({error})"
            )
            raise PeopleImportError([(next_line, f"{message}; nothing was imported.")]) from error
        # A quoted value may span lines, so a record starts where the last ended.
        line, next_line = next_line, reader.line_num + 1
        if any(cell.strip() for cell in cells):
            yield line, cells


def _normalise_header(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").lower().split())


def _map_header(header: list[str]) -> tuple[dict[str, int], list[LineError]]:
    canonical = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
    positions: dict[str, int] = {}
    errors: list[LineError] = []
    for index, name in enumerate(header):
        column = canonical.get(_normalise_header(name))
        if column is None:
            continue  # HRIS exports carry many columns this import does not use.
        if column in positions:
            first = header[positions[column]].strip()
            errors.append((1, f'Columns "{first}" and "{name.strip()}" both give the {column}.'))
        positions[column] = index
    return positions, errors


def _missing_columns(positions: dict[str, int]) -> list[LineError]:
    missing = []
    if "email" not in positions:
        missing.append("email")
    has_split_name = "first_name" in positions and "last_name" in positions
    if "name" not in positions and not has_split_name:
        missing.append("name (or first_name and last_name)")
    if not missing:
        return []
    return [(1, f"Missing required column: {', '.join(missing)}.")]


def _row(line: int, cells: list[str], positions: dict[str, int], *, width: int) -> Row:
    def cell(column: str) -> str:
        index = positions.get(column)
        if index is None or index >= len(cells):
            return ""
        return " ".join(cells[index].split())

    if "first_name" in positions and "last_name" in positions:
        first, last = cell("first_name"), cell("last_name")
    else:
        first, last = _split_name(cell("name"))
    return Row(
        line=line,
        surplus=sum(1 for extra in cells[width:] if extra.strip()),
        email=cell("email").lower(),
        first_name=first,
        last_name=last,
        title=cell("title"),
        department=cell("department"),
        manager_email=cell("manager_email").lower(),
    )


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.rpartition(" ")
    # A single word has no space: it is the first name, not the last.
    return (first, last) if first else (last, "")


def _load_existing() -> Existing:
    existing = Existing()
    people = Person.objects.annotate(email_key=Lower("email"), manager_key=Lower("manager__email"))
    for pk, email, username, manager in people.values_list(
        "pk", "email_key", "username", "manager_key"
    ):
        existing.usernames.add(username.lower())
        if email:
            existing.pk_by_email[email] = pk
            if manager:
                existing.manager_by_email[email] = manager
    return existing


# Validation -----------------------------------------------------------------


def _validate(rows: list[Row], columns: set[str], existing: Existing) -> list[LineError]:
    errors = _row_errors(rows, existing)
    if "manager_email" in columns:
        errors += _manager_errors(rows, existing)
        errors += _cycle_errors(rows, existing)
    return errors


def _row_errors(rows: list[Row], existing: Existing) -> list[LineError]:
    errors: list[LineError] = []
    first_line: dict[str, int] = {}
    for row in rows:
        errors += [(row.line, message) for message in _email_messages(row, existing)]
        if row.email in first_line:
            errors.append(
                (row.line, f"{row.email} appears twice (first on line {first_line[row.email]}).")
            )
        elif row.email:
            first_line[row.email] = row.line
        errors += [(row.line, message) for message in _field_messages(row)]
    return errors


def _email_messages(row: Row, existing: Existing) -> list[str]:
    if not row.email:
        return ["The e-mail is missing."]
    try:
        validate_email(row.email)
    except ValidationError:
        return [f'"{row.email}" is not a valid e-mail address.']
    # New people sign in with their e-mail as username, which has a shorter limit.
    if len(row.email) > Person._meta.get_field("username").max_length:
        return [f"{row.email} is too long to be a username."]
    if row.email not in existing.pk_by_email and row.email in existing.usernames:
        return [f"{row.email} is already the username of another person."]
    return []


def _field_messages(row: Row) -> list[str]:
    if row.surplus:
        # Usually an unquoted comma inside a value, which shifts every column after it.
        return ["The row has more values than the header has columns; quote values with commas."]
    if not row.first_name and not row.last_name:
        return ["The name is missing."]
    limits = {
        "first name": (row.first_name, Person._meta.get_field("first_name").max_length),
        "last name": (row.last_name, Person._meta.get_field("last_name").max_length),
        "title": (row.title, Person._meta.get_field("title").max_length),
        "department": (row.department, Department._meta.get_field("name").max_length),
    }
    return [
        f"The {label} is longer than {limit} characters."
        for label, (value, limit) in limits.items()
        if len(value) > limit
    ]


def _manager_errors(rows: list[Row], existing: Existing) -> list[LineError]:
    in_file = {row.email for row in rows}
    errors: list[LineError] = []
    for row in rows:
        if not row.manager_email:
            continue
        if row.manager_email == row.email:
            errors.append((row.line, "A person cannot be their own manager."))
        elif row.manager_email not in in_file and row.manager_email not in existing.pk_by_email:
            errors.append(
                (row.line, f"The manager {row.manager_email} is neither in the file nor a person.")
            )
    return errors


def _cycle_errors(rows: list[Row], existing: Existing) -> list[LineError]:
    """One error per loop of managers that the file would create.

    The tree after the import is the existing one with the file's rows laid
    over it, so a loop may run through people the file does not mention.
    """
    manager_of = dict(existing.manager_by_email)
    line_of: dict[str, int] = {}
    for row in rows:
        if row.email and row.email not in line_of:
            line_of[row.email] = row.line
            manager_of[row.email] = row.manager_email if row.manager_email != row.email else ""
    errors: list[LineError] = []
    for loop in _loops(manager_of, start=line_of):
        lines = sorted(line_of[email] for email in loop if email in line_of)
        if not lines:
            continue  # An old loop in the database: not this file's doing.
        chain = " → ".join([*loop, loop[0]])
        others = f" (see also line {', '.join(map(str, lines[1:]))})" if lines[1:] else ""
        errors.append(
            (lines[0], f"The managers form a loop (each reports to the next): {chain}{others}.")
        )
    return errors


def _loops(manager_of: dict[str, str], *, start: Iterable[str]) -> Iterator[list[str]]:
    """Each loop reachable from ``start`` in the e-mail to manager e-mail map, once."""
    done: set[str] = set()
    for email in start:
        path: list[str] = []
        on_path: set[str] = set()
        node = email
        while node and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = manager_of.get(node, "")
        if node in on_path:
            yield path[path.index(node) :]
        done.update(path)


# Writing --------------------------------------------------------------------


def _write(
    rows: list[Row], columns: set[str], existing: Existing, progress: Progress | None
) -> ImportResult:
    departments, departments_created = _ensure_departments(rows, columns)
    people_by_pk = Person.objects.in_bulk(
        [existing.pk_by_email[row.email] for row in rows if row.email in existing.pk_by_email]
    )
    created = updated = 0
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start : start + WRITE_BATCH]
        new, changed = [], []
        for row in batch:
            pk = existing.pk_by_email.get(row.email)
            if pk is None:
                new.append(_new_person(row, columns, departments))
            else:
                changed.append(_apply_row(people_by_pk[pk], row, columns, departments))
        Person.objects.bulk_create(new)
        Person.objects.bulk_update(changed, _updated_fields(columns))
        created, updated = created + len(new), updated + len(changed)
        if progress is not None:
            progress(len(batch))
    if "manager_email" in columns:
        _set_managers(rows)
    return ImportResult(created=created, updated=updated, departments_created=departments_created)


def _ensure_departments(rows: list[Row], columns: set[str]) -> tuple[dict[str, Department], int]:
    """Departments by lower-case name, creating those the file names first."""
    if "department" not in columns:
        return {}, 0
    by_name = {department.name.lower(): department for department in Department.objects.all()}
    new: dict[str, Department] = {}
    for row in rows:
        key = row.department.lower()
        if key and key not in by_name and key not in new:
            new[key] = Department(name=row.department)
    Department.objects.bulk_create(new.values())
    # Re-read rather than rely on bulk_create returning primary keys on every database.
    by_name = {department.name.lower(): department for department in Department.objects.all()}
    return by_name, len(new)


def _updated_fields(columns: set[str]) -> list[str]:
    # A column the file does not have leaves that field of existing people alone.
    optional = [name for name in ("title", "department") if name in columns]
    return ["email", "first_name", "last_name", *optional]


def _apply_row(
    person: Person, row: Row, columns: set[str], departments: dict[str, Department]
) -> Person:
    person.email = row.email
    person.first_name, person.last_name = row.first_name, row.last_name
    if "title" in columns:
        person.title = row.title
    if "department" in columns:
        person.department = departments.get(row.department.lower())
    return person


def _new_person(row: Row, columns: set[str], departments: dict[str, Department]) -> Person:
    person = _apply_row(Person(username=row.email), row, columns, departments)
    person.set_unusable_password()
    return person


def _without_password(rows: list[Row]) -> list[int]:
    """The file's active people who have not chosen a password (new ones, and those
    imported before who never used their invitation)."""
    return list(
        Person.objects.annotate(email_key=Lower("email"))
        .filter(
            email_key__in={row.email for row in rows},
            is_active=True,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
        )
        .values_list("pk", flat=True)
    )


def _set_managers(rows: list[Row]) -> None:
    """Second pass: every person now exists, so a manager may come later in the file."""
    # One query of everyone avoids an IN list as long as the file.
    current = {
        email: (pk, manager_id)
        for pk, email, manager_id in Person.objects.exclude(email="")
        .annotate(email_key=Lower("email"))
        .values_list("pk", "email_key", "manager_id")
    }
    changed = []
    for row in rows:
        pk, manager_id = current[row.email]
        new_manager_id = current[row.manager_email][0] if row.manager_email else None
        if manager_id != new_manager_id:
            changed.append(Person(pk=pk, manager_id=new_manager_id))
    Person.objects.bulk_update(changed, ["manager"], batch_size=WRITE_BATCH)
