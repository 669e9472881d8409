"""Every main page, for every demo role, passes axe-core with no serious or critical
violation, and fits a 390 px phone without scrolling sideways, long unbroken words
included.

axe-core is the copy bundled with ``axe-playwright-python``, injected into the page by
the test (the product itself never loads it). The demo organisation is loaded once per
test, with a short survey history, so that each page shows what it shows people."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser.pages import PageWatch, sign_in

pytestmark = pytest.mark.browser

ROLES = ("employee", "manager", "leader", "admin")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING = ("serious", "critical")
LONG = 500
# One page of each kind: a meeting, a survey and a submission program; the session
# pages of each kind of gathering (1-on-1, team meeting, huddle, round table,
# skip-level, council, lunch & learn, inter-department) and of a survey window.
PROGRAM_PAGES = ("EE10", "EE3", "EE4")
SESSION_PAGES = ("EE10", "EE11", "EE12", "EE8", "EE9", "EE5", "EE15", "EE14", "EE3")


@pytest.fixture
def demo_world(transactional_db, monkeypatch):
    from feedback import demo as feedback_demo

    monkeypatch.setattr(feedback_demo, "MONTHS", 6)
    for command in ("load_demo", "plan_sessions", "load_demo_history", "load_demo_feedback"):
        call_command(command, stdout=StringIO(), verbosity=0)


def main_pages(username: str) -> list[tuple[str, str]]:
    """The pages a person of this role reaches from the navigation and their home page:
    one of each kind, a session page for each practice they take part in."""
    from engagement import access
    from engagement.models import Person
    from feedback import access as feedback_access
    from feedback import windows
    from meetings import access as meetings_access
    from scheduling import access as scheduling_access

    person = Person.objects.get(username=username)
    pages = [
        ("home", reverse("engagement:home")),
        ("people", reverse("engagement:person_list")),
        ("my person page", person.get_absolute_url()),
        ("practice catalog", reverse("engagement:practice_list")),
        ("practice page", reverse("engagement:practice_detail", args=["EE10"])),
        ("programs", reverse("engagement:program_list")),
        ("my actions", reverse("meetings:my_actions")),
        ("my week", reverse("meetings:my_week")),
        ("one-on-ones", reverse("meetings:one_on_ones")),
        ("surveys", reverse("feedback:my_surveys")),
        ("calendar", reverse("scheduling:my_calendar")),
        ("settings", reverse("scheduling:my_settings")),
    ]
    other = (
        access.people_directory(person).filter(manager=person).first()
        or access.people_directory(person).exclude(pk=person.pk).order_by("pk").first()
    )
    pages.append(("another person", other.get_absolute_url()))
    programs = {p.practice: p for p in access.programs_visible_to(person).order_by("-pk")}
    for code in PROGRAM_PAGES:
        if code in programs:
            pages.append((f"program {code}", programs[code].get_absolute_url()))
    if "EE3" in programs and access.can_edit_program(person, programs["EE3"]):
        pages.append(
            ("survey questions", reverse("feedback:survey_edit", args=[programs["EE3"].pk]))
        )
    if access.can_create_programs(person):
        pages.append(("program form", reverse("engagement:program_create", args=["EE10"])))
        program = access.programs_visible_to(person).filter(practice="EE12").first()
        if program is not None and access.can_edit_program(person, program):
            pages.append(("program edit", reverse("engagement:program_edit", args=[program.pk])))
    # A held session shows notes and outcomes, a coming one the agenda: take a held
    # one where there is one.
    sessions = {}
    for session in (
        scheduling_access.sessions_visible_to(person)
        .select_related("program")
        .order_by("-status", "starts_at")
    ):
        sessions.setdefault(session.program.practice, session)
    for code, session in sorted(sessions.items()):
        if code not in SESSION_PAGES:
            continue
        pages.append((f"session {code}", session.get_absolute_url()))
        if code == "EE12" and scheduling_access.can_manage_session(person, session):
            pages.append(("huddle", reverse("meetings:huddle", args=[session.pk])))
        if code == "EE10":
            pages.append(("1-on-1 history", reverse("meetings:series_history", args=[session.pk])))
        if code == "EE5":
            pages.append(("council", reverse("meetings:council", args=[session.program_id])))
            proposal = meetings_access.proposals_visible_to(person).first()
            if proposal is not None:
                pages.append(("proposal", reverse("meetings:proposal_detail", args=[proposal.pk])))
        if code == "EE15":
            pages.append(
                (
                    "lunch & learn topics",
                    reverse("meetings:learning_topics", args=[session.program_id]),
                )
            )
    invitation = next((i for i in windows.surveys_to_answer(person) if i.is_open), None)
    if invitation is not None:
        pages.append(("answer", reverse("feedback:answer", args=[invitation.session_id])))
    if feedback_access.has_results_home(person):
        pages.append(("results", reverse("feedback:results_home")))
        if person.direct_reports.exists():
            pages.append(("my team's results", reverse("feedback:results", args=[person.pk])))
    plan = feedback_access.action_plans_visible_to(person).first()
    if plan is not None:
        pages.append(("action plan", reverse("feedback:plan_detail", args=[plan.pk])))
    if person.is_senior_leader:
        pages.append(("skip-level coverage", reverse("meetings:skip_level_coverage")))
    if access.is_hr(person):
        pages.append(("admin index", reverse("admin:index")))
    return pages


PUBLIC_PAGES = (
    ("login", "/accounts/login/"),
    ("password reset", "/accounts/password/reset/"),
    ("not found", "/no-such-page/"),
)


def blocking_violations(axe, page) -> list[str]:
    """axe-core's serious and critical findings on the page, one readable block each."""
    results = axe.run(page).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = "\n".join(
            f"      {', '.join(map(str, node['target']))}: {node['html'][:200]}"
            for node in violation["nodes"][:5]
        )
        found.append(
            f"    {violation['impact']} {violation['id']}: {violation['help']}"
            f" ({len(violation['nodes'])} element(s), {violation['helpUrl']})\n{nodes}"
        )
    return found


def visit(page, url: str, *, status_ok: bool = True) -> None:
    response = page.goto(url)
    if status_ok:
        assert response.status < 400, f"{url} answered {response.status}"


def test_the_skip_link_and_the_focus_ring_show_for_a_keyboard_user(demo, page):
    sign_in(page, "manager")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    assert skip.bounding_box()["y"] >= 0
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def make_words_long() -> None:
    """A pasted link or a name with no spaces, as long as each text may be."""
    from engagement.models import Person, Program
    from meetings.models import ActionItem, Note, TalkingPoint

    word = "W" * LONG
    employee = Person.objects.get(username="employee")
    Person.objects.filter(pk=employee.pk).update(title="T" * 150)
    Program.objects.filter(practice="EE10").update(name="N" * 150)
    point = TalkingPoint.objects.order_by("pk").first()
    TalkingPoint.objects.filter(pk=point.pk).update(text="P" * 300)
    ActionItem.objects.filter(owner=employee).update(text="A" * 300)
    Note.objects.filter(session=point.raised_in, private=False).update(body=word)


def page_width_on_a_phone(page) -> int:
    """The document's width at a phone's width. A page drawn at desktop width is laid
    out again first; one still too wide (a chart keeps the width it was drawn at) is
    loaded again as a phone would load it."""
    page.set_viewport_size(PHONE)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        page.reload()
        width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    return width


def test_every_main_page_passes_axe_and_fits_a_phone(demo_world, browser, live_server):
    """One walk for both checks, so the demo is loaded once: each page is checked by
    axe-core at a desktop width, then laid out at 390 px, where the document must be no
    wider than the screen, with texts as long as each may be."""
    from axe_playwright_python.sync_playwright import Axe

    make_words_long()
    axe = Axe()
    violations, too_wide = [], []
    checked = 0
    for role in (None, *ROLES):
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
        page = context.new_page()
        watch = PageWatch(page, live_server.url)
        if role is None:
            pages, who = PUBLIC_PAGES, "signed out"
        else:
            sign_in(page, role)
            pages, who = main_pages(role), role
        for name, url in pages:
            visit(page, url, status_ok=name != "not found")
            checked += 1
            found = blocking_violations(axe, page)
            if found:
                violations.append(f"{who}, {name} ({url}):\n" + "\n".join(found))
            width = page_width_on_a_phone(page)
            if width > PHONE["width"]:
                too_wide.append(f"{who}, {name} ({url}): {width} px wide")
        assert watch.foreign_requests == []
        context.close()
    assert checked > 80
    assert not violations, "axe-core found serious or critical violations:\n\n" + "\n\n".join(
        violations
    )
    assert too_wide == [], "Pages wider than a 390 px phone:\n" + "\n".join(too_wide)


def test_on_a_phone_the_navigation_opens_from_one_button_without_javascript(
    demo, browser, live_server
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, "employee")
    assert page.get_by_role("navigation", name="Main").count() == 0
    menu = page.locator("summary", has_text="Menu")
    assert menu.is_visible()
    menu.click()
    navigation = page.get_by_role("navigation", name="Main")
    assert navigation.get_by_role("link", name="My actions").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    context.close()


def test_a_text_limit_shows_a_counter_and_the_form_says_what_is_too_long(demo, page):
    """Pasting past a limit is not cut by the browser: the counter says how much is too
    much, and the form comes back with the limit and what was typed."""
    from playwright.sync_api import expect

    from engagement.models import Person
    from scheduling.models import Session

    call_command("plan_sessions", verbosity=0)
    employee = Person.objects.get(username="employee")
    session = Session.objects.filter(
        program__practice="EE10", series=f"pair:{employee.manager_id}:{employee.pk}"
    ).earliest("starts_at")
    sign_in(page, "manager")
    page.goto(session.get_absolute_url())
    point = page.locator("#point-form input[name=text]")
    counter = page.locator("#point-form .counter")
    point.fill("p" * 100)
    assert not counter.is_visible()  # far from the limit: nothing to say
    point.fill("p" * 250)
    assert counter.inner_text() == "250 / 300 characters"
    point.fill("p" * 340)
    assert point.input_value() == "p" * 340  # not cut at 300
    assert counter.inner_text() == "340 / 300 characters: 40 too many"
    assert point.get_attribute("aria-invalid") == "true"
    page.locator("#point-form button[type=submit]").click()
    expect(page.locator("#point-form .errorlist")).to_contain_text(
        "At most 300 characters (you typed 340)."
    )
    assert page.locator("#point-form input[name=text]").input_value() == "p" * 340
