"""EE5 employee council: members with terms, proposals and their outcomes, minutes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from engagement import services as engagement_services
from engagement.models import AudienceKind, ProgramMember
from meetings.models import Proposal, ProposalEvent
from scheduling.participants import PlanContext, session_specs
from tests.factories import make_program, make_session


@pytest.fixture
def council(org):
    """HR runs a council for the whole organisation; the employee sits on it."""
    program = make_program("EE5", owner=org["hr"], name="Employee council")
    ProgramMember.objects.create(
        program=program, person=org["employee"], role="chair", starts_on=date(2026, 1, 1)
    )
    return program


def test_anyone_in_the_audience_brings_a_proposal_and_hears_the_outcome(
    client, org, council, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(org["colleague"])
    response = client.post(
        reverse("meetings:proposal_submit", args=[council.pk]),
        {"title": "Water fountain on floor 2", "body": "The nearest one is two floors down."},
    )
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    assert (proposal.author, proposal.status) == (org["colleague"], "submitted")

    client.force_login(org["employee"])  # the chair
    url = reverse("meetings:proposal_move", args=[proposal.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "under_review", "reason": ""})
    refused = client.post(url, {"status": "accepted", "reason": ""})
    assert refused.status_code == 400
    assert "Say why" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "accepted", "reason": "Facilities will fit one in March."})
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    accepted = ProposalEvent.objects.get(status="accepted")
    assert (accepted.actor, accepted.reason) == (
        org["employee"],
        "Facilities will fit one in March.",
    )

    told = [m for m in mailoutbox if m.to == [org["colleague"].email]]
    assert len(told) == 2
    assert "accepted" in told[-1].body
    assert "Facilities will fit one in March." in told[-1].body

    client.force_login(org["colleague"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Accepted" in page
    assert "Facilities will fit one in March." in page
    assert "by Employee" in page


def test_a_proposal_cannot_skip_steps_or_move_after_done(client, org, council):
    proposal = Proposal.objects.create(program=council, author=org["colleague"], title="X")
    client.force_login(org["hr"])
    url = reverse("meetings:proposal_move", args=[proposal.pk])
    response = client.post(url, {"status": "done", "reason": "Skipping"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


@pytest.mark.parametrize(
    ("role", "may_decide"),
    [("employee", True), ("hr", True), ("colleague", False), ("manager", False)],
)
def test_only_members_serving_and_the_owner_decide(client, org, council, role, may_decide):
    proposal = Proposal.objects.create(program=council, author=org["colleague"], title="X")
    client.force_login(org[role])
    client.post(
        reverse("meetings:proposal_move", args=[proposal.pk]),
        {"status": "under_review", "reason": ""},
    )
    proposal.refresh_from_db()
    assert (proposal.status == "under_review") is may_decide


def test_a_member_whose_term_ended_no_longer_decides(client, org, council):
    member = council.members.get()
    member.starts_on, member.ends_on = date(2025, 1, 1), date(2025, 12, 31)
    member.save()
    proposal = Proposal.objects.create(program=council, author=org["colleague"], title="X")
    client.force_login(org["employee"])
    client.post(reverse("meetings:proposal_move", args=[proposal.pk]), {"status": "under_review"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_the_audience_reads_proposals_but_only_the_council_sees_who_brought_them(
    client, org, council
):
    proposal = Proposal.objects.create(program=council, author=org["colleague"], title="Quiet room")
    client.force_login(org["manager"])  # in the audience, not on the council
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Quiet room" in page
    assert org["colleague"].get_full_name() not in page
    client.force_login(org["employee"])  # chair
    assert (
        org["colleague"].get_full_name() in client.get(proposal.get_absolute_url()).content.decode()
    )


def test_outsiders_to_a_council_get_404(client, org):
    program = make_program(
        "EE5",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
    )
    proposal = Proposal.objects.create(program=program, author=org["employee"], title="X")
    client.force_login(org["outsider"])
    assert client.get(reverse("meetings:council", args=[program.pk])).status_code == 404
    assert client.get(proposal.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("meetings:proposal_submit", args=[program.pk]), {"title": "Sneaky"}
    )
    assert response.status_code == 404
    assert Proposal.objects.count() == 1


def test_an_over_long_title_gets_the_form_back(client, org, council):
    client.force_login(org["colleague"])
    response = client.post(
        reverse("meetings:proposal_submit", args=[council.pk]), {"title": "x" * 151}
    )
    assert response.status_code == 400
    assert "At most 150 characters (you typed 151)" in response.content.decode()
    assert not Proposal.objects.exists()


def test_hr_seats_members_and_meetings_follow_their_terms(client, org, council):
    client.force_login(org["hr"])
    url = reverse("meetings:member_add", args=[council.pk])
    starts = timezone.localdate() + timedelta(days=30)
    response = client.post(
        url, {"person": org["colleague"].pk, "role": "member", "starts_on": starts}
    )
    assert response.status_code == 302
    overlapping = client.post(
        url,
        {"person": org["colleague"].pk, "role": "member", "starts_on": starts + timedelta(days=5)},
    )
    assert overlapping.status_code == 400
    assert "already has a term" in overlapping.content.decode()
    backwards = client.post(
        url,
        {
            "person": org["manager"].pk,
            "role": "member",
            "starts_on": starts,
            "ends_on": starts - timedelta(days=1),
        },
    )
    assert "cannot end before it starts" in backwards.content.decode()
    assert council.members.count() == 2

    from datetime import datetime

    zone = council.zone
    before = datetime.combine(starts - timedelta(days=7), datetime.min.time(), zone)
    after = datetime.combine(starts + timedelta(days=7), datetime.min.time(), zone)
    specs = list(
        session_specs(
            council, [before, after], period_end=None, context=PlanContext(timezone.now())
        )
    )
    people = [{person for person, _ in spec.people} for spec in specs]
    assert people[0] == {org["hr"].pk, org["employee"].pk}
    assert people[1] == {org["hr"].pk, org["employee"].pk, org["colleague"].pk}


def test_only_editors_seat_members(client, org, council):
    client.force_login(org["employee"])  # the chair does not choose the council
    response = client.post(
        reverse("meetings:member_add", args=[council.pk]),
        {"person": org["colleague"].pk, "role": "member", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        engagement_services.member_add(
            actor=org["employee"],
            program=council,
            person=org["colleague"],
            starts_on=date(2026, 1, 1),
        )
    assert council.members.count() == 1


def test_council_minutes_link_the_proposals_discussed_and_record_decisions(client, org, council):
    proposal = Proposal.objects.create(program=council, author=org["colleague"], title="Bike racks")
    session = make_session(council, [(org["hr"], "host"), (org["employee"], "attendee")])
    client.force_login(org["employee"])
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Proposals discussed" in page
    assert "Bike racks" in page
    client.post(
        reverse("meetings:proposals_discussed", args=[session.pk]), {"proposals": [proposal.pk]}
    )
    client.post(
        reverse("meetings:decision_add", args=[session.pk]), {"text": "Ask facilities for quotes"}
    )
    assert list(proposal.discussed_in.all()) == [session]
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert session.get_absolute_url() in detail
    assert "Ask facilities for quotes" in client.get(session.get_absolute_url()).content.decode()


def test_a_finished_term_is_never_revived_and_members_do_not_decide_their_own(client, org, council):
    member = council.members.get()
    member.starts_on, member.ends_on = date(2025, 1, 1), date(2025, 12, 31)
    member.save()
    client.force_login(org["hr"])
    client.post(reverse("meetings:member_end", args=[member.pk]), follow=True)
    member.refresh_from_db()
    assert member.ends_on == date(2025, 12, 31)

    member.ends_on = None
    member.save()
    own = Proposal.objects.create(program=council, author=org["employee"], title="Mine")
    client.force_login(org["employee"])
    response = client.post(
        reverse("meetings:proposal_move", args=[own.pk]), {"status": "under_review"}
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == "submitted"


def test_ending_a_term_takes_the_member_out_of_prepared_meetings(client, org, council):
    future = make_session(
        council, [(org["hr"], "host"), (org["employee"], "attendee")], hours_from_now=24 * 7
    )
    future.participants.update(planned=True)
    future.touched = True
    future.save()
    client.force_login(org["hr"])
    client.post(reverse("meetings:member_end", args=[council.members.get().pk]))
    assert not future.participants.filter(person=org["employee"]).exists()
    client.post(
        reverse("meetings:member_add", args=[council.pk]),
        {"person": org["colleague"].pk, "role": "member", "starts_on": timezone.localdate()},
    )
    assert future.participants.filter(person=org["colleague"], role="attendee").exists()


def test_discussed_proposals_belong_to_council_meetings_only(client, org, team_program):
    session = make_session(
        team_program,
        [(org["manager"], "host"), (org["employee"], "attendee")],
        series=f"pair:{org['manager'].pk}:{org['employee'].pk}",
    )
    client.force_login(org["manager"])
    response = client.post(reverse("meetings:proposals_discussed", args=[session.pk]), {})
    assert response.status_code == 404
