"""Two planners and two reminder senders at once, on PostgreSQL: no duplicates, nothing lost.

SQLite serialises writers, so these tests only mean something (and only run) on PostgreSQL:
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rapport_dev pytest -k concurrency
"""

import re
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.db.models import Count

from engagement.models import AudienceKind
from scheduling.models import Participant, Reminder, Session
from scheduling.planner import sessions_plan_all
from scheduling.reminders import reminders_prepare, reminders_send
from tests.factories import make_department, make_person, make_program

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

NOW = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
# A day before the first meetings and due dates: plenty of reminders are due.
LATER = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
SESSION_LINK = re.compile(r"/sessions/\d+/")


@pytest.fixture
def organisation():
    """A leader over three managers with eight reports each, and programs of several kinds."""
    department = make_department("Operations")
    ceo = make_person("boss", department=department, is_senior_leader=True)
    leader = make_person("vp", manager=ceo, is_senior_leader=True)
    managers = [make_person(f"manager{m}", manager=leader) for m in range(3)]
    for m, manager in enumerate(managers):
        for r in range(8):
            make_person(f"report{m}_{r}", manager=manager)
    weekly = {"rrule": "FREQ=WEEKLY", "starts_on": date(2027, 3, 2)}
    make_program("EE10", owner=leader, name="1-on-1s", **weekly)
    make_program("EE11", owner=leader, name="Team meetings", **weekly)
    make_program("EE8", owner=ceo, name="Round tables", **weekly)
    make_program("EE9", owner=ceo, name="Skip levels", **weekly)
    make_program("EE6", owner=leader, name="Socials", **weekly)
    # Monthly reports, the first due on Tuesday 2 March at 09:00 Berlin.
    make_program(
        "EE4",
        owner=leader,
        name="Accomplishments",
        audience_kind=AudienceKind.EVERYONE,
        starts_on=date(2027, 2, 1),
        config={"due_offset_days": 1, "reminder_lead_hours": 24, "overdue_nudge": True},
    )
    # Open the February period of the reports before the others are planned.
    sessions_plan_all(now=datetime(2027, 1, 31, tzinfo=UTC))
    Session.objects.exclude(program__practice="EE4").delete()
    return {"leader": leader, "managers": managers}


def _at_once(work, workers: int = 2) -> list:
    """Run ``work`` in ``workers`` threads released together; each uses its own connection."""
    barrier = threading.Barrier(workers)
    results, errors = [None] * workers, []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return results


def _sessions() -> list[tuple]:
    return sorted(
        Session.objects.values_list(
            "program__name", "series", "planned_start", "starts_at", "due_at", "title", "status"
        )
    )


def _participants() -> list[tuple]:
    return sorted(
        Participant.objects.values_list(
            "session__program__name", "session__series", "session__planned_start", "person", "role"
        )
    )


def _duplicates(queryset, *fields) -> list:
    return list(queryset.values(*fields).annotate(n=Count("pk")).filter(n__gt=1))


def test_two_planners_at_once_plan_every_session_and_participant_once(organisation):
    _at_once(lambda: sessions_plan_all(now=NOW))

    assert _duplicates(Session.objects.all(), "program", "series", "planned_start") == []
    assert _duplicates(Participant.objects.all(), "session", "person") == []
    together = _sessions(), _participants()
    assert len(together[0]) > 100

    # What one planner alone produces from scratch: the same sessions and people.
    Session.objects.filter(planned_start__gt=NOW).delete()
    sessions_plan_all(now=NOW)
    assert (_sessions(), _participants()) == together


def test_two_planners_at_once_add_a_newcomer_everywhere_once(organisation):
    sessions_plan_all(now=NOW)
    manager = organisation["managers"][0]
    newcomer = make_person("newcomer", manager=manager)

    _at_once(lambda: sessions_plan_all(now=NOW))

    assert _duplicates(Participant.objects.all(), "session", "person") == []
    together = _sessions(), _participants()
    for series in (f"pair:{manager.pk}:{newcomer.pk}", f"team:{manager.pk}"):
        sessions = Session.objects.filter(series=series, planned_start__gt=NOW)
        assert sessions.count() == 8  # weekly over the eight-week horizon
        assert Participant.objects.filter(session__in=sessions, person=newcomer).count() == 8

    Session.objects.filter(planned_start__gt=NOW).delete()
    sessions_plan_all(now=NOW)
    assert (_sessions(), _participants()) == together


def test_two_reminder_senders_at_once_send_each_reminder_exactly_once(organisation, monkeypatch):
    sessions_plan_all(now=NOW)

    _at_once(lambda: reminders_prepare(now=LATER))
    assert _duplicates(Reminder.objects.all(), "session", "person", "kind") == []
    prepared = sorted(Reminder.objects.values_list("session", "person", "kind"))
    Reminder.objects.all().delete()
    reminders_prepare(now=LATER)  # one preparer alone makes the same rows
    assert sorted(Reminder.objects.values_list("session", "person", "kind")) == prepared
    assert len(prepared) > 50

    real_send = EmailMultiAlternatives.send

    def slow_send(message, *args, **kwargs):
        time.sleep(0.002)  # widen the window in which the two senders overlap
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)

    results = _at_once(lambda: reminders_send(now=LATER))

    assert sum(r.sent for r in results) == len(prepared)
    assert sum(r.skipped + r.failed for r in results) == 0
    assert len(mail.outbox) == len(prepared)
    assert not Reminder.objects.filter(sent_at=None).exists()  # nothing lost
    sent_to = Counter((m.to[0], SESSION_LINK.search(m.body)[0]) for m in mail.outbox)
    assert max(sent_to.values()) == 1  # nobody got the same reminder twice
    assert reminders_send(now=LATER).sent == 0
