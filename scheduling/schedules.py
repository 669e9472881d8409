"""The recurring background jobs every app declared (``engagement.extensions.job`` in its
``AppConfig.ready()``), for ``setup_schedules``.

``setup_schedules`` creates or updates these by name, so running it again (as
``make run`` does on every start) changes nothing that is already right.
"""

from __future__ import annotations

from django.db.models import Q
from django_q.models import Schedule

from engagement.extensions import Job, registry


def jobs() -> tuple[Job, ...]:
    """The jobs registered so far: every installed app's, once Django is set up."""
    return tuple(registry.jobs)


def setup(write=lambda line: None) -> None:
    """Create or update each declared job by name, and remove the schedules of the
    declaring apps that are no longer declared."""
    declared = jobs()
    for job in declared:
        _, created = Schedule.objects.update_or_create(
            name=job.name,
            defaults={
                "func": job.func,
                "schedule_type": job.schedule_type,
                "minutes": job.minutes,
                "repeats": -1,
            },
        )
        write(f"{'Created' if created else 'Up to date'}: {job.name}")
    # Only schedules of the apps that declare jobs are ours to remove.
    ours = Q()
    for app in {job.func.split(".", 1)[0] for job in declared}:
        ours |= Q(func__startswith=f"{app}.")
    if not ours:
        return
    stale = Schedule.objects.filter(ours).exclude(name__in=[job.name for job in declared])
    removed, _ = stale.delete()
    if removed:
        write(f"Removed {removed} schedule(s) no longer declared.")
