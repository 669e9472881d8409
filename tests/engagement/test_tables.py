"""Every table sorts and pages in place: its links fetch the same page and swap only
that table (htmx), and without JavaScript their fragment returns to the table."""

import re

from django.urls import reverse

from tests.factories import make_program


def test_sort_links_swap_the_table_in_place_and_fall_back_to_its_anchor(client, org):
    make_program("EE10", owner=org["manager"], name="Team 1-on-1s")
    client.force_login(org["hr"])
    page = client.get(reverse("engagement:program_list")).content.decode()
    assert 'class="table-container" id="table-"' in page
    link = re.search(r'<a href="(\?[^"]*sort=name[^"]*)"([^>]*)>Name</a>', page)
    assert link is not None
    href, attributes = link.groups()
    assert href.endswith("#table-")
    assert 'hx-target="#table-"' in attributes
    assert 'hx-select="#table-"' in attributes
    assert 'hx-push-url="true"' in attributes

    # What htmx fetches: the page, sorted, from which it takes the table.
    query = href.split("#", 1)[0].replace("&amp;", "&")
    swapped = client.get(reverse("engagement:program_list") + query, HTTP_HX_REQUEST="true")
    assert swapped.status_code == 200
    assert 'aria-sort="ascending"' in swapped.content.decode()
