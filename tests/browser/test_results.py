"""The results page on a demo-like organisation: its charts draw quickly from a cold
cache, tables sort in place without leaving the reader's place, and nothing on a phone
scrolls sideways but the wide table inside its card."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.pages import PageWatch, sign_in

pytestmark = pytest.mark.browser

# Charts above the fold: drawn first, the others as the reader scrolls to them.
IN_VIEW = ("fig-engagement", "fig-enps", "fig-drivers", "fig-participation")


@pytest.fixture
def demo_results(transactional_db, monkeypatch):
    """The demo with its survey history (a year, rather than two, to stay quick)."""
    from feedback import demo as feedback_demo

    monkeypatch.setattr(feedback_demo, "MONTHS", 12)
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_history", stdout=StringIO())
    call_command("load_demo_feedback", stdout=StringIO())


def _results(browser, live_server, username, width=1280):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    watch = PageWatch(page, live_server.url)
    sign_in(page, username)
    return context, page, watch


def test_the_results_page_draws_its_charts_within_two_seconds_cold(
    demo_results, browser, live_server
):
    # A new browser context: nothing cached, plotly.js is fetched and compiled afresh.
    context, page, watch = _results(browser, live_server, "leader")
    page.goto("/feedback/results/", wait_until="commit")
    for figure in IN_VIEW:
        page.wait_for_selector(f'[data-figure="{figure}"] .main-svg')
    # From the first byte of the page (the server's time to build it is the load
    # benchmark's business) to the charts in view drawn.
    drawn = page.evaluate(
        "performance.now() - performance.getEntriesByType('navigation')[0].responseStart"
    )

    bundle = page.evaluate(
        "performance.getEntriesByType('resource').filter(r => r.name.includes('plotly'))"
        ".map(r => r.name)"
    )
    assert len(bundle) == 1
    assert "plotly-cartesian" in bundle[0]  # the partial bundle, not the 4.8 MB one

    # The rest draw as the reader scrolls: the teams' small multiples and leadership bars.
    charts = page.locator(".chart[data-figure]")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator(".main-svg").first.wait_for()
    # Where the direct team's upward feedback can be shown, its bars carry names.
    if page.locator('[data-figure="fig-characteristics"]').count():
        ticks = '[data-figure="fig-characteristics"] .ytick text'
        labels = page.locator(ticks).all_text_contents()
        assert labels
        assert not [label for label in labels if label.startswith("LC")]
    watch.assert_clean()
    context.close()
    if drawn >= 2000 and os.getloadavg()[0] > 2 * os.cpu_count():
        # Other processes hold the CPUs several times over: a timing says nothing then.
        pytest.skip(f"machine saturated (load {os.getloadavg()[0]:.0f}): drew in {drawn:.0f} ms")
    assert drawn < 2000, f"charts drew {drawn:.0f} ms after the page arrived"


def test_sorting_a_table_keeps_the_readers_place(demo_results, browser, live_server):
    context, page, watch = _results(browser, live_server, "leader")
    page.goto("/feedback/results/")
    page.evaluate("window.notReloaded = true")
    header = page.locator("#table-teams- th a", has_text="Engagement index")
    header.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 1500  # far down a long page

    with page.expect_response(lambda response: "teams-sort=" in response.url):
        header.click()
    page.wait_for_selector('#table-teams- th[aria-sort="ascending"]')
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no new page
    assert abs(page.evaluate("window.scrollY") - before) < 50
    assert "teams-sort=" in page.url  # the address says how it is sorted
    # The keyboard stays on the header that was used.
    assert page.evaluate("document.activeElement.textContent.trim()") == "Engagement index %"
    watch.assert_clean()
    context.close()


def test_on_a_phone_only_the_wide_table_scrolls_sideways(demo_results, browser, live_server):
    context, page, watch = _results(browser, live_server, "leader", width=390)
    page.goto("/feedback/results/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroller = page.locator("#table-teams- .table-scroll")
    assert scroller.evaluate("element => element.scrollWidth > element.clientWidth")
    # The team's name stays in view while the driver columns scroll past it.
    first_cell = page.locator("#table-teams- tbody tr td").first
    left = first_cell.bounding_box()["x"]
    scroller.evaluate("element => { element.scrollLeft = 400; }")
    assert abs(first_cell.bounding_box()["x"] - left) < 2
    watch.assert_clean()
    context.close()
