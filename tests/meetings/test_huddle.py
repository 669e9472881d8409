"""The daily WHY huddle (EE12): one phone screen, three taps or fewer per person."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import AudienceKind
from meetings.models import DailyWhy, MoodCheckIn
from scheduling.models import Session
from scheduling.planner import session_plan
from tests.factories import make_program


@pytest.fixture
def huddle(org):
    program = make_program(
        "EE12",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        starts_on=timezone.localdate(),
    )
    session_plan(program=program)
    session = Session.objects.filter(program=program).earliest("starts_at")
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    session.refresh_from_db()
    return session


def test_the_supervisor_records_why_attendance_and_moods_in_one_go(client, org, huddle):
    client.force_login(org["manager"])
    url = reverse("meetings:huddle", args=[huddle.pk])
    page = client.get(url).content.decode()
    # Everyone starts as present: marking attendance is zero taps, a mood one.
    assert f'name="present_{org["employee"].pk}" value="1" checked' in page
    response = client.post(
        url,
        {
            "why": "The hospital order ships today",
            "focus": "Pick accuracy",
            f"present_{org['employee'].pk}": "1",
            f"mood_{org['employee'].pk}": "4",
        },
    )
    assert response.status_code == 302
    huddle.refresh_from_db()
    assert huddle.status == "held"
    assert DailyWhy.objects.get(session=huddle).why == "The hospital order ships today"
    attended = dict(huddle.participants.values_list("person__username", "attended"))
    assert attended["employee"] is True
    assert attended["colleague"] is False
    assert list(MoodCheckIn.objects.values_list("person__username", "mood")) == [("employee", 4)]
    client.force_login(org["employee"])
    assert (
        "The hospital order ships today" in client.get(huddle.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"why": "   "}, "why today&#x27;s work matters"),
        ({"why": "Ship", "mood_X": "9"}, "Moods go from 1 to 5"),
        ({"why": "Ship\x00it"}, "Null characters are not allowed"),
        ({"why": "Ship", "focus": "Pick\x00"}, "Null characters are not allowed"),
        ({"why": "W" * 501}, "At most 500 characters (you typed 501)"),
    ],
)
def test_bad_huddle_input_keeps_the_form(client, org, huddle, data, message):
    data = {k.replace("X", str(org["employee"].pk)): v for k, v in data.items()}
    client.force_login(org["manager"])
    response = client.post(reverse("meetings:huddle", args=[huddle.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DailyWhy.objects.exists()


def test_only_the_supervisor_runs_the_huddle(client, org, huddle):
    client.force_login(org["employee"])
    assert client.get(reverse("meetings:huddle", args=[huddle.pk])).status_code == 403


def test_the_host_is_recorded_there_and_an_absent_persons_mood_left_out(client, org, huddle):
    client.force_login(org["manager"])
    response = client.post(
        reverse("meetings:huddle", args=[huddle.pk]),
        {
            "why": "Ship it",
            f"present_{org['employee'].pk}": "1",
            f"mood_{org['employee'].pk}": "5",
            f"present_{org['colleague'].pk}": "false",
            f"mood_{org['colleague'].pk}": "2",  # tapped, then marked absent (no script)
        },
    )
    assert response.status_code == 302
    attended = dict(huddle.participants.values_list("person__username", "attended"))
    assert attended == {"manager": True, "employee": True, "colleague": False}
    assert list(MoodCheckIn.objects.values_list("person__username", "mood")) == [("employee", 5)]
    page = client.get(reverse("meetings:huddle", args=[huddle.pk])).content.decode()
    colleague = page.split(f'id="present_{org["colleague"].pk}_here"', 1)[1].split("</div>", 1)[0]
    assert f'id="present_{org["colleague"].pk}_absent" name="present_' in colleague
    assert 'value="false" checked' in colleague  # reads as absent
    assert colleague.count(" disabled data-mood>") == 5  # and cannot be given a mood


def test_a_huddle_saved_earlier_on_its_day_counts_as_held(client, org, huddle):
    now = timezone.localtime(timezone.now(), huddle.program.zone)
    later = now.replace(hour=23, minute=59)
    if later <= now + timedelta(minutes=1):
        pytest.skip("too close to midnight for a later start today")
    Session.objects.filter(pk=huddle.pk).update(starts_at=later, ends_at=later)
    client.force_login(org["manager"])
    client.post(reverse("meetings:huddle", args=[huddle.pk]), {"why": "Early start"})
    huddle.refresh_from_db()
    assert huddle.status == "held"


def test_a_huddle_saved_the_day_before_stays_planned(client, org, huddle):
    tomorrow = timezone.now() + timedelta(days=1, hours=1)
    Session.objects.filter(pk=huddle.pk).update(starts_at=tomorrow, ends_at=tomorrow)
    client.force_login(org["manager"])
    response = client.post(
        reverse("meetings:huddle", args=[huddle.pk]), {"why": "Prepared"}, follow=True
    )
    assert "Save the huddle again on its day" in response.content.decode()
    huddle.refresh_from_db()
    assert huddle.status == "scheduled"
    assert not huddle.participants.filter(attended__isnull=False).exists()
    page = client.get(reverse("meetings:huddle", args=[huddle.pk])).content.decode()
    assert "who is there and their moods are recorded on the day" in page
    assert DailyWhy.objects.get(session=huddle).why == "Prepared"


def test_a_refused_huddle_keeps_what_was_tapped(client, org, huddle):
    client.force_login(org["manager"])
    response = client.post(
        reverse("meetings:huddle", args=[huddle.pk]),
        {
            "why": "",
            "focus": "Dock 4",
            f"present_{org['employee'].pk}": "1",
            f"mood_{org['employee'].pk}": "3",
            f"present_{org['colleague'].pk}": "false",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'name="mood_{org["employee"].pk}" value="3" checked' in page
    assert f'name="present_{org["colleague"].pk}" value="false" checked' in page
    assert "Dock 4</textarea>" in page


def test_the_help_comes_before_the_team(client, org, huddle):
    client.force_login(org["manager"])
    page = client.get(reverse("meetings:huddle", args=[huddle.pk])).content.decode()
    assert page.index('id="team-help"') < page.index('class="huddle-row')
