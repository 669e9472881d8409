"""The home page's today list: what needs the person today, then what is coming up, with
a program's recurring meetings folded into one line, for each role."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from engagement.extensions import TodayItem
from engagement.models import AudienceKind
from engagement.today import Folded, fold, today_list
from meetings.models import ActionItem
from tests.factories import make_program, make_session, page_of


def _item(title, *, kind="meeting", days=1, series="", overdue=False):
    return TodayItem(
        kind=kind,
        title=title,
        url=f"/{title}/",
        when=timezone.now() + timedelta(days=days),
        overdue=overdue,
        series=series,
        recurring=f"{series} recurring" if series else "",
    )


def _section(html: str, ident: str) -> str:
    return html.split(f'id="{ident}"', 1)[1].split("</section>", 1)[0]


def test_a_series_seen_twice_folds_into_one_line_where_its_first_was():
    items = [
        _item("Huddle Mon", series="p1", days=1),
        _item("Team meeting", days=1),
        _item("Huddle Tue", series="p1", days=2),
        _item("Lone 1-on-1", series="p2", days=3),
        _item("Huddle Wed", series="p1", days=3),
    ]
    lines = fold(items)
    assert [getattr(line, "title", None) for line in lines] == [
        "p1 recurring",
        "Team meeting",
        "Lone 1-on-1",  # once only: it stays a line of its own
    ]
    folded = lines[0]
    assert isinstance(folded, Folded)
    assert folded.count == 3
    assert folded.next.title == "Huddle Mon"
    assert folded.url == "/Huddle Mon/"


def test_things_to_do_need_you_today_and_later_meetings_are_coming_up(org, monkeypatch):
    now = timezone.now()
    items = [
        _item("Survey", kind="survey", days=9),
        _item("Late action", kind="action", days=-2, overdue=True),
        _item("Meeting tomorrow", days=1),
        _item("Meeting now", days=0),
    ]
    monkeypatch.setattr("engagement.extensions.registry.today_sources", [lambda p, n: items])
    listed = today_list(org["employee"], now)
    assert [i.title for i in listed.needs] == ["Late action", "Meeting now", "Survey"]
    assert [i.title for i in listed.coming] == ["Meeting tomorrow"]
    assert listed.overdue == 1


def _team_meetings(org):
    """The manager's huddles on the next three days, and one 1-on-1 with the employee."""
    manager, employee = org["manager"], org["employee"]
    huddles = make_program(
        "EE12",
        owner=manager,
        name="Daily WHY huddle",
        rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        start_time=datetime(2026, 1, 1, 7, 45).time(),
        audience_kind=AudienceKind.TEAM,
        audience_manager=manager,
    )
    team = [(manager, "host"), (employee, "attendee"), (org["colleague"], "attendee")]
    for day in (1, 2, 3):
        make_session(huddles, team, hours_from_now=24 * day, series=f"team:{manager.pk}")
    one_on_ones = make_program(
        "EE10", owner=manager, audience_kind=AudienceKind.TEAM, audience_manager=manager
    )
    pair = make_session(
        one_on_ones,
        [(manager, "host"), (employee, "attendee")],
        hours_from_now=30,
        series=f"pair:{manager.pk}:{employee.pk}",
    )
    past = make_session(
        one_on_ones,
        [(manager, "host"), (employee, "attendee")],
        hours_from_now=-24 * 7,
        series=f"pair:{manager.pk}:{employee.pk}",
        status="held",
    )
    return huddles, pair, past


def test_the_managers_home_shows_her_overdue_action_and_her_1_on_1s(client, org):
    huddles, pair, past = _team_meetings(org)
    ActionItem.objects.create(
        program=pair.program,
        series=pair.series,
        raised_in=past,
        owner=org["manager"],
        created_by=org["manager"],
        text="Confirm the December rota",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(org["manager"])
    html = page_of(client.get("/"))
    needs = _section(html, "needs-you")
    assert "Confirm the December rota" in needs
    assert "Overdue" in needs
    coming = html.split('id="coming-up"', 1)[1].split("</section>", 1)[0]
    assert pair.get_absolute_url() in coming  # the 1-on-1
    # Three huddles, one line: "Daily WHY huddle, weekly on ... at 07:45", 3 of them.
    assert coming.count("Daily WHY huddle") == 1
    assert "3 in the coming week" in coming
    # Starting a program is a link beside the greeting, no longer the page's main button.
    head = html.split('class="pagehead"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'id="start-program"' in head
    assert 'class="button" href="/practices/"' not in html


def test_the_employees_home_shows_their_open_action_and_pending_feedback(client, org):
    from feedback import services as feedback_services

    huddles, pair, past = _team_meetings(org)
    feedback_services.form_create(actor=org["hr"], program=pair.program)
    ActionItem.objects.create(
        program=pair.program,
        series=pair.series,
        raised_in=past,
        owner=org["employee"],
        created_by=org["manager"],
        text="Book the forklift refresher course",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(org["employee"])
    needs = _section(page_of(client.get("/")), "needs-you")
    assert "Book the forklift refresher course" in needs
    assert reverse("feedback:answer", args=[past.pk]) in needs
    assert "Overdue" not in needs


def test_someone_with_nothing_to_do_is_told_where_to_look(client, org):
    client.force_login(org["outsider"])
    html = page_of(client.get("/"))
    assert "Nothing needs you today." in _section(html, "needs-you")
    assert reverse("scheduling:my_calendar") in _section(html, "needs-you")
    assert "No meetings in the coming week." in html


def test_a_manager_without_1_on_1s_is_told_to_start_them_from_the_empty_list(client, org):
    client.force_login(org["manager"])
    needs = _section(page_of(client.get("/")), "needs-you")
    assert reverse("engagement:program_create", args=["EE10"]) in needs


def test_the_leaders_home_lists_the_managers_below_with_links_to_their_results(client, org):
    client.force_login(org["leader"])
    html = page_of(client.get("/"))
    table = html.split('id="managers-below"', 1)[1].split("</table>", 1)[0]
    assert str(org["manager"].get_full_name()) in table
    assert reverse("feedback:results", args=[org["manager"].pk]) in table
    assert "1-on-1s held" in table
    assert "Action items closed" in table
    client.force_login(org["employee"])
    assert 'id="managers-below"' not in page_of(client.get("/"))


def test_hrs_home_links_the_whole_organisations_results(client, org):
    client.force_login(org["hr"])
    overview = _section(page_of(client.get("/")), "hr-overview")
    assert reverse("feedback:results_home") in overview
    assert "Results for the whole organisation" in overview
    client.force_login(org["manager"])
    assert "Results for the whole organisation" not in page_of(client.get("/"))
