"""Plotly figures for the dashboards, built in Python and drawn by the plotly.js of the
installed plotly package (static/js/charts.js). Every chart has a title and axis titles;
a suppressed value is a gap, never a zero."""

from __future__ import annotations

import functools
import hashlib
import json
from collections import OrderedDict

import plotly.graph_objects as go

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
COLOURS = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563"]
FAVOURABLE, NEUTRAL, UNFAVOURABLE = "#16a34a", "#cbd5e1", "#dc2626"


def _layout(title: str, **extra) -> dict:
    layout = {
        "title": {"text": title, "x": 0, "font": {"size": 15}},
        "font": {"family": FONT, "size": 12},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "#ffffff",
        "height": 320,
        "legend": {"orientation": "h", "y": -0.2},
    }
    layout.update(extra)
    return layout


# Charts this process has drawn lately, by a digest of their arguments.
_drawn: OrderedDict[str, object] = OrderedDict()
DRAWN = 512


def _drawn_once(draw):
    """Plotly checks every property of a figure as it builds it: 10 to 25 ms a chart,
    more than all the queries of a results page. A chart depends on its arguments
    alone, so the same figures (everyone who opens a team's page, the same page
    opened again, a sealed window's charts) are drawn once per process; the
    arguments are the figures themselves, so a chart is never shown for other
    figures than its own."""

    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        key = repr((draw.__name__, args, sorted(kwargs.items())))
        key = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        if key not in _drawn:
            chart = draw(*args, **kwargs)
            _drawn[key] = (isinstance(chart, tuple), json.dumps(chart))
            while len(_drawn) > DRAWN:
                _drawn.popitem(last=False)
        _drawn.move_to_end(key)
        # A copy (from JSON, five times faster than deepcopy): a page may add to its
        # figure without changing the next page's.
        several, text = _drawn[key]
        return tuple(json.loads(text)) if several else json.loads(text)

    return drawn


def as_data(figure: go.Figure) -> dict:
    """A JSON-ready dict for ``json_script``; plotly's own encoder handles its types."""
    return json.loads(figure.to_json())


@_drawn_once
def trend(
    title: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    *,
    y_title: str,
    y_range=None,
    height: int = 320,
) -> dict:
    figure = go.Figure()
    for index, (name, values) in enumerate(series.items()):
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=values,
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line={"color": COLOURS[index % len(COLOURS)], "width": 2},
            )
        )
    many = len(series) > 1
    figure.update_layout(
        **_layout(
            title,
            showlegend=many,
            height=height,
            legend={"orientation": "v", "x": 1.02, "y": 1} if many else {},
            margin={"l": 60, "r": 20, "t": 50, "b": 70},
        ),
        xaxis={"title": {"text": "Survey window"}},
        yaxis={"title": {"text": y_title}, "range": y_range, "zeroline": True},
    )
    return as_data(figure)


@_drawn_once
def small_trend(
    title: str,
    labels: list[str],
    values: list[float | None],
    reference: list[float | None],
    reference_name: str,
) -> dict:
    """One team's engagement beside the whole cut's, drawn small: one of a grid of
    small multiples that share their axes, so teams compare by position, not colour."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=reference,
            name=reference_name,
            mode="lines",
            connectgaps=False,
            line={"color": "#94a3b8", "width": 1.5, "dash": "dot"},
            hovertemplate=f"{reference_name}, %{{x}}: %{{y:.0f}}%<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=values,
            name=title,
            mode="lines+markers",
            connectgaps=False,
            marker={"size": 4},
            line={"color": COLOURS[0], "width": 2},
            hovertemplate="%{x}: %{y:.0f}% favourable<extra></extra>",
        )
    )
    # The page names the team above the chart (a link to its results), so no title here.
    figure.update_layout(
        **_layout(
            "",
            height=170,
            showlegend=False,
            margin={"l": 40, "r": 10, "t": 10, "b": 30},
        ),
        xaxis={"nticks": 3, "tickangle": 0, "showgrid": False, "tickfont": {"size": 11}},
        yaxis={"range": [0, 100], "ticksuffix": "%", "tickvals": [0, 50, 100]},
    )
    return as_data(figure)


@_drawn_once
def participation(labels: list[str], values: list[float | None]) -> dict:
    figure = go.Figure(go.Bar(x=labels, y=values, marker_color=COLOURS[4], name="Participation"))
    figure.update_layout(
        **_layout("Participation"),
        xaxis={"title": {"text": "Survey window"}},
        yaxis={"title": {"text": "% of invited who answered"}, "range": [0, 100]},
    )
    return as_data(figure)


@_drawn_once
def driver_bars(rows: list[tuple[str, float | None, float | None, float | None]]) -> dict:
    """Favourable / neutral / unfavourable shares per driver, as stacked horizontal bars."""
    labels = [label for label, *_ in rows]
    figure = go.Figure()
    for name, index, colour in (
        ("Favourable (4-5)", 1, FAVOURABLE),
        ("Neutral (3)", 2, NEUTRAL),
        ("Unfavourable (1-2)", 3, UNFAVOURABLE),
    ):
        figure.add_trace(
            go.Bar(
                y=labels,
                x=[row[index] for row in rows],
                name=name,
                orientation="h",
                marker_color=colour,
            )
        )
    figure.update_layout(
        **_layout("Drivers, latest window", barmode="stack", height=60 + 34 * max(len(rows), 3)),
        xaxis={"title": {"text": "% of answers"}, "range": [0, 100]},
        yaxis={"title": {"text": "Driver"}, "autorange": "reversed"},
    )
    return as_data(figure)


@_drawn_once
def heatmap(
    rows: list[str], columns: list[str], values: list[list[float | None]], links: list[str]
) -> dict:
    """Favourable % per part of the organisation and driver; a click opens that team."""
    text = [[("—" if v is None else f"{v:.0f}") for v in row] for row in values]
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=columns,
            y=rows,
            text=text,
            texttemplate="%{text}",
            customdata=[[link] * len(columns) for link in links],
            colorscale="RdYlGn",
            zmin=0,
            zmax=100,
            hoverongaps=False,
            colorbar={"title": {"text": "% fav."}},
        )
    )
    figure.update_layout(
        **_layout("Favourable % by team and driver", height=120 + 36 * max(len(rows), 2)),
        xaxis={"title": {"text": "Driver"}, "side": "bottom"},
        yaxis={"title": {"text": "Team"}, "autorange": "reversed"},
    )
    return as_data(figure)


@_drawn_once
def leadership(
    principles: list[tuple[str, float | None]], characteristics: list[tuple[str, float | None]]
) -> tuple[dict, dict]:
    """Principles and characteristics as named horizontal bars, favourable % each. Bars
    rather than a radar: their names fit beside them, and the partial plotly.js bundle
    the pages load has cartesian traces only."""
    return (
        _named_bars("Leadership principles", principles, colour=COLOURS[0]),
        _named_bars("Leadership characteristics", characteristics, colour=COLOURS[3]),
    )


def _wrap(label: str, width: int = 22) -> str:
    """A long name on two lines (plotly breaks tick labels at <br> only)."""
    if len(label) <= width:
        return label
    cut = label.rfind(" ", 0, width)
    return label if cut < 0 else f"{label[:cut]}<br>{label[cut + 1 :]}"


def _named_bars(title: str, rows: list[tuple[str, float | None]], *, colour: str) -> dict:
    figure = go.Figure(
        go.Bar(
            x=[value for _, value in rows],
            y=[_wrap(label) for label, _ in rows],
            orientation="h",
            marker_color=colour,
            name="Favourable %",
            text=[("—" if value is None else f"{value:.0f}%") for _, value in rows],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.0f}% favourable<extra></extra>",
        )
    )
    figure.update_layout(
        **_layout(
            title, height=90 + 40 * max(len(rows), 3), margin={"l": 10, "r": 40, "t": 50, "b": 50}
        ),
        xaxis={"title": {"text": "% favourable"}, "range": [0, 100]},
        # The names say what each bar is; an axis title beside them only crowded a phone.
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return as_data(figure)
