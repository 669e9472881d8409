"""Practice codes (EE10) are the administrators' shorthand: HR and staff see them beside
the names; employees, managers and senior leaders read the names alone, on every page
that names a practice, in the programs table's filter and export, and in e-mails."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.core import mail
from django.urls import reverse

from engagement.models import Program
from engagement.practices import get_practice
from scheduling.models import Session

CODE = re.compile(r"\bEE\d{1,2}\b")


class _Text(HTMLParser):
    """What a reader sees: the text of the page (title and options included), without
    scripts, styles or attributes (links and ids may carry a code: /practices/EE10/)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(response) -> str:
    assert response.status_code == 200, response.status_code
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def _pages(demo_site, role) -> list[str]:
    person = demo_site[role]
    one_on_ones = Program.objects.get(name="Shift B 1-on-1s")
    pages = [
        reverse("engagement:home"),
        reverse("engagement:person_detail", args=[person.pk]),
        reverse("engagement:program_list"),
        reverse("engagement:program_list") + "?_export=csv",
        reverse("engagement:program_detail", args=[one_on_ones.pk]),
        reverse("engagement:practice_list"),
        reverse("engagement:practice_detail", args=["EE10"]),
    ]
    if role != "employee":
        pages.append(reverse("feedback:results", args=[person.pk]))
    own_session = (
        Session.objects.filter(program=one_on_ones, participants__person=person)
        .order_by("starts_at")
        .first()
    )
    if own_session is not None:
        pages.append(reverse("scheduling:session_detail", args=[own_session.pk]))
    return pages


def test_people_who_are_not_administrators_read_practice_names(client, demo_site):
    for role in ("employee", "manager", "leader"):
        client.force_login(demo_site[role])
        seen_names = 0
        for url in _pages(demo_site, role):
            response = client.get(url)
            text = response.content.decode() if "_export" in url else visible_text(response)
            assert not CODE.search(text), f"{role} sees {CODE.search(text).group()} on {url}"
            seen_names += get_practice("EE10").name in text
        assert seen_names >= 4, role  # the names are there instead of the codes
    # The programs filter offers names, and still filters by code.
    client.force_login(demo_site["manager"])
    page = client.get(reverse("engagement:program_list")).content.decode()
    assert '<option value="EE10">Structured 1-on-1 Meetings</option>' in page
    filtered = client.get(reverse("engagement:program_list"), {"practice": "EE10"})
    assert "Shift B 1-on-1s" in visible_text(filtered)


def test_hr_administrators_see_codes_beside_the_names(client, demo_site):
    client.force_login(demo_site["hr"])
    catalog = visible_text(client.get(reverse("engagement:practice_list")))
    assert "EE10" in catalog
    assert "EE17" in catalog
    programs = client.get(reverse("engagement:program_list"))
    assert "EE10 Structured 1-on-1 Meetings" in visible_text(programs)
    assert '<option value="EE10">EE10 Structured 1-on-1 Meetings</option>' in (
        programs.content.decode()
    )
    export = client.get(reverse("engagement:program_list") + "?_export=csv").content.decode()
    assert "EE10 Structured 1-on-1 Meetings" in export
    practice = visible_text(client.get(reverse("engagement:practice_detail", args=["EE10"])))
    assert "EE10 Structured 1-on-1 Meetings" in " ".join(practice.split())


def test_reminder_emails_name_no_practice_code(demo_site):
    from datetime import timedelta

    from django.utils import timezone

    from scheduling import reminders

    # A week of reminders: before sessions, before due dates, and overdue nudges.
    now = timezone.now()
    for day in range(7):
        moment = now + timedelta(days=day)
        reminders.reminders_prepare(now=moment)
        reminders.reminders_send(now=moment)
    assert mail.outbox, "the demo has sessions due for a reminder"
    for message in mail.outbox:
        assert not CODE.search(message.subject + message.body), message.subject
