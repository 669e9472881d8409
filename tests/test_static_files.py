"""Static files as production and the demo serve them: collectstatic with the manifest
storage names each file by its content's hash and writes a gzip copy, and WhiteNoise
serves the charts' plotly.js compressed, under 1.5 MB, cached for years."""

from __future__ import annotations

import re
from io import StringIO

import plotly.offline
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import make_org, open_window, pulse_form, survey_program

BUNDLE = "vendor/plotly/plotly-cartesian.min.js"
MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    return root


def test_the_bundle_is_the_plotly_js_the_python_package_builds_figures_for():
    """`make plotly-bundle` fetches the partial bundle of the installed plotly's version."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    header = Path(finders.find(BUNDLE)).read_text(encoding="utf-8")[:200]
    assert f"v{plotly.offline.get_plotlyjs_version()}" in header
    assert "cartesian" in header


@pytest.mark.django_db
def test_the_results_page_loads_plotly_by_its_hashed_name_served_compressed_for_years(
    collected,
):
    org = make_org()
    form = pulse_form(survey_program(org), org["hr"])
    open_window(form.program)
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES=MANIFEST,
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_USE_FINDERS=False,
    ):
        hashed = staticfiles_storage.stored_name(BUNDLE)
        assert re.fullmatch(r"vendor/plotly/plotly-cartesian\.min\.[0-9a-f]{12}\.js", hashed)

        # A fresh client: WhiteNoise reads the collected files when its middleware starts.
        client = Client()
        client.force_login(org["manager"])
        page = client.get(reverse("feedback:results", args=[org["manager"].pk]))
        assert page.status_code == 200
        assert f'<script src="/static/{hashed}" defer></script>' in page.content.decode()

        response = client.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200
        assert response["Content-Encoding"] in ("gzip", "br")
        transferred = int(response["Content-Length"])
        assert transferred < 1_500_000
        cache = response["Cache-Control"]
        assert "immutable" in cache
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
        response.close()

        # The full plotly.js (4.8 MB) is not what the pages load.
        assert transferred < 700_000


def test_the_demo_links_plain_names_until_collectstatic_has_run(tmp_path, collected):
    demo = {
        "default": MANIFEST["default"],
        "staticfiles": {"BACKEND": "config.storage.DemoStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=demo):
        assert staticfiles_storage.url(BUNDLE) == f"/static/{BUNDLE}"
    with override_settings(STATIC_ROOT=collected, STORAGES=demo):
        assert re.search(r"\.[0-9a-f]{12}\.js$", staticfiles_storage.url(BUNDLE))
