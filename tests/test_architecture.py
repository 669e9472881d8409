"""The house rules that keep seventeen practices in one obvious shape (docs/ARCHITECTURE.md).

import-linter (``make lint``) keeps the layers; these keep what it cannot see: models
reached by name, practice codes compared outside the catalog, pages assembled by
naming an upper app, and extension points that render what was registered.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from engagement import extensions
from engagement.practices import PRACTICES, Capability, Gathering, codes, get_practice

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "engagement", "scheduling", "meetings", "feedback")
CODE = re.compile(r"\bEE\d{1,2}\b")
# Where practice codes belong: the catalog, the demo organisation and its loaders.
CODES_ALLOWED = {"engagement/practices.py"}


def _product_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.endswith("demo.py"):
                continue
            if "/management/commands/load_demo" in relative:
                continue
            yield relative, path


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_no_practice_code_outside_the_catalog_demo_and_bench():
    found = []
    for relative, path in _product_modules():
        if relative in CODES_ALLOWED:
            continue
        tree = ast.parse(path.read_text())
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and CODE.search(node.value)
            ):
                found.append(f"{relative}:{node.lineno} {node.value[:60]!r}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if CODE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == [], "Ask the practice's capabilities instead:\n" + "\n".join(found)


def test_no_module_reaches_a_model_by_name():
    found = [
        f"{relative}:{number}"
        for relative, path in _product_modules()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "get_model(" in line
    ]
    assert found == []


def _strings(path: Path):
    """The string constants of a module that are not docstrings, with their lines."""
    tree = ast.parse(path.read_text())
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_lower_module_names_an_upper_app_by_string():
    """Not only imports: a URL name ("meetings:huddle"), a dotted task path
    ("feedback.tasks.seal") or a permission ("scheduling.view_session") written in a
    lower layer ties it to an upper one just the same; the registry carries them."""
    uppers = {"engagement": ("scheduling", "meetings", "feedback"), "scheduling": APPS[3:]}
    found = []
    for relative, path in _product_modules():
        layer = relative.split("/")[0]
        for line, text in _strings(path) if layer in uppers else ():
            for upper in uppers[layer]:
                if re.search(rf"\b{upper}(:|\.)[a-z_]", text):
                    found.append(f"{relative}:{line} {text[:60]!r}")
    assert found == []


LOWER_TEMPLATES = {
    "engagement": ("scheduling", "meetings", "feedback"),
    "scheduling": ("meetings", "feedback"),
}


def test_no_lower_template_names_an_upper_app():
    found = []
    for layer, uppers in LOWER_TEMPLATES.items():
        folder = ROOT / "templates" / layer
        paths = sorted(folder.rglob("*.html"))
        if layer == "engagement":
            paths += [
                ROOT / "templates" / "base.html",
                *sorted((ROOT / "templates").glob("*.html")),
            ]
        for path in paths:
            text = path.read_text()
            for upper in uppers:
                if re.search(rf"['\"]{upper}:|{upper}_tags|{upper}/", text):
                    found.append(f"{path.relative_to(ROOT)} names {upper}")
    assert sorted(set(found)) == []


def test_capabilities_answer_what_codes_used_to():
    assert codes(gathering=Gathering.PAIRS) == ("EE10",)
    assert set(codes(private=True)) == {"EE9", "EE10"}
    assert set(codes(capability=Capability.DECISIONS)) == {"EE5", "EE11"}
    assert codes(capability=Capability.SURVEY) == ("EE3",)
    assert get_practice("EE15").after_session.questions[-1] == "comment"
    # Every meeting practice says whom it gathers; every period practice whom it asks.
    for practice in PRACTICES:
        if practice.is_meeting:
            assert practice.gathering not in (Gathering.SUBMITTERS, Gathering.NOBODY)
        else:
            assert practice.gathering in (Gathering.SUBMITTERS, Gathering.NOBODY)


@pytest.fixture
def scratch_registry(monkeypatch):
    registry = extensions.Registry()
    monkeypatch.setattr(extensions, "registry", registry)
    return registry


def test_sections_render_what_was_registered_by_capability(scratch_registry):
    extensions.section(
        "program",
        "decided",
        "snippets/field.html",
        lambda request, program, bound: {"field": f"decisions of {program.name}"},
        applies=lambda practice: practice.has(Capability.DECISIONS),
    )
    extensions.section(
        "program", "hidden", "snippets/field.html", lambda request, program, bound: None
    )

    class FakeProgram:
        name = "Council"
        practice_info = get_practice("EE5")

    request = RequestFactory().get("/")
    page = Template('{% load extensions %}{% sections "program" program %}')
    assert "decisions of Council" in page.render(
        Context({"request": request, "program": FakeProgram()})
    )
    FakeProgram.practice_info = get_practice("EE10")
    assert page.render(Context({"request": request, "program": FakeProgram()})).strip() == ""


def test_a_place_and_a_name_are_registered_once(scratch_registry):
    with pytest.raises(ValueError, match="No place"):
        extensions.section("nowhere", "x", "t.html", lambda *args: {})
    extensions.job("Plan", "scheduling.tasks.plan_sessions", "H")
    with pytest.raises(ValueError, match="already registered"):
        extensions.job("Plan", "scheduling.tasks.plan_sessions", "H")
    assert extensions.ask("unanswered", default="no one") == "no one"


def test_every_app_plugs_its_navigation_in():
    labels = [item.label for item in extensions.registry.nav_items]
    assert {"Home", "Programs", "My calendar", "My week", "Surveys", "Results"} <= set(labels)
