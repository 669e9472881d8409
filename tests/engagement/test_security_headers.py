"""Every page sends a Content-Security-Policy that forbids inline script and style, and
no page or template relies on them; errors show the product's own pages."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from engagement.models import AudienceKind
from tests.factories import make_program, make_session

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, event handler
    attributes, javascript: URLs, style attributes and <style> blocks."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            data = attributes.get("type") == "application/json"
            if "src" not in attributes and not data:
                self.found.append(f"inline <script> {attributes}")
        if tag == "style":
            self.found.append("<style> block")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_policy_forbids_inline_script_and_style():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for directive in ("script-src", "style-src", "default-src"):
        assert directives[directive] == ["'self'"], directive
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_the_checker_finds_what_it_looks_for():
    # A checker that can never fail proves nothing.
    assert inline_code('<script>alert(1)</script><a onclick="x()" style="color:red">')
    assert inline_code('<a href="javascript:alert(1)">')
    assert not inline_code('<script src="/static/js/app.js"></script>')
    assert not inline_code('<script type="application/json" id="f">{"a": 1}</script>')


@pytest.mark.parametrize(
    "template", sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html")), ids=str
)
def test_no_template_has_inline_script_handlers_or_style(template):
    assert inline_code(template.read_text()) == []


# Every page the resolver knows ---------------------------------------------------------


@pytest.fixture
def pages(org, django_user_model):
    team = {"audience_kind": AudienceKind.TEAM, "audience_manager": org["manager"]}
    one_on_ones = make_program("EE10", owner=org["manager"], **team)
    team_meeting = make_program("EE11", owner=org["manager"], **team)
    council = make_program("EE5", owner=org["manager"], **team)
    learning = make_program("EE15", owner=org["manager"], **team)
    pulse = make_program("EE3", owner=org["hr"])
    session = make_session(
        team_meeting, [(org["manager"], "host"), (org["employee"], "attendee")], series="team:1"
    )
    make_session(
        one_on_ones,
        [(org["manager"], "host"), (org["employee"], "attendee")],
        series=f"pair:{org['manager'].pk}:{org['employee'].pk}",
    )
    values = {
        "pk": session.pk,
        "program_pk": council.pk,
        "manager_pk": org["manager"].pk,
        "code": "EE10",
    }
    return {"values": values, "learning": learning, "pulse": pulse, "program": one_on_ones}


def _routes(resolver=None, prefix=""):
    """(name, pattern) of every named route, namespaces included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry.pattern


def _urls(values):
    seen = set()
    for name, pattern in _routes():
        keys = list(pattern.regex.groupindex)
        if name in seen or not set(keys) <= set(values):
            continue
        seen.add(name)
        try:
            yield reverse(name, kwargs={key: values[key] for key in keys})
        except Exception:  # noqa: BLE001 - a route whose converter refuses the value
            continue


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_every_page_sends_the_policy_and_has_no_inline_code(client, org, pages, role):
    client.force_login(org[role])
    checked = 0
    for url in _urls(pages["values"]):
        if "logout" in url:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        assert "Content-Security-Policy" in response, url
        directives = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert directives["script-src"] == "'self'", url
        # Only the chart pages let plotly.js style itself (see feedback.views).
        if not url.startswith("/feedback/results/"):
            assert directives["style-src"] == "'self'", url
        if response.get("Content-Type", "").startswith("text/html") and not url.startswith(
            "/admin/"
        ):
            assert inline_code(response.content.decode()) == [], url
        checked += 1
    assert checked > 30


def test_the_sign_in_page_sends_the_policy_to_anonymous_visitors(client, db):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


# The product's own error pages -----------------------------------------------------


@override_settings(DEBUG=False)
def test_an_unknown_address_shows_the_products_404_not_a_url_list(client, org):
    client.force_login(org["employee"])
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'id="error-404"' in page
    assert "Rapport" in page
    assert "URLconf" not in page
    assert "Traceback" not in page
    assert "Content-Security-Policy" in response


@override_settings(DEBUG=False)
def test_a_record_outside_ones_reach_is_the_same_404(client, org, pages):
    client.force_login(org["outsider"])
    response = client.get(reverse("scheduling:session_detail", args=[pages["values"]["pk"]]))
    assert response.status_code == 404
    assert 'id="error-404"' in response.content.decode()


@override_settings(DEBUG=False)
def test_a_refusal_shows_the_products_403(client, org, pages):
    client.force_login(org["employee"])
    response = client.get(reverse("engagement:program_edit", args=[pages["program"].pk]))
    assert response.status_code == 403
    assert 'id="error-403"' in response.content.decode()


def test_a_server_error_shows_the_products_500_without_details(client, org, monkeypatch):
    from engagement import views

    def broken(request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "practice_list", broken)
    client.raise_request_exception = False
    client.force_login(org["employee"])
    with override_settings(DEBUG=False, ROOT_URLCONF="tests.engagement.broken_urls"):
        response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'id="error-500"' in page
    assert "secret internals" not in page
    assert "Traceback" not in page
