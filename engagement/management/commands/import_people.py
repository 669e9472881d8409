"""``manage.py import_people people.csv``: create or update people from an HRIS export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from engagement.people_import import PeopleImportError, count_rows, people_import


class Command(BaseCommand):
    help = (
        "Import people from a CSV file (email, name, title, department, manager_email). "
        "Existing people are matched by e-mail and updated; nothing is saved if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The CSV file, UTF-8 encoded.")
        parser.add_argument(
            "--invite",
            action="store_true",
            help="E-mail everyone in the file who has no password yet a link to choose one.",
        )

    def handle(self, *args, path: Path, invite: bool, **options):
        csv_text = _read(path)
        with tqdm(
            total=count_rows(csv_text),
            unit="row",
            desc="Importing people",
            file=self.stderr._out,
            disable=options["verbosity"] < 1,
        ) as bar:
            try:
                result = people_import(csv_text=csv_text, progress=bar.update, invite=invite)
            except PeopleImportError as error:
                bar.close()
                for line, message in error.errors:
                    self.stderr.write(f"line {line}: {message}")
                raise CommandError(
                    f"Nothing was imported: {len(error.errors)} error(s) in {path}."
                ) from error
        self.stdout.write(self.style.SUCCESS(f"Imported: {result}"))


def _read(path: Path) -> str:
    try:
        # utf-8-sig drops the byte-order mark that Excel puts at the start.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"No such file: {path}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text; export it again as CSV UTF-8.") from None
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error}") from None
