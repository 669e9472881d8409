from django.apps import AppConfig
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

from engagement import extensions


def create_cache_table(sender, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs) -> None:
    """The cache every process shares is a table in the database by default
    (config/settings.py): ``migrate`` makes it with the other tables, so that no
    deployment, demo or test database lacks it. Nothing happens when the table
    exists or the cache is Redis."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Organisation and programs"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)

        extensions.nav("Home", "engagement:home", extensions.everyone, order=10)
        extensions.nav("Practices", "engagement:practice_list", extensions.everyone, order=20)
        extensions.nav("Programs", "engagement:program_list", extensions.everyone, order=30)
        extensions.nav("People", "engagement:person_list", extensions.everyone, order=40)
