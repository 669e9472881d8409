"""The suite runs without migrations for speed, so check them here: a migration
graph that does not load, or a model change without its migration, fails CI."""

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings


@override_settings(MIGRATION_MODULES={})
def test_the_migration_graph_loads(db):
    loader = MigrationLoader(connection)
    loader.graph.validate_consistency()
    leaves = {app for app, _ in loader.graph.leaf_nodes()}
    assert {"engagement", "scheduling", "meetings"} <= leaves


@override_settings(MIGRATION_MODULES={})
def test_every_model_change_has_its_migration(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_migrate_makes_the_cache_table_when_the_cache_is_the_database(db, settings):
    """The shared cache is a table by default: ``migrate`` makes it (post_migrate), so a
    deployment that only migrates has it."""
    from engagement.apps import create_cache_table

    settings.CACHES = {
        "default": {"BACKEND": "engagement.cache.DatabaseCache", "LOCATION": "test_made_cache"}
    }
    create_cache_table(sender=None)
    try:
        assert "test_made_cache" in connection.introspection.table_names()
        create_cache_table(sender=None)  # again: nothing happens
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE test_made_cache")
