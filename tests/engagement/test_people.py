"""The organisation tree: everyone below a person, in one query at any depth."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagement.models import Person
from tests.factories import make_person


def _chain(depth: int) -> list[Person]:
    people = [make_person(f"level0-{depth}")]
    for level in range(1, depth + 1):
        people.append(make_person(f"level{level}-{depth}", manager=people[-1]))
    return people


@pytest.mark.parametrize("depth", [3, 40])
def test_everyone_below_is_found_in_one_query_whatever_the_depth(
    db, django_assert_num_queries, depth
):
    chain = _chain(depth)
    side = make_person("side", manager=chain[1])  # a branch off the chain
    make_person("unrelated")
    with django_assert_num_queries(1):
        below = set(Person.objects.below(chain[0]).values_list("pk", flat=True))
    assert below == {p.pk for p in chain[1:]} | {side.pk}
    with django_assert_num_queries(1):
        above = set(Person.objects.above(chain[-1]).values_list("pk", flat=True))
    assert above == {p.pk for p in chain[:-1]}


def test_below_composes_with_other_filters(org):
    below_leader = Person.objects.below(org["leader"]).filter(manager=org["manager"])
    assert set(below_leader) == {org["employee"], org["colleague"]}
    assert not Person.objects.below(org["employee"]).exists()


def test_is_below(org):
    assert org["employee"].is_below(org["leader"])
    assert org["employee"].is_below(org["ceo"])
    assert not org["employee"].is_below(org["outsider"])
    assert not org["leader"].is_below(org["employee"])


def test_a_manager_loop_is_refused(org):
    leader = org["leader"]
    leader.manager = org["employee"]
    with pytest.raises(ValidationError) as caught:
        leader.full_clean()
    assert "loop" in caught.value.message_dict["manager"][0]
    leader.manager = leader
    with pytest.raises(ValidationError):
        leader.full_clean()


def test_database_refuses_own_manager_and_duplicate_emails(org):
    employee = org["employee"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=employee.pk).update(manager=employee.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person("twin", email=employee.email.upper())


def test_people_directory_filters_and_exports(client, org):
    client.force_login(org["employee"])
    url = "/people/?department={}".format(org["departments"]["sales"].pk)
    table = client.get(url).content.decode().split("<table", 1)[1]
    assert str(org["outsider"]) in table
    assert str(org["manager"]) not in table
    csv = client.get(url + "&_export=csv")
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert csv["Content-Type"].startswith("text/csv")
    assert str(org["outsider"]).encode() in body
    assert b"@" not in body  # the directory export carries no e-mail addresses


def _table(html: str) -> str:
    return html.split("<tbody", 1)[1].split("</tbody>", 1)[0]


def test_people_directory_sorts_and_pages(client, db):
    viewer = make_person("viewer", first_name="Zed", last_name="Zeta")
    for n in range(30):
        make_person(f"p{n}", last_name=f"Name{n:02d}")
    client.force_login(viewer)
    first = client.get("/people/").content.decode()
    assert "Name00" in _table(first)
    assert "Zeta" not in _table(first)
    assert "1–25 of 31" in first
    second = client.get("/people/?page=2").content.decode()
    assert "Zeta" in _table(second)
    desc = _table(client.get("/people/?sort=-name").content.decode())
    assert desc.index("Zeta") < desc.index("Name29")
