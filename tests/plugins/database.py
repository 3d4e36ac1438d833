"""Sessions that join one rolled-back transaction per schema: each test's writes vanish at its end.

A test-only variant of `giamsat.core.db.Database`: every schema gets one connection inside an
open transaction, its translate map fixed when it is opened; sessions join it through
SAVEPOINTs. A connection's options are never changed later, so a session of tenant A can never
run in tenant B's schema. Each session's transaction (a SAVEPOINT here) still enters the schema's
database role first (`core.db`), as in production: the second wall holds in tests too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine

from giamsat.core.db import Database


class IsolatedDatabase(Database):
    def __init__(self, engine: Engine):
        super().__init__(engine)
        self._isolating = False

    def _bind_for(self, schema: str | None) -> Engine | Connection:
        key = schema or ""
        if not self._isolating or key in self._binds:
            return super()._bind_for(schema)
        bind = self.engine.connect()
        bind.begin()
        if schema:
            bind.execution_options(schema_translate_map={None: schema})
        self._binds[key] = bind
        return bind

    @contextmanager
    def isolated(self) -> Iterator[None]:
        """Run everything inside transactions that are rolled back afterwards."""
        self._binds.clear()
        self._isolating = True
        try:
            yield
        finally:
            for bind in self._binds.values():
                if isinstance(bind, Connection):
                    bind.rollback()
                    bind.close()
            self._binds.clear()
            self._isolating = False
