"""The organisation: departments and people, and the tree of managers."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.urls import reverse


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    liaison = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_for",
        help_text="Represents the department in inter-department sessions.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("engagement:person_list") + f"?department={self.pk}"


def tree_cte(name: str, anchor: str, *, roots: bool = False) -> str:
    """The one recursive CTE of the organisation tree, for ``WITH RECURSIVE``: ``name(id)``
    lists the people matching ``anchor`` (a condition on the people table, with its own
    ``%s`` parameters) and everyone below them; with ``roots``, ``name(root, id)`` also
    carries, for each, the anchored person they are under (the tree under these roots).

    The anchor reads ids from the table, not a bare parameter: PostgreSQL types a
    parameter as integer and the recursive term as bigint. UNION (not UNION ALL)
    stops the recursion even if bad data ever formed a cycle, so a corrupt tree
    cannot hang a page.
    """
    table = Person._meta.db_table
    if roots:
        return (
            f"{name}(root, id) AS (SELECT id, id FROM {table} WHERE {anchor}"
            f" UNION SELECT s.root, p.id FROM {table} p INNER JOIN {name} s ON p.manager_id = s.id)"
        )
    return (
        f"{name}(id) AS (SELECT id FROM {table} WHERE {anchor}"
        f" UNION SELECT p.id FROM {table} p INNER JOIN {name} s ON p.manager_id = s.id)"
    )


def below_sql(person_id: int, *, and_self: bool = False, vendor: str = "") -> tuple[str, list]:
    """A ``SELECT`` of everyone below ``person_id`` (and the person, with ``and_self``), for
    ``IN (...)``, and its parameters: one statement, whatever the depth.

    With ``vendor="postgresql"`` the ids go through an array, so that the planner sees
    a short list and uses the manager index: with the bare CTE it guesses hundreds of
    rows and scans, say, every answer of a survey even for a team of ten.
    """
    anchor = "id = %s" if and_self else "manager_id = %s"
    sql = f"WITH RECURSIVE {tree_cte('subtree', anchor)} SELECT id FROM subtree"
    if vendor == "postgresql":
        sql = f"SELECT unnest(ARRAY({sql}))"
    return sql, [person_id]


def _chain_sql(table: str) -> str:
    return (
        f"WITH RECURSIVE chain(id, manager_id) AS ("
        f" SELECT id, manager_id FROM {table} WHERE id = %s"
        f" UNION"
        f" SELECT p.id, p.manager_id FROM {table} p INNER JOIN chain c ON p.id = c.manager_id"
        f") SELECT id FROM chain WHERE id <> %s"
    )


def climb(
    person: Person,
    passes: Callable[[int], bool],
    *,
    and_self: bool = False,
    or_top: bool = False,
) -> int | None:
    """Climb the line of managers from ``person``'s manager (from ``person`` with
    ``and_self``) to the nearest whose group ``passes(manager_id)``: the climb to the
    nearest group with the minimum. None when nobody on the line passes, or, with
    ``or_top``, the top of the line. Loads the line (one query) only if the first
    step does not pass."""
    start = person.pk if and_self else person.manager_id
    if start is None:
        return None
    if passes(start):
        return start
    line = dict(Person.objects.above(person).values_list("pk", "manager_id"))
    top = start
    boss = person.manager_id if and_self else line.get(start)
    while boss is not None:
        top = boss
        if passes(boss):
            return boss
        boss = line.get(boss)
    return top if or_top else None


class PersonQuerySet(models.QuerySet):
    def below(self, person: Person | int) -> PersonQuerySet:
        """Everyone under ``person`` at any depth, as one SQL query (a recursive CTE)."""
        sql, params = below_sql(getattr(person, "pk", person))
        return self.filter(pk__in=RawSQL(sql, params))

    def above(self, person: Person | int) -> PersonQuerySet:
        """The chain of managers over ``person``, as one SQL query."""
        pk = getattr(person, "pk", person)
        return self.filter(pk__in=RawSQL(_chain_sql(self.model._meta.db_table), [pk, pk]))

    def active(self) -> PersonQuerySet:
        """Active people of the organisation: operator accounts are not part of it."""
        return self.filter(is_active=True, is_operator=False)

    def managers(self) -> PersonQuerySet:
        """People with at least one active direct report."""
        return self.filter(direct_reports__is_active=True).distinct()

    def with_report_count(self) -> PersonQuerySet:
        return self.annotate(
            report_count=models.Count("direct_reports", filter=Q(direct_reports__is_active=True))
        )

    def search(self, text: str) -> PersonQuerySet:
        """Match names and titles. Not e-mail addresses: the directory does not show
        them, and a search on them would let anyone confirm an address letter by letter."""
        query = Q()
        for word in text.split():
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(title__icontains=word)
            )
        return self.filter(query)


class PersonManager(UserManager.from_queryset(PersonQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``createsuperuser`` makes an operator account for the Django admin, outside the
        organisation; HR administrators are people of the organisation with staff rights."""
        extra_fields.setdefault("is_operator", True)
        return super().create_superuser(username, email, password, **extra_fields)


class Person(AbstractUser):
    """One person of the organisation, and their login.

    The organisation is the tree of ``manager`` links. Roles: anyone with
    direct reports manages; ``is_senior_leader`` marks those who host
    skip-levels and round tables; ``is_hr_admin`` configures programs.
    """

    title = models.CharField(max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        help_text="The person this one reports to. Leave empty for the top of the organisation.",
    )
    is_senior_leader = models.BooleanField(
        "senior leader",
        default=False,
        help_text="Hosts skip-level interviews and round tables; sees engagement "
        "dashboards for everyone below.",
    )
    is_hr_admin = models.BooleanField(
        "HR administrator",
        default=False,
        help_text="Configures programs of every practice for the whole organisation.",
    )
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="Times are shown in this zone; empty means the site's."
    )
    started_on = models.DateField("start date", null=True, blank=True)
    is_operator = models.BooleanField(
        "operator account",
        default=False,
        help_text="A technical account that runs the site through the Django admin; not part "
        "of the organisation (not in the directory, audiences or plans).",
    )
    email_reminders = models.BooleanField(
        "e-mail reminders",
        default=True,
        help_text="Send reminders before sessions and due dates, and a nudge when overdue.",
    )

    objects = PersonManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique_ci",
                violation_error_message="Another person already has this e-mail address.",
            ),
            models.CheckConstraint(
                condition=~Q(manager=models.F("pk")),
                name="person_not_own_manager",
                violation_error_message="A person cannot be their own manager.",
            ),
        ]
        indexes = [models.Index(fields=["manager"], name="person_manager_idx")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("engagement:person_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return str(self)

    @property
    def is_hr(self) -> bool:
        return self.is_hr_admin or self.is_superuser

    def is_below(self, other: Person) -> bool:
        """True when ``other`` is somewhere in this person's chain of managers."""
        if other.pk is None or self.pk is None or other.pk == self.pk:
            return False
        return Person.objects.below(other).filter(pk=self.pk).exists()

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()
        if self.manager_id and self.pk:
            if self.manager_id == self.pk:
                raise ValidationError({"manager": "A person cannot be their own manager."})
            if Person.objects.below(self).filter(pk=self.manager_id).exists():
                raise ValidationError(
                    {
                        "manager": "This manager reports to this person already; that would "
                        "make a loop in the organisation."
                    }
                )
