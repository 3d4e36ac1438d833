"""Migrations never run at app start: building and serving the app leaves an empty database
empty (`giamsat db upgrade` / `tenants apply` are the only ways in)."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from giamsat.jobs.runtime import APP_EXTENSION


@pytest.mark.usefixtures("keep_job_runtime")
def test_an_app_on_an_empty_database_creates_nothing(database_url, settings):
    from giamsat.app import create_app

    server = make_url(database_url)
    name = f"giamsat_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    empty_url = server.set(database=name).render_as_string(hide_password=False)
    try:
        app = create_app(settings=dataclasses.replace(settings, database_url=empty_url))
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        # No registry table: the request fails plainly instead of creating anything.
        assert client.get("/t/alpha/").status_code == 500
        app.extensions[APP_EXTENSION].database.dispose()
        probe = create_engine(empty_url, poolclass=NullPool)
        with probe.connect() as conn:
            schemas = (
                conn.execute(
                    text(
                        "SELECT schema_name FROM information_schema.schemata "
                        "WHERE schema_name NOT LIKE 'pg\\_%' AND schema_name <> 'information_schema'"
                    )
                )
                .scalars()
                .all()
            )
        probe.dispose()
        assert sorted(schemas) == ["public"]
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
