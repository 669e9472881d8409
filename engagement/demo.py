"""The demo organisation: Northwind, about 120 people and one program per practice.

``demo_load()`` fills an empty database so that the product can be tried at
once with four accounts (``admin``, ``leader``, ``manager``, ``employee``,
password ``settings.RAPPORT_DEMO_PASSWORD``), and an ``operator`` account for the
Django admin that is not part of the organisation. It never touches a database that
already has people, and it is deterministic: the same seed and the same
hand-written name lists give the same organisation every time (only dates move
with today, so that programs are always current).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from engagement import services
from engagement.models import (
    AudienceKind,
    Department,
    MemberRole,
    Person,
    Program,
    ProgramMember,
)
from engagement.practices import Cadence

SEED = 1729
EMAIL_DOMAIN = "northwind.example"
TIME_ZONE = "Europe/London"

OPERATIONS = "Operations"
ENGINEERING = "Engineering"
SALES = "Sales & Customer Success"
PEOPLE_FINANCE = "People & Finance"

DEPARTMENTS = {
    OPERATIONS: "Warehousing, shifts, logistics, quality and maintenance.",
    ENGINEERING: "The platform and product teams that build Northwind's software.",
    SALES: "New business, account management and customer support.",
    PEOPLE_FINANCE: "The managing director's office, HR, and finance.",
}

DEMO_USERNAMES = ("admin", "leader", "manager", "employee", "operator")
OPERATOR_USERNAME = "operator"

ALREADY_LOADED = "The database already has people; the demo organisation was not loaded."

# Everyone apart from the named people below is given a name from these lists.
FIRST_NAMES = (
    "Aaliyah", "Abdul", "Adaeze", "Adam", "Aditi", "Ahmed", "Aisha", "Akira", "Alejandro",
    "Amara", "Amelia", "Ana", "Andrei", "Anjali", "Arjun", "Astrid", "Ayesha", "Beatriz",
    "Ben", "Bilal", "Bogdan", "Caitlin", "Callum", "Carlos", "Catherine", "Chen", "Chidi",
    "Chloé", "Ciara", "Connor", "Dalia", "Darius", "Deepa", "Dmitri", "Ebony", "Elena",
    "Eleanor", "Emeka", "Emily", "Eun-ji", "Farah", "Fatima", "Felix", "Fiona", "Florin",
    "Gabriel", "Grace", "Hamza", "Hannah", "Haruto", "Hassan", "Ibrahim", "Ifeoma", "Imran",
    "Ingrid", "Iris", "Ivan", "Jack", "Jamal", "James", "Jasmine", "Javier", "Jia", "Joanna",
    "Jonah", "José", "Julia", "Kamal", "Kareem", "Katarzyna", "Kavya", "Kemi", "Kwame",
    "Laila", "Lars", "Leah", "Liam", "Lucía", "Mai", "Malik", "Maria", "Mateo", "Maya",
    "Mei", "Mohammed", "Nadia", "Naledi", "Nathan", "Niamh", "Nikhil", "Nia", "Olivia",
    "Omar", "Oscar", "Owen", "Paulo", "Rachel", "Rahul", "Rania", "Rhys", "Rosa", "Ruth",
    "Ryan", "Samira", "Sanjay", "Sara", "Sean", "Shreya", "Siobhan", "Simone", "Tariq",
    "Thabo", "Tomasz", "Valentina", "Vikram", "Wei", "Yasmin", "Yusuf", "Zainab", "Zara",
    "Zoë", "Noah", "Ethan", "Georgia", "Martha", "Stefan", "Layla",
)  # fmt: skip

LAST_NAMES = (
    "Adeyemi", "Akhtar", "Andersson", "Asante", "Bailey", "Banerjee", "Barros", "Bennett",
    "Bianchi", "Boateng", "Brennan", "Brown", "Byrne", "Campbell", "Chakraborty", "Chandra",
    "Chowdhury", "Clarke", "Costa", "Cruz", "Da Silva", "Davies", "Dimitrov", "Dubois",
    "Edwards", "Eze", "Fernandes", "Ferreira", "Fischer", "Flynn", "Gallagher", "García",
    "Ghosh", "Gomez", "Gupta", "Haddad", "Hall", "Hansen", "Harris", "Hernández", "Hughes",
    "Hussain", "Iyer", "Jackson", "Jensen", "Johnson", "Jones", "Kariuki", "Kaur", "Kelly",
    "Khan", "Kim", "Kovač", "Kumar", "Lee", "Li", "Lindqvist", "López", "MacDonald",
    "Mahmood", "Menon", "Mensah", "Mitchell", "Morgan", "Murphy", "Mwangi", "Nakamura",
    "Nascimento", "Ndlovu", "Nguyen", "Novak", "Nowak", "O'Brien", "O'Connor", "Obi",
    "Okonkwo", "Oliveira", "Osei", "Owusu", "Papadopoulos", "Park", "Patel", "Pereira",
    "Petrov", "Phillips", "Popescu", "Price", "Qureshi", "Rahman", "Rao", "Reddy", "Reyes",
    "Roberts", "Rossi", "Russo", "Şahin", "Santos", "Schmidt", "Scott", "Shah", "Sharma",
    "Silva", "Singh", "Smith", "Sørensen", "Stewart", "Suzuki", "Tan", "Tanaka", "Taylor",
    "Thomas", "Thompson", "Turner", "Varga", "Vargas", "Walker", "Walsh", "Wang", "Ward",
    "Watson", "Williams", "Wilson", "Wood", "Wright", "Yamamoto", "Yilmaz", "Young",
    "Zhang", "Zieliński",
)  # fmt: skip


@dataclass(frozen=True)
class Seat:
    """One position in the organisation chart, filled by one person."""

    key: str
    title: str
    department: str
    manager: str | None
    level: int  # 0 the managing director, 1 their reports, 2 managers, 3 their teams
    name: tuple[str, str] | None = None
    username: str | None = None
    is_senior_leader: bool = False
    is_hr_admin: bool = False


# The people who lead: fixed names so that the demo reads the same every time.
LEADERS = (
    Seat("ceo", "Managing Director", PEOPLE_FINANCE, None, 0, ("Helen", "Whitaker"),
         is_senior_leader=True),
    Seat("admin", "HR Director", PEOPLE_FINANCE, "ceo", 1, ("Priya", "Raman"),
         username="admin", is_hr_admin=True),
    Seat("finance_director", "Finance Director", PEOPLE_FINANCE, "ceo", 1,
         ("Tom", "Fitzgerald")),
    Seat("assistant", "Executive Assistant", PEOPLE_FINANCE, "ceo", 1),
    Seat("leader", "VP Operations", OPERATIONS, "ceo", 1, ("Marcus", "Okafor"),
         username="leader", is_senior_leader=True),
    Seat("vp_engineering", "VP Engineering", ENGINEERING, "ceo", 1, ("Kenji", "Watanabe"),
         is_senior_leader=True),
    Seat("sales_director", "Director of Sales & Customer Success", SALES, "ceo", 1,
         ("Isabel", "Moreno")),
    Seat("manager", "Shift Manager, Shift B", OPERATIONS, "leader", 2, ("Sofia", "Martins"),
         username="manager"),
    Seat("shift_a", "Shift Manager, Shift A", OPERATIONS, "leader", 2),
    Seat("logistics", "Logistics Manager", OPERATIONS, "leader", 2),
    Seat("quality", "Quality Manager", OPERATIONS, "leader", 2),
    Seat("maintenance", "Maintenance Manager", OPERATIONS, "leader", 2),
    Seat("ops_coordinator", "Operations Coordinator", OPERATIONS, "leader", 2),
    Seat("eng_platform", "Engineering Manager, Platform", ENGINEERING, "vp_engineering", 2),
    Seat("eng_product", "Engineering Manager, Product", ENGINEERING, "vp_engineering", 2),
    Seat("principal", "Principal Engineer", ENGINEERING, "vp_engineering", 2),
    Seat("product_manager", "Product Manager", ENGINEERING, "vp_engineering", 2),
    Seat("senior_product_manager", "Senior Product Manager", ENGINEERING, "vp_engineering", 2),
    Seat("sales_manager", "Sales Manager", SALES, "sales_director", 2),
    Seat("cs_head", "Head of Customer Success", SALES, "sales_director", 2),
    Seat("sales_ops", "Sales Operations Analyst", SALES, "sales_director", 2),
    Seat("employee", "Warehouse Operative", OPERATIONS, "manager", 3, ("Daniel", "Kowalski"),
         username="employee"),
)  # fmt: skip

# Each manager's team: (title, how many). The demo employee is one of Shift B.
TEAMS = {
    "manager": [
        ("Team Leader", 1),
        ("Senior Warehouse Operative", 2),
        ("Warehouse Operative", 2),
        ("Forklift Driver", 1),
    ],
    "shift_a": [
        ("Team Leader", 2),
        ("Senior Warehouse Operative", 2),
        ("Warehouse Operative", 7),
        ("Forklift Driver", 2),
    ],
    "logistics": [
        ("Transport Planner", 2),
        ("Logistics Coordinator", 3),
        ("Inventory Controller", 2),
        ("Goods-In Clerk", 2),
        ("Dispatch Clerk", 2),
    ],
    "quality": [
        ("Quality Engineer", 2),
        ("Quality Inspector", 3),
        ("Health & Safety Advisor", 1),
        ("Continuous Improvement Analyst", 1),
    ],
    "maintenance": [
        ("Maintenance Technician", 3),
        ("Electrical Engineer", 1),
        ("Facilities Coordinator", 1),
    ],
    "eng_platform": [
        ("Staff Engineer", 1),
        ("Senior Software Engineer", 3),
        ("Software Engineer", 4),
        ("Site Reliability Engineer", 2),
        ("Junior Software Engineer", 1),
    ],
    "eng_product": [
        ("Senior Software Engineer", 3),
        ("Software Engineer", 4),
        ("QA Engineer", 2),
        ("UX Designer", 1),
        ("Junior Software Engineer", 1),
    ],
    "sales_manager": [
        ("Senior Account Executive", 2),
        ("Account Executive", 6),
        ("Business Development Representative", 3),
        ("Sales Coordinator", 1),
    ],
    "cs_head": [
        ("Customer Success Manager", 4),
        ("Senior Support Specialist", 2),
        ("Customer Support Specialist", 4),
        ("Onboarding Specialist", 1),
    ],
    "admin": [
        ("HR Business Partner", 2),
        ("Recruiter", 1),
        ("HR Coordinator", 1),
        ("Learning & Development Specialist", 1),
    ],
    "finance_director": [
        ("Financial Controller", 1),
        ("Management Accountant", 1),
        ("Financial Analyst", 1),
        ("Accounts Payable Clerk", 1),
        ("Accounts Receivable Clerk", 1),
        ("Payroll Specialist", 1),
    ],
}

# How long ago (in days) people at each level started, as (earliest, latest).
_TENURE_DAYS = {0: (2800, 2920), 1: (900, 2800), 2: (400, 2700), 3: (20, 2900)}


# Letters that Unicode does not decompose into an ASCII letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ø": "o", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "đ": "d"})


def _email_part(name: str) -> str:
    name = name.lower().translate(_UNDECOMPOSABLE)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", ascii_name.lower())


def email_for(first_name: str, last_name: str) -> str:
    return f"{_email_part(first_name)}.{_email_part(last_name)}@{EMAIL_DOMAIN}"


def _seats() -> list[Seat]:
    """Every seat of the chart, managers before their teams."""
    seats = list(LEADERS)
    by_key = {seat.key: seat for seat in seats}
    for manager_key, roles in TEAMS.items():
        department = by_key[manager_key].department
        number = 0
        for title, count in roles:
            for _ in range(count):
                number += 1
                seats.append(Seat(f"{manager_key}_{number}", title, department, manager_key, 3))
    return seats


def _build_people(rng: random.Random, departments: dict[str, Department]) -> dict[str, Person]:
    """Create everyone with two bulk queries and one bulk update; return them by seat key."""
    seats = _seats()
    first_names, last_names = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(first_names)
    rng.shuffle(last_names)
    unnamed = iter(zip(first_names, last_names, strict=False))
    demo_hash = make_password(settings.RAPPORT_DEMO_PASSWORD)
    today = timezone.localdate()

    people: dict[str, Person] = {}
    for seat in seats:
        first_name, last_name = seat.name or next(unnamed)
        email = email_for(first_name, last_name)
        earliest, latest = _TENURE_DAYS[seat.level]
        person = Person(
            username=seat.username or email,
            email=email,
            first_name=first_name,
            last_name=last_name,
            title=seat.title,
            department=departments[seat.department],
            is_senior_leader=seat.is_senior_leader,
            is_hr_admin=seat.is_hr_admin,
            # HR works in the admin through its role's permissions, not as a superuser.
            is_staff=seat.is_hr_admin,
            started_on=today - timedelta(days=rng.randint(earliest, latest)),
        )
        if seat.username:
            person.password = demo_hash
        else:
            person.set_unusable_password()
        people[seat.key] = person

    Person.objects.bulk_create(people.values())
    # Not every backend returns keys from a bulk insert, so look them up once.
    pk_by_username = dict(Person.objects.values_list("username", "pk"))
    for person in people.values():
        person.pk = pk_by_username[person.username]
    for seat in seats:
        if seat.manager:
            people[seat.key].manager = people[seat.manager]
    Person.objects.bulk_update(
        [people[seat.key] for seat in seats if seat.manager], ["manager"], batch_size=200
    )
    return people


def _first_of_month(day: date, months_back: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months_back
    return date(month_index // 12, month_index % 12 + 1, 1)


def _build_programs(
    rng: random.Random, people: dict[str, Person], departments: dict[str, Department]
) -> list[Program]:
    """One active program of each practice, created through the service like any other."""
    admin, ceo, leader, manager = (people[k] for k in ("admin", "ceo", "leader", "manager"))
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=3)
    # Submissions and publications run on the first of the month; monthly meetings
    # on a weekday of the month (BYDAY), so that none of them lands on a weekend.
    month_start = _first_of_month(today, 1)

    def weekday(offset: int) -> date:
        return monday + timedelta(days=offset)

    # The 1-on-1s fall on the next working day, whatever day the demo is loaded: the
    # manager prepares this week's, and the first of them is on her today list.
    one_on_one_day = today + timedelta(days=1)
    while one_on_one_day.weekday() >= 5:
        one_on_one_day += timedelta(days=1)

    # Two council members from each department, none of them a manager.
    team_members = {seat.key for seat in _seats() if seat.level == 3}
    council = []
    for department in DEPARTMENTS:
        members = [
            person
            for key, person in people.items()
            if key in team_members
            and person.department.name == department
            and person.username not in DEMO_USERNAMES
        ]
        council += rng.sample(members, 2)
    operations_managers = [people[k] for k in ("manager", "shift_a", "logistics", "quality")]
    operations_managers.append(people["maintenance"])
    trainer = next(p for p in people.values() if p.title == "Learning & Development Specialist")
    team = {"audience_kind": AudienceKind.TEAM, "audience_manager": manager}
    below_leader = {
        "audience_kind": AudienceKind.TEAM,
        "audience_manager": leader,
        "audience_include_indirect": True,
    }
    everyone = {"audience_kind": AudienceKind.EVERYONE}

    def create(**fields) -> Program:
        return services.program_create(actor=admin, time_zone=TIME_ZONE, **fields)

    return [
        create(
            practice="EE1",
            name="Personal development plans",
            owner=admin,
            description="Everyone keeps a development plan agreed with their manager; "
            "quarterly check-ins keep growth moving between annual reviews.",
            starts_on=month_start,
            **everyone,
        ),
        create(
            practice="EE2",
            name="The Northwind Monthly",
            owner=ceo,
            description="News from the managing director and every department, so that "
            "nobody learns about a change from the car park.",
            starts_on=month_start,
            **everyone,
        ),
        create(
            practice="EE3",
            name="Monthly engagement pulse",
            owner=admin,
            description="A short anonymous survey each month shows how every team is doing "
            "and whether what we change makes a difference.",
            # Running for two years: the demo's results come with their history.
            starts_on=_first_of_month(today, 24),
            config={"window_days": 10, "anonymous": True, "min_group_size": 5},
            **everyone,
        ),
        create(
            practice="EE4",
            name="Operations monthly accomplishments",
            owner=leader,
            description="Each month everyone in Operations writes down what they got done, "
            "so that good work is seen and remembered at review time.",
            starts_on=month_start,
            config={"due_offset_days": 3},
            audience_kind=AudienceKind.DEPARTMENTS,
            audience_departments=[departments[OPERATIONS]],
        ),
        create(
            practice="EE5",
            name="Employee Council",
            owner=ceo,
            description="Eight colleagues from across Northwind bring proposals from the "
            "floor and decide them with the managing director as sponsor.",
            starts_on=month_start,
            start_time=time(14, 0),
            rrule="FREQ=MONTHLY;BYDAY=1TH",
            config={"term_months": 12},
            audience_kind=AudienceKind.PEOPLE,
            audience_people=council,
        ),
        create(
            practice="EE6",
            name="Quarterly social evening",
            owner=admin,
            description="Food, drinks and a quiz after work: a chance to meet the people "
            "from the other shifts and departments.",
            starts_on=month_start,
            start_time=time(17, 30),
            rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
            duration_minutes=180,
            config={"capacity": 80, "location": "The Riverside Taproom"},
            **everyone,
        ),
        create(
            practice="EE7",
            name="Northwind Stars",
            owner=ceo,
            description="Nominate a colleague who made a difference; the leadership team "
            "chooses the quarter's stars in each category.",
            starts_on=month_start,
            **everyone,
        ),
        create(
            practice="EE8",
            name="Operations round tables",
            owner=leader,
            description="Eight people from different shifts and teams meet the VP Operations "
            "each month and set the agenda themselves.",
            starts_on=month_start,
            start_time=time(11, 0),
            rrule="FREQ=MONTHLY;BYDAY=2WE",
            config={"group_size": 8},
            **below_leader,
        ),
        create(
            practice="EE9",
            name="Operations skip-levels",
            owner=leader,
            description="The VP Operations meets everyone two or more levels down once a "
            "year, one to one and in confidence.",
            starts_on=weekday(1),
            start_time=time(15, 0),
            **below_leader,
        ),
        create(
            practice="EE10",
            name="Shift B 1-on-1s",
            owner=manager,
            description="Every two weeks each person on Shift B has half an hour with their "
            "manager about wins, blockers and growth.",
            starts_on=one_on_one_day - timedelta(weeks=2),
            start_time=time(13, 30),
            rrule=Cadence.BIWEEKLY.rrule,
            **team,
        ),
        create(
            practice="EE11",
            name="Shift B weekly team meeting",
            owner=manager,
            description="Last week's actions, the scorecard and this week's decisions, in "
            "forty-five minutes every Monday.",
            starts_on=weekday(0),
            start_time=time(8, 30),
            **team,
        ),
        create(
            practice="EE12",
            name="Shift B daily WHY huddle",
            owner=manager,
            description="Ten minutes before the shift: why today's work matters, the focus "
            "and a safety reminder.",
            starts_on=weekday(0),
            start_time=time(7, 45),
            rrule=Cadence.DAILY_WORKDAYS.rrule,
            duration_minutes=10,
            **team,
        ),
        create(
            practice="EE13",
            name="Operations weekly scorecard",
            owner=leader,
            description="Each Operations manager reports the week's numbers against target, "
            "rolled into the monthly operations report.",
            starts_on=weekday(0),
            config={
                "metrics": "On-time dispatch %\nPick accuracy %\nSafety incidents\n"
                "Open orders\nOvertime hours"
            },
            audience_kind=AudienceKind.PEOPLE,
            audience_people=operations_managers,
        ),
        create(
            practice="EE14",
            name="Operations & Engineering liaison",
            owner=people["vp_engineering"],
            description="The warehouse runs on our software: both departments review shared "
            "actions and rate each other's service monthly.",
            starts_on=month_start,
            start_time=time(10, 0),
            rrule="FREQ=MONTHLY;BYDAY=3TU",
            audience_kind=AudienceKind.DEPARTMENTS,
            audience_departments=[departments[OPERATIONS], departments[ENGINEERING]],
        ),
        create(
            practice="EE15",
            name="Lunch & Learn",
            owner=trainer,
            description="A colleague teaches something they know well over lunch; sign up, "
            "sandwiches are on us.",
            starts_on=month_start,
            start_time=time(12, 30),
            rrule="FREQ=MONTHLY;BYDAY=-1TH",
            config={"capacity": 25, "location": "Training room, first floor"},
            **everyone,
        ),
        create(
            practice="EE16",
            name="Role descriptions",
            owner=admin,
            description="Every role has a current description; holders confirm they have "
            "read it when it changes and at the yearly review.",
            starts_on=month_start,
            **everyone,
        ),
        create(
            practice="EE17",
            name="Annual performance review",
            owner=admin,
            description="Self, manager and peer reviews once a year, signed off by both "
            "sides, so that pay and promotion rest on the whole year.",
            starts_on=month_start,
            **everyone,
        ),
    ]


def demo_accounts() -> list[dict[str, str]]:
    """The demo accounts present in the database, with their password and role."""
    roles = {
        "admin": "HR administrator",
        "leader": "Senior leader",
        "manager": "People manager",
        "employee": "Employee",
        "operator": "Operator (Django admin only)",
    }
    # Only the demo's own accounts (its address domain): a real organisation's "admin"
    # is never announced with the demo password.
    found = {
        p.username: p
        for p in Person.objects.filter(
            username__in=DEMO_USERNAMES, email__iendswith=f"@{EMAIL_DOMAIN}", is_active=True
        )
    }
    return [
        {
            "username": username,
            "password": settings.RAPPORT_DEMO_PASSWORD,
            "role": roles[username],
            "name": f"{found[username].get_full_name()}, {found[username].title}",
        }
        for username in DEMO_USERNAMES
        if username in found
    ]


def _create_operator() -> Person:
    """The site's operator: a superuser for the Django admin, outside the organisation."""
    return Person.objects.create_superuser(
        OPERATOR_USERNAME,
        f"{OPERATOR_USERNAME}@{EMAIL_DOMAIN}",
        settings.RAPPORT_DEMO_PASSWORD,
        first_name="Site",
        last_name="Operator",
        title="Runs the installation",
    )


def _seat_council(rng: random.Random, people: dict, programs: list[Program]) -> None:
    """Eight council members from across the organisation, the demo employee among them,
    serving a year from the program's start; the first is the chair."""
    council = next(p for p in programs if p.practice == "EE5")
    candidates = list(
        Person.objects.filter(is_senior_leader=False, direct_reports__isnull=True)
        .exclude(pk=people["employee"].pk)
        .order_by("pk")
    )
    members = [people["employee"], *rng.sample(candidates, 7)]
    ends_on = council.starts_on.replace(year=council.starts_on.year + 1) - timedelta(days=1)
    ProgramMember.objects.bulk_create(
        [
            ProgramMember(
                program=council,
                person=person,
                role=MemberRole.CHAIR if index == 1 else MemberRole.MEMBER,
                starts_on=council.starts_on,
                ends_on=ends_on,
            )
            for index, person in enumerate(members)
        ]
    )


def demo_load(*, stdout: TextIO | None = None) -> bool:
    """Load the demo organisation into an empty database; return whether it did.

    A database that has any person at all is left alone, so the demo can never
    be mixed into a real organisation or loaded twice.
    """

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    with transaction.atomic():
        if Person.objects.exists():
            say(ALREADY_LOADED)
            return False
        rng = random.Random(SEED)
        departments = {}
        for name, description in DEPARTMENTS.items():
            departments[name], _ = Department.objects.get_or_create(
                name=name, defaults={"description": description}
            )
        people = _build_people(rng, departments)
        # Named liaisons for the inter-department sessions (EE14).
        departments[OPERATIONS].liaison = people["logistics"]
        departments[ENGINEERING].liaison = people["eng_platform"]
        Department.objects.bulk_update(departments.values(), ["liaison"])
        programs = _build_programs(rng, people, departments)
        _seat_council(rng, people, programs)
        _create_operator()
    say(
        f"Loaded the demo organisation: {len(people)} people in {len(departments)} "
        f"departments, {Person.objects.managers().count()} managers, "
        f"{Person.objects.filter(is_senior_leader=True).count()} senior leaders, "
        f"{len(programs)} programs (one per practice)."
    )
    return True
