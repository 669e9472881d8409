"""A page that reads many figures reads them from one state of the database.

``read_snapshot()`` opens a transaction that only reads: on PostgreSQL a
``REPEATABLE READ READ ONLY`` one; on SQLite a deferred one. The project's
SQLite connections begin every transaction ``IMMEDIATE`` (a writer must not
fail half-way when the worker writes too), which takes the file's write lock at
once: a results page held it for its whole rendering, and every other results
page, sign-in and answer queued behind it. A deferred transaction holds a
shared lock from its first read to its end, which gives the same consistent
view and lets readers run side by side.

Nothing inside may write: anything meant for the cache is written once the
snapshot ends (``transaction.on_commit``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.db import connection, transaction


@contextmanager
def read_snapshot() -> Iterator[None]:
    if connection.in_atomic_block:
        # Inside a caller's transaction (a service, a test): that one is the snapshot.
        with transaction.atomic():
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with ExitStack() as stack:
            # BEGIN is sent on entering the block: deferred for this one only.
            immediate, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
            try:
                stack.enter_context(transaction.atomic())
            finally:
                connection.transaction_mode = immediate
            yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
