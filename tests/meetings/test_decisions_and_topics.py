"""EE11 decisions, EE15 topic proposals and presenters, EE14 shared actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import AudienceKind
from meetings.models import ActionItem, Decision, LearningTopic, LearningTopicVote
from scheduling.models import Participant
from tests.factories import make_program, make_session, page_of


@pytest.fixture
def team_meeting(org):
    program = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    return make_session(
        program,
        [(org["manager"], "host"), (org["employee"], "attendee"), (org["colleague"], "attendee")],
        series=f"team:{org['manager'].pk}",
    )


def test_a_team_meeting_records_decisions_that_stay_in_its_history(client, org, team_meeting):
    client.force_login(org["employee"])
    url = reverse("meetings:decision_add", args=[team_meeting.pk])
    client.post(url, {"text": "Rotate the Friday late shift"})
    decision = Decision.objects.get()
    assert (decision.recorded_by, decision.session) == (org["employee"], team_meeting)
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    assert Decision.objects.count() == 1
    client.force_login(org["colleague"])
    history = client.get(
        reverse("meetings:series_history", args=[team_meeting.pk])
    ).content.decode()
    assert "Rotate the Friday late shift" in history


def test_outsiders_cannot_record_decisions(client, org, team_meeting):
    client.force_login(org["outsider"])
    response = client.post(
        reverse("meetings:decision_add", args=[team_meeting.pk]), {"text": "Sneaky"}
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_a_1_on_1_has_no_decisions_section(client, org, team_program):
    session = make_session(
        team_program,
        [(org["manager"], "host"), (org["employee"], "attendee")],
        series=f"pair:{org['manager'].pk}:{org['employee'].pk}",
    )
    client.force_login(org["manager"])
    assert 'id="decisions"' not in page_of(client.get(session.get_absolute_url()))
    response = client.post(reverse("meetings:decision_add", args=[session.pk]), {"text": "X"})
    assert response.status_code == 400
    assert not Decision.objects.exists()


@pytest.fixture
def lunch_and_learn(org):
    return make_program("EE15", owner=org["hr"], name="Lunch & learn")


def test_topics_are_proposed_voted_once_and_most_wanted_first(client, org, lunch_and_learn):
    url = reverse("meetings:learning_topic_propose", args=[lunch_and_learn.pk])
    client.force_login(org["employee"])
    client.post(url, {"title": "Excel pivot tables"})
    client.post(url, {"title": "Negotiation basics"})
    negotiation = LearningTopic.objects.get(title="Negotiation basics")
    vote = reverse("meetings:learning_topic_vote", args=[lunch_and_learn.pk, negotiation.pk])
    client.force_login(org["colleague"])
    client.post(vote)
    again = client.post(vote, follow=True).content.decode()
    assert "already voted" in again
    assert LearningTopicVote.objects.count() == 1
    page = client.get(
        reverse("meetings:learning_topics", args=[lunch_and_learn.pk])
    ).content.decode()
    assert page.index("Negotiation basics") < page.index("Excel pivot tables")
    too_long = client.post(url, {"title": "x" * 151})
    assert too_long.status_code == 400
    assert LearningTopic.objects.count() == 2


def test_the_host_schedules_a_topic_with_its_presenter(client, org, lunch_and_learn):
    topic = LearningTopic.objects.create(
        program=lunch_and_learn, proposed_by=org["employee"], title="Excel pivot tables"
    )
    session = make_session(lunch_and_learn, [(org["hr"], "host")], hours_from_now=48)
    url = reverse("meetings:learning_topic_schedule", args=[lunch_and_learn.pk])
    client.force_login(org["employee"])  # not the host
    mine = {"topic": topic.pk, "session": session.pk, "presenter": org["employee"].pk}
    assert client.post(url, mine).status_code == 403
    client.force_login(org["hr"])
    client.post(url, {"topic": topic.pk, "session": session.pk, "presenter": org["colleague"].pk})
    topic.refresh_from_db()
    assert (topic.session, topic.presenter) == (session, org["colleague"])
    presenter = Participant.objects.get(session=session, person=org["colleague"])
    assert (presenter.role, presenter.signup) == ("presenter", "")
    client.force_login(org["employee"])
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Excel pivot tables" in page
    assert "presented by" in page

    other = LearningTopic.objects.create(
        program=lunch_and_learn, proposed_by=org["employee"], title="Y"
    )
    client.force_login(org["hr"])
    taken = client.post(
        reverse("meetings:learning_topic_schedule", args=[lunch_and_learn.pk]),
        {"topic": other.pk, "session": session.pk, "presenter": org["employee"].pk},
    )
    assert taken.status_code == 400
    assert "already covers" in taken.content.decode()


def test_a_past_session_cannot_be_given_a_topic(client, org, lunch_and_learn):
    topic = LearningTopic.objects.create(
        program=lunch_and_learn, proposed_by=org["employee"], title="T"
    )
    past = make_session(lunch_and_learn, [(org["hr"], "host")], hours_from_now=-48)
    client.force_login(org["hr"])
    response = client.post(
        reverse("meetings:learning_topic_schedule", args=[lunch_and_learn.pk]),
        {"topic": topic.pk, "session": past.pk, "presenter": org["employee"].pk},
    )
    assert response.status_code == 400
    topic.refresh_from_db()
    assert topic.session is None


def test_outsiders_do_not_see_or_propose_lunch_and_learn_topics(client, org):
    program = make_program(
        "EE15",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    client.force_login(org["outsider"])
    assert client.get(reverse("meetings:learning_topics", args=[program.pk])).status_code == 404
    client.post(reverse("meetings:learning_topic_propose", args=[program.pk]), {"title": "X"})
    assert not LearningTopic.objects.exists()


@pytest.fixture
def inter_department(org):
    operations, sales = org["departments"]["operations"], org["departments"]["sales"]
    program = make_program("EE14", owner=org["leader"], audience_kind=AudienceKind.DEPARTMENTS)
    program.audience_departments.set([operations, sales])
    return make_session(
        program,
        [(org["leader"], "host"), (org["manager"], "attendee"), (org["sales_head"], "attendee")],
        hours_from_now=-1,
    )


def test_a_shared_action_has_owners_in_two_departments(client, org, inter_department):
    client.force_login(org["manager"])
    url = reverse("meetings:action_add", args=[inter_department.pk])
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    same = client.post(
        url,
        {
            "text": "Fix hand-off",
            "owner": org["manager"].pk,
            "partner": org["leader"].pk,
            "due_on": due,
        },
    )
    assert same.status_code == 400
    assert "department other than" in same.content.decode()
    missing = client.post(url, {"text": "Fix hand-off", "owner": org["manager"].pk, "due_on": due})
    assert missing.status_code == 400
    assert not ActionItem.objects.exists()
    client.post(
        url,
        {
            "text": "Fix hand-off",
            "owner": org["manager"].pk,
            "partner": org["sales_head"].pk,
            "due_on": due,
        },
    )
    item = ActionItem.objects.get()
    assert (item.owner, item.partner) == (org["manager"], org["sales_head"])

    client.force_login(org["sales_head"])
    mine = client.get(reverse("meetings:my_actions")).content.decode()
    assert "Fix hand-off" in mine
    assert "shared with" in mine
    client.post(reverse("meetings:action_toggle", args=[item.pk]))
    item.refresh_from_db()
    assert item.done_at is not None


def test_the_host_presenting_stays_host_and_a_presenters_seat_goes_to_the_waitlist(
    client, org, lunch_and_learn
):
    session = make_session(lunch_and_learn, [(org["hr"], "host")], hours_from_now=48, capacity=1)
    Participant.objects.create(
        session=session, person=org["employee"], role="attendee", signup="confirmed"
    )
    Participant.objects.create(
        session=session,
        person=org["colleague"],
        role="attendee",
        signup="waitlisted",
        signed_up_at=timezone.now(),
    )
    first = LearningTopic.objects.create(program=lunch_and_learn, proposed_by=org["hr"], title="A")
    url = reverse("meetings:learning_topic_schedule", args=[lunch_and_learn.pk])
    client.force_login(org["hr"])
    client.post(url, {"topic": first.pk, "session": session.pk, "presenter": org["employee"].pk})
    places = dict(
        Participant.objects.filter(session=session).values_list("person__username", "signup")
    )
    roles = dict(
        Participant.objects.filter(session=session).values_list("person__username", "role")
    )
    assert places == {"hr": "", "employee": "", "colleague": "confirmed"}
    assert roles == {"hr": "host", "employee": "presenter", "colleague": "attendee"}

    later = make_session(lunch_and_learn, [(org["hr"], "host")], hours_from_now=24 * 30)
    client.post(url, {"topic": first.pk, "session": later.pk, "presenter": org["hr"].pk})
    assert not Participant.objects.filter(session=session, role="presenter").exists()
    assert Participant.objects.get(session=later, person=org["hr"]).role == "host"


def test_one_scheduling_form_whatever_the_number_of_topics(
    client, org, lunch_and_learn, django_assert_max_num_queries
):
    make_session(lunch_and_learn, [(org["hr"], "host")], hours_from_now=48)
    LearningTopic.objects.bulk_create(
        [
            LearningTopic(program=lunch_and_learn, proposed_by=org["employee"], title=f"T{i}")
            for i in range(25)
        ]
    )
    client.force_login(org["hr"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("meetings:learning_topics", args=[lunch_and_learn.pk]))
    assert page.content.decode().count('name="presenter"') == 1
