"""Role matrix for the council and lunch & learn pages (a team's own programs)."""

import pytest
from django.urls import reverse

from engagement.models import AudienceKind
from meetings.models import LearningTopic, Proposal
from tests.factories import make_program

ROLES = ["employee", "manager", "leader", "hr", "outsider"]


@pytest.fixture
def team_programs(org):
    team = {"audience_kind": AudienceKind.TEAM, "audience_manager": org["manager"]}
    council = make_program("EE5", owner=org["manager"], **team)
    learning = make_program("EE15", owner=org["manager"], **team)
    proposal = Proposal.objects.create(program=council, author=org["employee"], title="Idea")
    topic = LearningTopic.objects.create(program=learning, proposed_by=org["colleague"], title="T")
    return {"council": council, "learning": learning, "proposal": proposal, "topic": topic}


def _get_url(page, p):
    return {
        "council": reverse("meetings:council", args=[p["council"].pk]),
        "proposal": reverse("meetings:proposal_detail", args=[p["proposal"].pk]),
        "learning_topics": reverse("meetings:learning_topics", args=[p["learning"].pk]),
    }[page]


# page -> expected status for (employee, manager, leader, hr, outsider)
GET_MATRIX = {
    "council": (200, 200, 200, 200, 404),
    "proposal": (200, 200, 200, 200, 404),
    "learning_topics": (200, 200, 200, 200, 404),
}


@pytest.mark.parametrize("page", GET_MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(client, org, team_programs, page, role):
    client.force_login(org[role])
    response = client.get(_get_url(page, team_programs))
    assert response.status_code == GET_MATRIX[page][ROLES.index(role)]


@pytest.mark.parametrize("page", GET_MATRIX)
def test_anonymous_visitors_sign_in_first(client, team_programs, page):
    response = client.get(_get_url(page, team_programs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _post(action, org, p):
    return {
        "proposal_submit": (
            reverse("meetings:proposal_submit", args=[p["council"].pk]),
            {"title": "Another idea"},
        ),
        "proposal_move": (
            reverse("meetings:proposal_move", args=[p["proposal"].pk]),
            {"status": "under_review"},
        ),
        "member_add": (
            reverse("meetings:member_add", args=[p["council"].pk]),
            {"person": org["colleague"].pk, "role": "member", "starts_on": "2026-01-01"},
        ),
        "learning_topic_propose": (
            reverse("meetings:learning_topic_propose", args=[p["learning"].pk]),
            {"title": "Another topic"},
        ),
        "learning_topic_vote": (
            reverse("meetings:learning_topic_vote", args=[p["learning"].pk, p["topic"].pk]),
            {},
        ),
    }[action]


# action -> expected status for (employee, manager, leader, hr, outsider)
POST_MATRIX = {
    "proposal_submit": (302, 403, 403, 403, 404),
    "proposal_move": (403, 302, 403, 302, 404),
    "member_add": (403, 302, 403, 302, 404),
    "learning_topic_propose": (302, 302, 403, 403, 404),
    "learning_topic_vote": (302, 302, 403, 403, 404),
}


@pytest.mark.parametrize("action", POST_MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(client, org, team_programs, action, role):
    url, data = _post(action, org, team_programs)
    client.force_login(org[role])
    response = client.post(url, data)
    assert response.status_code == POST_MATRIX[action][ROLES.index(role)]
