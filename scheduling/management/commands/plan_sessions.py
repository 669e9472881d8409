from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from engagement.models import Program, ProgramStatus
from scheduling.models import Session, SessionStatus
from scheduling.planner import sessions_plan_all


def _programs_to_plan(now) -> int:
    # The same programs sessions_plan_all walks: active ones, and any other
    # that still has untouched future sessions to cancel.
    still_planned = Session.objects.filter(
        planned_start__gt=now, touched=False, status=SessionStatus.SCHEDULED
    ).values("program")
    return Program.objects.filter(Q(status=ProgramStatus.ACTIVE) | Q(pk__in=still_planned)).count()


class Command(BaseCommand):
    help = "Plan every program's sessions now, as the hourly background job does."

    def handle(self, *args, **options):
        now = timezone.now()
        with tqdm(
            total=_programs_to_plan(now),
            unit="program",
            desc="Planning",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
        ) as bar:
            result = sessions_plan_all(now=now, progress=bar.update)
        self.stdout.write(f"Sessions: {result}.")
