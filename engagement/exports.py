"""Every CSV the product serves is written here, so that no cell reaches a spreadsheet
as a formula and no cell carries the page's HTML.

- A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  would be read as a formula by Excel, LibreOffice or Google Sheets (a program named
  ``=HYPERLINK(...)``). Such a cell gets a leading apostrophe, which spreadsheets treat
  as "this is text" (OWASP's advice on CSV injection).
- A real number (int, float, Decimal) stays a number, a negative one included: a score
  change of -3 exports as -3. Only text is neutralised, so a table exports figures as
  numbers through ``value_<column>`` methods, never as formatted strings like "+3".
- A cell whose ``render`` produced markup (``format_html``: badges, links, deltas) and
  that has no ``value_<column>`` exports as its text, never as HTML.

The single entry points are ``CsvExport`` (a django-tables2 ``TableExport``),
``CsvExportMixin`` for list views, and ``csv_response`` for function views;
``tests/engagement/test_exports.py`` fails if any other module writes CSV.
"""

from __future__ import annotations

import html
from decimal import Decimal

from django.http import HttpResponse
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django_tables2 import Table
from django_tables2.export import ExportMixin, TableExport
from tablib import Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """One cell as it may safely reach a spreadsheet."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, SafeData):
        text = html.unescape(strip_tags(text))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class CsvExport(TableExport):
    """A table as CSV, every cell through ``cell``. CSV only: other formats would need
    libraries that are not installed, and would each need their own neutralising."""

    @classmethod
    def is_valid_format(cls, export_format) -> bool:
        return export_format == cls.CSV

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None) -> Dataset:
        raw = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        dataset = Dataset(title=raw.title, headers=[cell(h) for h in raw.headers or []])
        for row in raw:
            dataset.append([cell(value) for value in row])
        return dataset


class CsvExportMixin(ExportMixin):
    """``?_export=csv`` on a django-tables2 list view; any other format is the page."""

    export_class = CsvExport
    export_formats = (CsvExport.CSV,)


def csv_response(table: Table, filename: str) -> HttpResponse:
    """The CSV download of ``table`` for a function view."""
    return CsvExport(CsvExport.CSV, table).response(filename)
