"""Counting a form's answers in SQL: the windows sealed from their tallies, the others
from their answers, in one statement.

The scores run these statements for each page, the ballot box runs them once to
tally a closed window, and the anonymity engine builds its ``IN`` lists with
``marks``: so they live here, below all three.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from feedback.models import Answer, Form, Response, Tally
from feedback.windows import column


def marks(values) -> str:
    """Placeholders for an SQL ``IN`` list of ``values``."""
    return ", ".join(["%s"] * len(values))


# Favourable is 4-5 on the agreement scale and 9-10 (promoters) on eNPS, and so on
# down; one scan scores both kinds. ``x`` is the answer, ``q`` its question.
FAVOURABLE = (
    "SUM(CASE WHEN q.kind = 'likert' AND x.value >= 4"
    " OR q.kind = 'enps' AND x.value >= 9 THEN 1 ELSE 0 END)"
)
NEUTRAL = (
    "SUM(CASE WHEN q.kind = 'likert' AND x.value = 3"
    " OR q.kind = 'enps' AND x.value IN (7, 8) THEN 1 ELSE 0 END)"
)
UNFAVOURABLE = (
    "SUM(CASE WHEN q.kind = 'likert' AND x.value <= 2"
    " OR q.kind = 'enps' AND x.value <= 6 THEN 1 ELSE 0 END)"
)


@dataclass
class Counting:
    """SQL counting windows of some forms: those sealed from their tallies, the others
    from their answers. ``group`` lists the columns to group by (``x`` is the answer,
    response or tally row); ``join`` and ``where`` narrow the rows, with their
    parameters; ``prefix`` (a CTE) comes first, with its own.

    Which windows are sealed is read first (one small query), not decided inside
    the statement: a window list the index can range over keeps the answers half to
    the open windows' rows. A window reopened in between reads as empty for that
    one view; one sealed in between is counted from its answers, to the same figures.
    """

    form_ids: list[int]
    key: str  # the window column: window_id, or period_id for feedback after sessions
    sealed: list[int]
    live: list[int]

    @classmethod
    def of(cls, form: Form, ids: list[int]) -> Counting:
        return cls.of_forms([form.pk], column(form), ids)

    @classmethod
    def of_forms(cls, form_ids: list[int], key: str, ids: list[int]) -> Counting:
        if not ids:
            return cls(form_ids, key, [], [])
        # In SQL, like the statements it prepares: on a team's page the ORM's query
        # building would cost as much as the query.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {key} FROM {Tally._meta.db_table} WHERE form_id IN ({marks(form_ids)})"
                f" AND kind = %s AND {key} IN ({marks(ids)})",
                [*form_ids, Tally.SEALED, *ids],
            )
            sealed = {row[0] for row in cursor.fetchall()}
        return cls(
            form_ids, key, [i for i in ids if i in sealed], [i for i in ids if i not in sealed]
        )

    def _branches(self, tallied: str, counted: str, *, where_params) -> tuple[list, list]:
        parts, params = [], []
        for ids, sql in ((self.sealed, tallied), (self.live, counted)):
            if ids:
                parts.append(
                    sql.replace("{forms}", marks(self.form_ids)).replace("{ids}", marks(ids))
                )
                params += [*self.form_ids, *ids, *where_params]
        return parts, params

    def respondents(
        self, group: str, *, join="", where="", params=(), prefix=("", ()), padded=False
    ):
        """SQL and parameters: ``group`` columns and the number of responses; ``padded``
        shapes the rows as ``scores`` rows of kind ``responses``, to go in one
        statement with them."""
        key = self.key
        pad = f"'', '{Tally.RESPONSES}', " if padded else ""
        tail = ", 0, 0, 0, 0, 0" if padded else ""
        tallied = (
            f"SELECT {group}, {pad}SUM(x.n){tail} FROM {Tally._meta.db_table} x{join}"
            f" WHERE x.form_id IN ({{forms}}) AND x.{key} IN ({{ids}})"
            f" AND x.kind = '{Tally.RESPONSES}'{where} GROUP BY {group}"
        )
        counted = (
            f"SELECT {group}, {pad}COUNT(*){tail} FROM {Response._meta.db_table} x{join}"
            f" WHERE x.form_id IN ({{forms}}) AND x.{key} IN ({{ids}}){where} GROUP BY {group}"
        )
        return self._statement(tallied, counted, params, prefix)

    def scores(self, group: str, *, join="", where="", params=(), prefix=("", ())):
        """SQL and parameters: ``group`` columns, driver, kind, n, favourable, neutral,
        unfavourable, sum of values and distinct respondents, for agreement and eNPS."""
        key = self.key
        question = Answer._meta.get_field("question").related_model._meta.db_table
        tallied = (
            f"SELECT {group}, x.driver, x.kind, SUM(x.n), SUM(x.fav), SUM(x.neu),"
            f" SUM(x.unfav), SUM(x.total), SUM(x.people) FROM {Tally._meta.db_table} x{join}"
            f" WHERE x.form_id IN ({{forms}}) AND x.{key} IN ({{ids}})"
            f" AND x.kind IN ('likert', 'enps'){where} GROUP BY {group}, x.driver, x.kind"
        )
        counted = (
            f"SELECT {group}, q.driver, q.kind, COUNT(*), {FAVOURABLE}, {NEUTRAL},"
            f" {UNFAVOURABLE}, COALESCE(SUM(x.value), 0), COUNT(DISTINCT x.response_id)"
            f" FROM {Answer._meta.db_table} x INNER JOIN {question} q ON q.id = x.question_id"
            f"{join} WHERE x.form_id IN ({{forms}}) AND x.{key} IN ({{ids}})"
            f" AND q.kind IN ('likert', 'enps'){where} GROUP BY {group}, q.driver, q.kind"
        )
        return self._statement(tallied, counted, params, prefix)

    def respondents_and_scores(self, group: str, **narrowed) -> tuple[str, list]:
        """``respondents`` (padded, kind ``responses``) and ``scores`` in one statement:
        one round trip; the shape of a tally row, so sealing inserts it as it is."""
        counted_sql, counted_params = self.respondents(group, **narrowed, padded=True)
        scored_sql, scored_params = self.scores(group, **narrowed)
        return f"{counted_sql} UNION ALL {scored_sql}", [*counted_params, *scored_params]

    def _statement(self, tallied, counted, params, prefix) -> tuple[str, list]:
        # The two branches cover different windows, and every grouping includes the
        # window, so their rows never need adding together.
        parts, values = self._branches(tallied, counted, where_params=list(params))
        head, head_params = prefix
        sql = f"{head} " + " UNION ALL ".join(parts) if head else " UNION ALL ".join(parts)
        return sql, [*head_params, *values]

    def fetch(self, statement: tuple[str, list]) -> list[tuple]:
        sql, params = statement
        if not self.sealed and not self.live:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
