"""Creating, editing, pausing and resuming programs, and what bad input gets back."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from engagement import services
from engagement.models import AudienceKind, Program, ProgramStatus
from engagement.practices import PRACTICES, get_practice
from scheduling.planner import session_plan
from tests.factories import make_program


def _form_data(**overrides):
    data = {
        "name": "Lunch & learn: data literacy",
        "description": "Monthly talks by colleagues.",
        "audience_kind": "everyone",
        "cadence": "monthly",
        "custom_rrule": "",
        "time_zone": "Europe/Berlin",
        "starts_on": "2027-01-12",
        "start_time": "12:00",
        "ends_on": "",
        "duration_minutes": "60",
        "config_capacity": "25",
        "config_location": "Room 4.01",
        "config_reminder_lead_hours": "24",
    }
    data.update(overrides)
    return data


def _create(client, practice="EE15", **overrides):
    return client.post(
        reverse("engagement:program_create", args=[practice]), _form_data(**overrides)
    )


def test_hr_creates_a_program_with_the_practice_defaults_filled_in(client, org):
    client.force_login(org["hr"])
    page = client.get(reverse("engagement:program_create", args=["EE15"])).content.decode()
    assert 'name="config_capacity"' in page
    assert 'value="25"' in page  # the EE15 default capacity
    assert '<option value="monthly" selected>' in page
    # ISO dates, the only form a browser's date input accepts.
    assert f'name="starts_on" value="{timezone.localdate().isoformat()}"' in page

    response = _create(client, owner=str(org["hr"].pk))
    program = Program.objects.get()
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert program.practice == "EE15"
    assert program.rrule == "FREQ=MONTHLY"
    assert program.config == {"capacity": 25, "location": "Room 4.01", "reminder_lead_hours": 24}
    assert program.created_by == org["hr"]
    assert program.status == ProgramStatus.ACTIVE


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"cadence": "custom", "custom_rrule": "FREQ=SOMETIMES"},
            "custom_rrule",
            "not a valid RFC 5545 recurrence rule",
        ),
        ({"cadence": "custom", "custom_rrule": "BYDAY=MO"}, "custom_rrule", "needs a FREQ"),
        (
            {"cadence": "custom", "custom_rrule": "FREQ=HOURLY"},
            "custom_rrule",
            "at most once a day",
        ),
        ({"cadence": "custom", "custom_rrule": ""}, "custom_rrule", "Enter a rule"),
        (
            {"cadence": "custom", "custom_rrule": "FREQ=WEEKLY;UNTIL=20200101"},
            "custom_rrule",
            "never occurs within ten years of the start date",
        ),
        (
            {"cadence": "custom", "custom_rrule": "FREQ=WEEKLY;INTERVAL=0"},
            "custom_rrule",
            "INTERVAL must be a whole number of 1 or more",
        ),
        ({"ends_on": "2026-12-01"}, "ends_on", "The end date cannot be before the start date."),
        (
            {"cadence": "custom", "custom_rrule": "FREQ=DAILY;BYHOUR=0,6,12,18"},
            "custom_rrule",
            "Leave out BYHOUR",
        ),
        (
            {"cadence": "custom", "custom_rrule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
            "custom_rrule",
            "never occurs",
        ),
        ({"starts_on": "9999-12-31"}, "starts_on", "between 2000 and 2200"),
        ({"ends_on": "2201-01-01"}, "ends_on", "between 2000 and 2200"),
        (
            {"audience_kind": "people", "audience_people": "99999999999999999999"},
            "audience_people",
            "valid choice",
        ),
        ({"config_capacity": "0"}, "config_capacity", "greater than or equal to 1"),
        ({"config_capacity": "many"}, "config_capacity", "Enter a whole number"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "is not a time zone. Choose one"),
        ({"time_zone": ""}, "time_zone", "This field is required"),
        ({"starts_on": "31/31/2027"}, "starts_on", "Enter a valid date"),
        ({"duration_minutes": "0"}, "duration_minutes", "at least one minute"),
        ({"duration_minutes": "2000"}, "duration_minutes", "less than or equal to 1440"),
        ({"name": ""}, "name", "This field is required"),
        ({"audience_kind": "departments"}, "audience_departments", "at least one department"),
        ({"audience_kind": "team"}, "audience_manager", "whose team"),
        ({"audience_kind": "people"}, "audience_people", "at least one person"),
    ],
)
def test_bad_input_returns_the_form_with_the_message_beside_the_field(
    client, org, overrides, field, message
):
    client.force_login(org["hr"])
    response = _create(client, owner=str(org["hr"].pk), **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    # The message is rendered inside that field's block, and the typed input is kept.
    block = html.split(f'id="field-{field}"', 1)[1].split('<div class="field', 1)[0]
    assert "errorlist" in block
    assert Program.objects.count() == 0


def test_failed_edit_changes_nothing(client, org, team_program):
    client.force_login(org["manager"])
    url = reverse("engagement:program_edit", args=[team_program.pk])
    data = _form_data(
        name="Renamed",
        audience_kind="team",
        audience_manager=str(org["manager"].pk),
        cadence="custom",
        custom_rrule="FREQ=WEEKLY;BYDAY=XX",
        config_agenda_template="Only this",
        config_mood_checkin="on",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "custom_rrule" in response.context["form"].errors
    team_program.refresh_from_db()
    assert team_program.name == "Shift B 1-on-1s"
    assert team_program.rrule == "FREQ=WEEKLY;INTERVAL=2"


def test_edit_keeps_practice_and_saves_new_schedule(client, org, team_program):
    client.force_login(org["manager"])
    url = reverse("engagement:program_edit", args=[team_program.pk])
    page = client.get(url).content.decode()
    assert 'value="Shift B 1-on-1s"' in page
    data = _form_data(
        name="Weekly 1-on-1s",
        audience_kind="team",
        audience_manager=str(org["manager"].pk),
        cadence="custom",
        custom_rrule="rrule:freq=monthly;byday=-1fr",
        config_agenda_template="Wins\nBlockers",
        config_mood_checkin="on",
        config_reminder_lead_hours="2",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    team_program.refresh_from_db()
    assert team_program.practice == "EE10"
    assert team_program.name == "Weekly 1-on-1s"
    assert team_program.rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert team_program.config["agenda_template"] == "Wins\nBlockers"
    assert team_program.config["reminder_lead_hours"] == 2


def test_manager_creates_a_one_on_one_program_for_their_team(client, org):
    client.force_login(org["manager"])
    page = client.get(reverse("engagement:program_create", args=["EE10"])).content.decode()
    assert 'name="owner"' not in page  # a manager's programs are always their own
    assert str(org["outsider"]) not in page  # people outside the team are not offered
    response = client.post(
        reverse("engagement:program_create", args=["EE10"]),
        _form_data(
            name="Team 1-on-1s",
            audience_kind="team",
            audience_manager=str(org["manager"].pk),
            cadence="biweekly",
            duration_minutes="30",
            config_agenda_template="How are you?",
            config_mood_checkin="on",
        ),
    )
    assert response.status_code == 302
    program = Program.objects.get(name="Team 1-on-1s")
    assert program.owner == org["manager"]
    assert set(program.audience_members()) == {org["employee"], org["colleague"]}


@pytest.mark.parametrize(
    "overrides",
    [
        {"audience_kind": "team", "audience_manager": "sales_head"},
        {"audience_kind": "everyone"},
        {"audience_kind": "people", "audience_people": "outsider"},
    ],
)
def test_manager_cannot_create_programs_beyond_their_team(client, org, overrides):
    client.force_login(org["manager"])
    data = _form_data(duration_minutes="30", config_mood_checkin="on")
    for key, value in overrides.items():
        data[key] = str(org[value].pk) if value in org else value
    response = client.post(reverse("engagement:program_create", args=["EE10"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Program.objects.exists()


def test_service_refuses_scope_breach_and_saves_nothing(org):
    with pytest.raises(PermissionDenied):
        services.program_create(
            actor=org["manager"],
            practice="EE10",
            name="Sneaky",
            owner=org["manager"],
            starts_on=date(2027, 1, 4),
            time_zone="UTC",
            audience_kind=AudienceKind.PEOPLE,
            audience_people=[org["outsider"]],
        )
    assert not Program.objects.exists()


def test_service_rejects_bad_config_with_field_messages(org):
    with pytest.raises(ValidationError) as caught:
        services.program_create(
            actor=org["hr"],
            practice="EE3",
            name="Pulse",
            owner=org["hr"],
            starts_on=date(2027, 1, 4),
            time_zone="UTC",
            config={"min_group_size": 2},
        )
    assert "min_group_size" in " ".join(caught.value.message_dict["config"])
    assert not Program.objects.exists()


def test_pause_and_resume(client, org, team_program):
    client.force_login(org["manager"])
    client.post(reverse("engagement:program_pause", args=[team_program.pk]))
    team_program.refresh_from_db()
    assert team_program.status == ProgramStatus.PAUSED
    page = client.get(team_program.get_absolute_url()).content.decode()
    assert "Paused: no dates until it is resumed." in page
    assert "Resume" in page

    client.post(reverse("engagement:program_resume", args=[team_program.pk]))
    team_program.refresh_from_db()
    assert team_program.status == ProgramStatus.ACTIVE


def test_resuming_an_ended_program_says_why_not(client, org, team_program):
    team_program.status = ProgramStatus.ENDED
    team_program.save()
    client.force_login(org["hr"])
    response = client.post(
        reverse("engagement:program_resume", args=[team_program.pk]), follow=True
    )
    assert "cannot be resumed" in response.content.decode()


def test_programs_past_their_end_date_end(org):
    program = make_program(
        "EE11", owner=org["hr"], starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 30)
    )
    assert services.programs_end_finished(today=date(2025, 7, 1)) == 1
    program.refresh_from_db()
    assert program.status == ProgramStatus.ENDED
    assert services.programs_end_finished(today=date(2025, 7, 2)) == 0


def test_every_practice_has_valid_defaults_for_a_new_program(org):
    for practice in PRACTICES:
        program = make_program(practice.code, owner=org["hr"])
        assert program.config == practice.default_config()


def test_catalog_lists_all_seventeen_practices(client, org, team_program):
    client.force_login(org["employee"])
    html = client.get(reverse("engagement:practice_list")).content.decode()
    for practice in PRACTICES:
        assert f'id="{practice.code}"' in html
        assert practice.name.replace("&", "&amp;") in html
        assert practice.mechanism.label in html
    ee10_row = html.split('id="EE10"', 1)[1].split("</tr>", 1)[0]
    assert team_program.name in ee10_row


def test_next_dates_keep_local_time_across_daylight_saving(org):
    program = make_program(
        "EE11",
        owner=org["hr"],
        rrule="FREQ=WEEKLY",
        time_zone="Europe/Berlin",
        starts_on=date(2027, 3, 15),
        start_time=time(9, 0),
    )
    berlin = ZoneInfo("Europe/Berlin")
    starts = program.next_starts(after=datetime(2027, 3, 14, tzinfo=berlin), count=3)
    assert [s.astimezone(berlin).hour for s in starts] == [9, 9, 9]
    assert [s.astimezone(berlin).utcoffset().total_seconds() / 3600 for s in starts] == [1, 1, 2]


def test_practice_lookup_is_case_insensitive_and_rejects_unknown_codes():
    assert get_practice("ee10").code == "EE10"
    with pytest.raises(LookupError):
        get_practice("EE18")


def test_program_page_shows_next_dates_at_the_programs_local_time(client, org):
    program = make_program(
        "EE11",
        owner=org["hr"],
        rrule="FREQ=WEEKLY",
        time_zone="America/New_York",
        starts_on=date(2026, 1, 5),
        start_time=time(9, 30),
    )
    client.force_login(org["hr"])
    html = client.get(program.get_absolute_url()).content.decode()
    schedule = html.split('id="schedule"', 1)[1].split("</section>", 1)[0]
    assert schedule.count(", 09:30") == 5
    assert "Monday" in schedule


def test_saving_a_program_plans_its_sessions_at_once(
    client, org, django_capture_on_commit_callbacks
):
    client.force_login(org["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("engagement:program_create", args=["EE11"]),
            _form_data(
                name="Team meeting",
                audience_kind="team",
                audience_manager=str(org["manager"].pk),
                cadence="weekly",
                starts_on=timezone.localdate().isoformat(),
                duration_minutes="45",
                config_agenda_template="Actions",
            ),
        )
    program = Program.objects.get(name="Team meeting")
    assert program.sessions.count() >= 7  # eight weeks ahead, planned without waiting


def _team_one_on_ones(client, org, **overrides):
    """HR creates 1-on-1s for the manager's team through the form."""
    client.force_login(org["hr"])
    response = client.post(
        reverse("engagement:program_create", args=["EE10"]),
        _form_data(
            name="Shift B 1-on-1s",
            audience_kind="team",
            audience_manager=str(org["manager"].pk),
            cadence="biweekly",
            starts_on=timezone.localdate().isoformat(),
            duration_minutes="30",
            config_mood_checkin="on",
            **overrides,
        ),
    )
    assert response.status_code == 302
    program = Program.objects.get(name="Shift B 1-on-1s")
    session_plan(program=program)
    return program


def test_hr_creating_a_teams_1_on_1s_makes_the_manager_the_owner_and_sees_no_pairs(client, org):
    program = _team_one_on_ones(client, org)
    assert program.owner == org["manager"]
    pair = program.sessions.filter(participants__person=org["employee"]).first()
    assert pair is not None
    client.force_login(org["hr"])
    assert client.get(pair.get_absolute_url()).status_code == 404
    page = client.get(program.get_absolute_url()).content.decode()
    assert escape(pair.title) not in page
    client.force_login(org["manager"])
    assert client.get(pair.get_absolute_url()).status_code == 200


def test_hr_may_still_name_an_owner_who_then_sees_when_the_pairs_meet(client, org):
    program = _team_one_on_ones(client, org, owner=str(org["hr"].pk))
    assert program.owner == org["hr"]
    pair = program.sessions.filter(participants__person=org["employee"]).first()
    client.force_login(org["hr"])
    page = client.get(pair.get_absolute_url()).content.decode()
    assert escape(pair.title) in page
    assert escape(pair.title) in client.get(program.get_absolute_url()).content.decode()
    client.post(reverse("meetings:point_add", args=[pair.pk]), {"text": "From HR"})
    assert not pair.talking_points.exists()  # the when, never the what


def test_the_program_form_says_what_an_owner_sees(client, org):
    client.force_login(org["hr"])
    page = client.get(reverse("engagement:program_create", args=["EE10"])).content.decode()
    owner = page.split('id="field-owner"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "The team&#x27;s manager (for a team&#x27;s program), otherwise you" in owner
    assert "private 1-on-1s and skip-levels" in owner
    assert "never their notes, talking points, actions or answers" in owner
    assert "selected>The team" in owner  # nobody chosen yet: the default applies


def test_a_program_for_everyone_without_an_owner_is_owned_by_its_creator(client, org):
    client.force_login(org["hr"])
    response = _create(client, owner="")
    assert response.status_code == 302
    assert Program.objects.get().owner == org["hr"]


def test_editing_a_program_keeps_its_owner_unless_changed(client, org, team_program):
    client.force_login(org["hr"])
    data = _form_data(
        name=team_program.name,
        audience_kind="team",
        audience_manager=str(org["manager"].pk),
        owner=str(org["leader"].pk),
        duration_minutes="30",
        config_mood_checkin="on",
    )
    client.post(reverse("engagement:program_edit", args=[team_program.pk]), data)
    team_program.refresh_from_db()
    assert team_program.owner == org["leader"]
    client.post(reverse("engagement:program_edit", args=[team_program.pk]), {**data, "owner": ""})
    team_program.refresh_from_db()
    assert team_program.owner == org["manager"]


def test_programs_are_listed_by_practice_number_not_as_text(client, org):
    """EE2 comes before EE10 (as text "EE10" sorts before "EE2"), on home, on a person's
    page and in the programs table, which sorts both ways."""
    from engagement import selectors
    from engagement.models import Program
    from tests.factories import make_program

    employee = org["employee"]
    for code in ("EE10", "EE2", "EE13", "EE1"):
        make_program(code, owner=org["hr"], name=f"Program {code}")
    wanted = ["EE1", "EE2", "EE10", "EE13"]

    part_of = [p.practice for p in selectors.programs_part_of(employee)]
    assert [code for code in part_of if code in wanted] == wanted
    on_page = [p.practice for p in selectors.programs_of(employee, viewer=org["hr"])]
    assert [code for code in on_page if code in wanted] == wanted
    ordered = [p.practice for p in Program.objects.filter(practice__in=wanted).in_practice_order()]
    assert ordered == wanted
    descending = Program.objects.filter(practice__in=wanted).in_practice_order(descending=True)
    assert [p.practice for p in descending] == wanted[::-1]

    client.force_login(org["hr"])
    page = client.get(reverse("engagement:program_list"), {"sort": "practice"})
    assert page.status_code == 200
    text = page.content.decode()
    positions = [text.index(f"Program {code}") for code in wanted]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("rrule", "starts_on", "said"),
    [
        ("FREQ=WEEKLY;INTERVAL=2", date(2026, 12, 1), "Every two weeks on Tuesday at 13:30"),
        ("FREQ=WEEKLY", date(2026, 12, 7), "Weekly on Monday at 13:30"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", date(2026, 12, 1), "Daily on workdays at 13:30"),
        ("FREQ=MONTHLY;BYDAY=-1TH", date(2026, 12, 1), "Monthly on the last Thursday at 13:30"),
        ("FREQ=MONTHLY", date(2026, 12, 15), "Monthly on day 15 at 13:30"),
        ("", date(2026, 12, 1), "Once, on Tuesday 1 December 2026 at 13:30"),
    ],
)
def test_a_schedule_reads_in_words_with_its_day_and_time(org, rrule, starts_on, said):
    from tests.factories import make_program

    program = make_program(
        "EE10", owner=org["manager"], rrule=rrule, starts_on=starts_on, start_time=time(13, 30)
    )
    assert program.schedule_in_words == said


def test_only_those_who_change_a_program_see_its_raw_rule(client, org, team_program):
    """Employees read the schedule in words; the RFC 5545 rule is for its editors."""
    url = team_program.get_absolute_url()
    client.force_login(org["employee"])
    page = client.get(url)
    assert page.status_code == 200
    assert team_program.schedule_in_words in page.content.decode()
    assert team_program.rrule not in page.content.decode()
    client.force_login(org["manager"])
    page = client.get(url)
    assert page.status_code == 200
    assert team_program.rrule in page.content.decode()


@pytest.mark.parametrize("change", ["program_pause", "program_resume"])
def test_pausing_and_resuming_refuse_someone_who_may_not_change_the_program(
    org, team_program, change
):
    """The services ask access themselves, whoever calls them (not only the view)."""
    from engagement import services
    from engagement.models import ProgramStatus

    if change == "program_resume":
        services.program_pause(actor=org["manager"], program=team_program)
    before = team_program.status
    with pytest.raises(PermissionDenied):
        getattr(services, change)(actor=org["employee"], program=team_program)
    team_program.refresh_from_db()
    assert team_program.status == before
    getattr(services, change)(actor=org["manager"], program=team_program)
    team_program.refresh_from_db()
    expected = ProgramStatus.ACTIVE if change == "program_resume" else ProgramStatus.PAUSED
    assert team_program.status == expected


# The time zone ---------------------------------------------------------------------


def test_a_new_programs_time_zone_is_the_organisations_unless_the_person_chose_one(client, org):
    from engagement.models import Organisation

    Organisation.objects.create(country="GB", subdivision="ENG", time_zone="Europe/London")
    client.force_login(org["hr"])
    page = client.get(reverse("engagement:program_create", args=["EE10"])).content.decode()
    assert '<option value="Europe/London" selected>' in page
    assert '<option value="America/New_York">' in page  # a searchable list of IANA zones
    assert 'data-search="zone"' in page

    org["hr"].time_zone = "Asia/Tokyo"
    org["hr"].save()
    page = client.get(reverse("engagement:program_create", args=["EE10"])).content.decode()
    assert '<option value="Asia/Tokyo" selected>' in page


def test_a_zone_outside_the_regions_stays_offered_to_a_program_that_has_it(client, org):
    program = make_program("EE15", owner=org["hr"], time_zone="US/Eastern")
    client.force_login(org["hr"])
    page = client.get(reverse("engagement:program_edit", args=[program.pk])).content.decode()
    assert '<option value="US/Eastern" selected>' in page
    response = _create(client, owner=str(org["hr"].pk), time_zone="Etc/GMT+5")
    assert response.status_code == 302
    assert Program.objects.get(name="Lunch & learn: data literacy").time_zone == "Etc/GMT+5"
