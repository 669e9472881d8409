"""1-on-1 adherence has one definition (``Session.objects.one_on_ones_due``): the manager's
1-on-1 overview and the results page under "managing" show the same figure."""

import re

from django.urls import reverse

from tests.factories import make_session, open_window


def _pair(org, team_program, report, *, status, days_ago, touched=True):
    return make_session(
        team_program,
        [(org["manager"], "host"), (report, "attendee")],
        series=f"pair:{org['manager'].pk}:{report.pk}",
        hours_from_now=-24 * days_ago,
        status=status,
        touched=touched,
    )


def test_both_pages_show_the_same_adherence(client, org, team, pulse, team_program):
    open_window(pulse.program)
    _pair(org, team_program, org["employee"], status="held", days_ago=40)
    _pair(org, team_program, org["employee"], status="held", days_ago=20)
    # Cancelled by the manager: due and not held, on both pages.
    _pair(org, team_program, org["employee"], status="cancelled", days_ago=10)
    _pair(org, team_program, org["colleague"], status="missed", days_ago=12)
    # Cancelled by the planner, untouched by anyone: not due anywhere.
    _pair(org, team_program, org["colleague"], status="cancelled", days_ago=5, touched=False)
    # Older than 90 days: outside both figures.
    _pair(org, team_program, org["colleague"], status="held", days_ago=120)

    client.force_login(org["manager"])
    overview = client.get(reverse("meetings:one_on_ones")).content.decode()
    total = overview.split('id="adherence"', 1)[1].split("</p>", 1)[0]
    assert "<strong>50%</strong>" in total
    assert "(2 of 4)" in total
    employee_row = overview.split(str(org["employee"]), 1)[1].split("</tr>", 1)[0]
    assert "2 of 3" in employee_row

    results = client.get(reverse("feedback:results", args=[org["manager"].pk])).content.decode()
    held = re.search(r"<dt>1-on-1s held</dt><dd>(.*?)</dd>", results, re.S).group(1)
    assert "50%" in held
    assert "(2 of 4)" in held
