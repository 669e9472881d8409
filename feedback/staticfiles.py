"""Serve the plotly.js that ships inside the plotly package as ``plotly/plotly.min.js``.

Charts must not load anything from another host, and the JavaScript bundled
with the Python package is the one its figures are built for. A finder (rather
than the whole package data directory in STATICFILES_DIRS) exposes that one
file only, to runserver and to collectstatic alike.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

NAME = "plotly.min.js"
PREFIX = "plotly"
SOURCE = Path(plotly.__file__).parent / "package_data"


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path == f"{PREFIX}/{NAME}" and (SOURCE / NAME).exists():
            found = str(SOURCE / NAME)
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=str(SOURCE))
        storage.prefix = PREFIX
        yield NAME, storage
