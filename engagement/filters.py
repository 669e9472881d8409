"""django-filter filter sets for the people and program lists."""

import django_filters
from django import forms
from django.db.models import Q

from engagement import access
from engagement.models import Department, Person, Program, ProgramStatus
from engagement.practices import PRACTICES


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), empty_label="All departments"
    )
    manager = django_filters.ModelChoiceFilter(
        queryset=Person.objects.active().managers().order_by("last_name", "first_name"),
        empty_label="Any manager",
        label="Reports to",
    )

    class Meta:
        model = Person
        fields = ["q", "department", "manager"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    practice = django_filters.ChoiceFilter(choices=[], empty_label="All practices")
    owner = django_filters.ModelChoiceFilter(
        queryset=Person.objects.none(), empty_label="Any owner"
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        method="filter_department",
        empty_label="All departments",
        label="Department",
    )
    status = django_filters.ChoiceFilter(
        choices=ProgramStatus.choices, empty_label="Any status", widget=forms.Select
    )

    class Meta:
        model = Program
        fields = ["q", "practice", "owner", "department", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only owners of programs the viewer may see: the choice list
        # must not reveal who runs programs the viewer cannot open.
        self.filters["owner"].queryset = Person.objects.filter(
            pk__in=self.queryset.values("owner")
        ).order_by("last_name", "first_name")
        viewer = getattr(self.request, "user", None)
        self.filters["practice"].extra["choices"] = [
            (p.code, p.label(with_code=access.sees_practice_codes(viewer))) for p in PRACTICES
        ]

    def filter_department(self, queryset, name, value):
        """Programs for that department: its audience, or run by someone in it."""
        return queryset.filter(
            Q(audience_departments=value) | Q(owner__department=value)
        ).distinct()
