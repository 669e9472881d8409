"""The demo tells a visitor how to sign in, and each demo role finds something open to
answer and something to do on the day the demo was loaded."""

from django.urls import reverse
from django.utils import timezone

from engagement.demo import demo_accounts, demo_load
from engagement.practices import Gathering, codes
from engagement.today import Folded, today_list
from tests.factories import make_person, page_of

ANSWER = {"survey", "feedback"}
DO = {"action", "submission"}


def test_the_sign_in_page_names_the_demo_accounts_once_the_demo_is_loaded(client, db):
    page = page_of(client.get(reverse("login")))
    assert 'id="demo-accounts"' not in page
    assert demo_load()
    page = page_of(client.get(reverse("login")))
    accounts = page.split('id="demo-accounts"', 1)[1]
    for username in ("admin", "leader", "manager", "employee"):
        assert f"<strong>{username}</strong>" in accounts
    assert "People manager" in accounts
    assert "<strong>demo</strong>" in accounts  # the password


def test_an_organisations_own_admin_account_is_never_announced(client, db):
    make_person("admin", email="admin@acme.example", is_hr_admin=True)
    assert demo_accounts() == []
    assert 'id="demo-accounts"' not in page_of(client.get(reverse("login")))


def _kinds(listed) -> set[str]:
    return {item.kind for item in listed.needs}


def test_each_demo_role_has_something_to_answer_and_to_do_today(demo_site):
    now = timezone.now()
    for role in ("employee", "manager", "leader", "hr"):
        listed = today_list(demo_site[role], now)
        assert _kinds(listed) & ANSWER, role
        assert _kinds(listed) & DO, role


def test_the_demo_managers_overdue_action_and_1_on_1s_are_on_her_list(demo_site):
    listed = today_list(demo_site["manager"], timezone.now())
    assert any(item.overdue and item.kind == "action" for item in listed.needs)
    one_on_ones = [
        line
        for line in listed.needs + listed.coming
        if "1-on-1" in (line.title if isinstance(line, Folded) else line.title)
    ]
    assert one_on_ones, "the manager's 1-on-1s of the week"
    assert codes(gathering=Gathering.PAIRS)


def test_the_demo_employees_open_action_and_pending_feedback_are_on_their_list(demo_site):
    listed = today_list(demo_site["employee"], timezone.now())
    assert {"action", "feedback", "survey"} <= _kinds(listed)
