"""Round tables: topics raised beforehand, anonymous ones untraceable, votes, summary."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Summary, Topic, TopicVote
from scheduling.models import Session
from scheduling.planner import session_plan
from tests.factories import make_program_below, page_of


@pytest.fixture
def round_table(org):
    program = make_program_below(
        "EE8",
        org["leader"],
        config={
            "group_size": 3,
            "anonymous_topics": True,
            "agenda_template": "",
            "reminder_lead_hours": 24,
        },
    )
    session_plan(program=program)
    return Session.objects.filter(program=program).earliest("starts_at")


def _invitee(round_table):
    return round_table.participants.filter(role="attendee").first().person


def test_an_anonymous_topic_keeps_no_trace_of_its_author(client, org, round_table):
    invitee = _invitee(round_table)
    client.force_login(invitee)
    client.post(
        reverse("meetings:topic_raise", args=[round_table.pk]),
        {"text": "Why was the bonus scheme changed?", "anonymous": "on"},
    )
    topic = Topic.objects.get()
    assert topic.author is None
    assert not hasattr(topic, "created_at")  # only the day it was raised
    assert topic.raised_on == timezone.localdate()
    for viewer in (org["leader"], invitee):
        client.force_login(viewer)
        page = client.get(round_table.get_absolute_url()).content.decode()
        topics = page.split('id="topics"', 1)[1].split("</section>", 1)[0]
        assert "Why was the bonus scheme changed?" in topics
        assert str(invitee) not in topics
        assert "anonymous" in topics
    client.force_login(org["hr"])  # HR is not in the round table: no topics at all
    assert "Why was the bonus scheme changed?" not in page_of(
        client.get(round_table.get_absolute_url())
    )


def test_a_named_topic_shows_its_author_and_votes_count_once(client, org, round_table):
    invitee = _invitee(round_table)
    client.force_login(invitee)
    client.post(reverse("meetings:topic_raise", args=[round_table.pk]), {"text": "Parking"})
    topic = Topic.objects.get()
    assert topic.author == invitee
    url = reverse("meetings:topic_vote", args=[round_table.pk, topic.pk])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "You have already voted for this topic." in page
    assert TopicVote.objects.count() == 1
    client.force_login(org["leader"])
    page = client.get(round_table.get_absolute_url()).content.decode()
    assert f"{invitee} · 1 vote" in page


def test_an_over_long_topic_gets_the_form_back(client, org, round_table):
    client.force_login(_invitee(round_table))
    response = client.post(
        reverse("meetings:topic_raise", args=[round_table.pk]), {"text": "z" * 301}
    )
    assert response.status_code == 400
    assert "At most 300 characters (you typed 301)" in response.content.decode()
    assert not Topic.objects.exists()


def test_people_not_invited_cannot_raise_topics(client, org, round_table):
    client.force_login(org["outsider"])
    response = client.post(reverse("meetings:topic_raise", args=[round_table.pk]), {"text": "x"})
    assert response.status_code == 404
    assert not Topic.objects.exists()


def test_the_leader_answers_and_publishes_a_summary_to_invitees_and_audience(
    client, org, round_table, django_capture_on_commit_callbacks
):
    invitee = _invitee(round_table)
    client.force_login(invitee)
    client.post(
        reverse("meetings:topic_raise", args=[round_table.pk]),
        {"text": "Night shift pay", "anonymous": "on"},
    )
    topic = Topic.objects.get()
    client.force_login(org["leader"])
    client.post(
        reverse("meetings:topic_answer", args=[round_table.pk, topic.pk]),
        {"answer": "Reviewed in January"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("meetings:summary_publish", args=[round_table.pk]),
            {"body": "We discussed night shift pay."},
        )
    assert Summary.objects.get().published_by == org["leader"]
    recipients = {address for message in mail.outbox for address in message.to}
    assert invitee.email in recipients
    assert org["colleague"].email in recipients  # the audience, not only the invitees
    assert all(str(invitee) not in message.body for message in mail.outbox)
    client.force_login(org["colleague"])
    page = client.get(round_table.get_absolute_url()).content.decode()
    assert "We discussed night shift pay." in page


def test_only_the_host_publishes(client, org, round_table):
    client.force_login(_invitee(round_table))
    response = client.post(
        reverse("meetings:summary_publish", args=[round_table.pk]), {"body": "Mine"}
    )
    assert response.status_code == 403
    assert not Summary.objects.exists()
