"""What scheduling answers for the layer below through the registry (engagement.extensions)."""

from __future__ import annotations

import logging
from datetime import datetime

from django_q.tasks import async_task

from engagement.models import Program
from scheduling import planner
from scheduling.models import Session

logger = logging.getLogger(__name__)


def program_has_opened(program: Program, now: datetime) -> bool:
    """Whether any session or period of the program has started (a survey's anonymity
    settings are fixed from then on)."""
    return Session.objects.filter(program=program, starts_at__lte=now).exists()


def plan_program_soon(program_id: int) -> None:
    """Plan one program that was created or changed, at once (called once the change is
    committed), so that its page shows the sessions when the person who saved it lands
    there. Should planning fail, a worker tries again; the hourly pass is the last net."""
    program = Program.objects.select_related("owner").filter(pk=program_id).first()
    if program is None:
        return
    try:
        planner.session_plan(program=program)
    except Exception:
        logger.exception("Planning program %s at once failed; a worker will retry.", program_id)
        async_task("scheduling.tasks.plan_program", program_id)
