"""The cache every process shares: Django's database cache, made safe to read inside
a read-only snapshot (``engagement.snapshots``).

Django's database cache deletes an expired entry when it reads one. A results page
reads its cached figures inside a read-only transaction, where that delete fails
on PostgreSQL and would take SQLite's write lock; so here a read never writes. An
expired entry reads as missing, and is replaced by the next write of its key or
removed by the culling that every write does once the table is full.
"""

from __future__ import annotations

from django.core.cache.backends import db


class DatabaseCache(db.DatabaseCache):
    _reading = False

    def get_many(self, keys, version=None):
        # Each thread has its own cache object (django.core.cache.caches), so the flag
        # is this read's alone.
        self._reading = True
        try:
            return super().get_many(keys, version=version)
        finally:
            self._reading = False

    def _base_delete_many(self, keys):
        if self._reading:
            return False
        return super()._base_delete_many(keys)
