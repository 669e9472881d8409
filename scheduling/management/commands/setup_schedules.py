from django.core.management.base import BaseCommand
from django.db.models import Q
from django_q.models import Schedule

from scheduling.schedules import JOBS


class Command(BaseCommand):
    help = "Create or update the recurring background jobs (idempotent)."

    def handle(self, *args, **options):
        for job in JOBS:
            _, created = Schedule.objects.update_or_create(
                name=job.name,
                defaults={
                    "func": job.func,
                    "schedule_type": job.schedule_type,
                    "minutes": job.minutes,
                    "repeats": -1,
                },
            )
            self.stdout.write(f"{'Created' if created else 'Up to date'}: {job.name}")
        # Only schedules of the apps that declare jobs here are ours to remove.
        ours = Q()
        for app in {job.func.split(".", 1)[0] for job in JOBS}:
            ours |= Q(func__startswith=f"{app}.")
        stale = Schedule.objects.filter(ours).exclude(name__in=[job.name for job in JOBS])
        removed, _ = stale.delete()
        if removed:
            self.stdout.write(f"Removed {removed} schedule(s) no longer declared.")
