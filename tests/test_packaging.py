"""A non-editable install ships every app of the project: the wheel is built from a copy
of the checkout and must hold each local Django app's modules, migrations, template tags,
management commands and any templates or static files kept inside the app.

The project's own templates/ and static/ live at the repository root beside manage.py
and are read from the checkout (``BASE_DIR``), not from the wheel (README, "Deploying").
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LEFT_BEHIND = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    "*.sqlite3*",
    ".*cache",
    "staticfiles",
)


def _build_wheel(tmp_path: Path) -> set[str]:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=LEFT_BEHIND)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + [".", "-w", str(tmp_path / "dist")],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("rapport-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _local_apps():
    """The project's own apps: packages at the top of the checkout (not the installed ones)."""
    return [app for app in apps.get_app_configs() if Path(app.path).parent == ROOT]


def test_the_wheel_ships_every_app_whole(tmp_path):
    shipped = _build_wheel(tmp_path)
    local = _local_apps()
    assert {app.name for app in local} >= {"engagement", "scheduling", "meetings", "feedback"}
    for app in local:
        app_dir = Path(app.path)
        files = [
            path.relative_to(ROOT).as_posix()
            for path in app_dir.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
        missing = sorted(name for name in files if name not in shipped)
        assert not missing, f"{app.name} is not shipped whole: {missing[:10]}"
        assert any(name.startswith(f"{app.name}/migrations/0001") for name in shipped)
    # Tests and benchmarks are not part of the product.
    assert not any(name.startswith(("tests/", "bench/")) for name in shipped)
