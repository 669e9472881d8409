"""What scheduling answers for the layer below through the registry (engagement.extensions)."""

from __future__ import annotations

from datetime import datetime

from django_q.tasks import async_task

from engagement.models import Program
from scheduling.models import Session


def program_has_opened(program: Program, now: datetime) -> bool:
    """Whether any session or period of the program has started (a survey's anonymity
    settings are fixed from then on)."""
    return Session.objects.filter(program=program, starts_at__lte=now).exists()


def plan_program_soon(program_id: int) -> None:
    """Queue the planning of one program (a program was created or changed)."""
    async_task("scheduling.tasks.plan_program", program_id)
