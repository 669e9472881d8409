"""The benchmarks in bench/ still run, end to end, on a tiny organisation.

Each runs as a developer would start it (its own process, the project's own
settings) against a SQLite file in the test's temporary directory, so that a
change to the models or the planner that breaks a benchmark fails here rather
than on the day someone wants figures.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = "0.01"


def _run(script: str, *args: str, database: Path, timeout: int = 90):
    # Not the test settings pytest exported: the benchmarks set up their own.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "LOCAL_DEMO"}
    }
    environment.update(DEBUG="true", DATABASE_URL=f"sqlite:///{database}")
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _table(stdout: str) -> list[dict[str, str]]:
    """The rows of the Markdown table a benchmark prints, keyed by its header."""
    lines = [line for line in stdout.splitlines() if line.startswith("|")]
    assert len(lines) > 2, stdout
    header, _separator, *rows = (
        [cell.strip() for cell in line.strip("|").split("|")] for line in lines
    )
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_plan_org_plans_a_tiny_organisation_and_the_replan_changes_nothing(tmp_path):
    result = _run("plan_org.py", "--scale", TINY, database=tmp_path / "bench.sqlite3")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Generated 100 people (1 senior leaders, 1 directors, 9 front-line managers" in (
        result.stdout
    )
    assert "21 programs {'EE10': 5, 'EE11': 12, 'EE12': 3, 'EE9': 1}" in result.stdout
    rows = {row["Phase"]: row for row in _table(result.stdout)}
    assert list(rows) == ["generate", "plan", "replan"]
    plan, replan = rows["plan"], rows["replan"]
    assert int(plan["Created"]) > 0
    assert int(plan["Sessions +"]) == int(plan["Created"])
    assert int(plan["Participants +"]) > int(plan["Sessions +"])
    assert (replan["Created"], replan["Updated"], replan["Cancelled"]) == ("0", "0", "0")
    assert replan["Unchanged"] == plan["Created"]
    assert (replan["Sessions +"], replan["Participants +"]) == ("0", "0")


def test_feedback_dashboards_measures_a_tiny_organisation(tmp_path):
    # Generating and measuring take about 40 s; far longer on a machine others load too.
    result = _run(
        "feedback_dashboards.py", "--scale", TINY, database=tmp_path / "bench.sqlite3", timeout=300
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "'people': 102, " in result.stdout
    rows = _table(result.stdout)
    assert [(row["who"], row["closed windows from"]) for row in rows] == [
        (who, source)
        for source in ("answers", "tallies")
        for who in ("top leader", "mid-level leader", "manager")
    ]
    assert [row["people below"] for row in rows[:3]] == ["101", "100", "10"]
    for row in rows:
        assert float(row["ratio"]) > 0
        assert int(row["page queries"]) > 0
    # The tallies count the same answers as the answers themselves.
    assert [row["answers in scope"] for row in rows[:3]] == [
        row["answers in scope"] for row in rows[3:]
    ]
    assert int(rows[2]["answers in scope"]) > 0
    assert "Tallying 23 closed windows" in result.stdout
    assert "Sealing one window (" in result.stdout


@pytest.mark.parametrize("script", ["plan_org.py", "feedback_dashboards.py"])
def test_a_bench_refuses_to_delete_a_database_inside_the_repository(script):
    # A file of its own, never the repository's rapport.sqlite3, in case the check broke.
    inside = ROOT / f"bench-guard-{uuid.uuid4().hex}.sqlite3"
    inside.write_bytes(b"kept")
    try:
        result = _run(script, "generate", "--scale", TINY, database=inside, timeout=60)
        assert result.returncode != 0
        assert "Refusing to delete" in result.stdout + result.stderr
        assert inside.read_bytes() == b"kept"
    finally:
        inside.unlink(missing_ok=True)


@pytest.mark.parametrize("script", ["plan_org.py", "feedback_dashboards.py"])
@pytest.mark.parametrize("scale", ["0", "-1", "0.0001", "tiny"])
def test_a_bench_rejects_a_scale_it_cannot_build(tmp_path, script, scale):
    database = tmp_path / "bench.sqlite3"
    result = _run(script, "--scale", scale, database=database, timeout=60)
    assert result.returncode == 2
    assert "scale" in result.stderr
    assert not database.exists()


def test_load_serves_the_demo_to_a_few_people_and_times_their_pages(tmp_path):
    """bench/load.py end to end, briefly: the demo built in a fresh SQLite file, served
    by gunicorn, four people (one of each demo role) signed in through the form,
    browsing for three seconds; no request fails."""
    database = tmp_path / "load.sqlite3"
    result = _run(
        "load.py",
        *("--database", f"sqlite:///{database}", "--users", "4", "--seconds", "3"),
        *("--workers", "2", "--think", "0.2"),
        database=tmp_path / "unused.sqlite3",
        timeout=600,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    rows = {row["page"]: row for row in _table(result.stdout)}
    assert int(rows["all"]["requests"]) >= 4
    assert {row["errors"] for row in rows.values()} == {"0"}
    assert set(rows) - {"all"} <= {
        "home",
        "my week",
        "my actions",
        "1-on-1s",
        "session",
        "surveys",
        "survey to answer",
        "results home",
        "results (HR)",
        "results (leader)",
        "results (manager)",
        "programs",
        "program",
        "calendar",
    }
    assert "0 errors" in result.stdout
    assert database.exists()


def test_load_refuses_to_delete_a_database_inside_the_repository():
    inside = ROOT / f"bench-guard-{uuid.uuid4().hex}.sqlite3"
    inside.write_bytes(b"kept")
    try:
        result = _run("load.py", "--database", f"sqlite:///{inside}", database=inside, timeout=60)
        assert result.returncode != 0
        assert "Refusing to delete" in result.stdout + result.stderr
        assert inside.read_bytes() == b"kept"
    finally:
        inside.unlink(missing_ok=True)
