"""The embedded PostgreSQL: fresh cluster, clean stop, data reused, one server per data folder."""

from __future__ import annotations

import os

import psutil
import psycopg
import pytest

from giamsat.devstack.postgres import SYSTEM_USER, EmbeddedPostgres, PostgresError


def _running_on(folder) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if str(folder) in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


def test_start_stop_and_restart_reuses_the_data(scratch):
    pg = EmbeddedPostgres(scratch / "postgres")
    pg.start()
    try:
        assert pg.created
        assert pg.port not in (None, 5432)
        assert pg.ensure_database("giamsat") is True
        with psycopg.connect(pg.url(driver="postgresql")) as conn:
            conn.execute("CREATE TABLE kept (note text)")
            conn.execute("INSERT INTO kept VALUES ('Ninh Bình')")
            # What the migrations need from contrib, with Vietnamese text.
            conn.execute("CREATE EXTENSION unaccent")
            conn.execute("CREATE EXTENSION pg_trgm")
            assert conn.execute("SELECT unaccent('Ninh Bình')").fetchone() == ("Ninh Binh",)
    finally:
        first_pid = pg.pid
        pg.stop()
    assert not psutil.pid_exists(first_pid)
    assert _running_on(scratch / "postgres") == []

    again = EmbeddedPostgres(scratch / "postgres")
    again.start()
    try:
        assert not again.created  # no second initdb
        assert again.ensure_database("giamsat") is False
        with psycopg.connect(again.url(driver="postgresql")) as conn:
            assert conn.execute("SELECT note FROM kept").fetchall() == [("Ninh Bình",)]
    finally:
        pid = again.pid
        again.stop()
    assert not psutil.pid_exists(pid)


def test_a_second_server_on_the_same_folder_is_refused(scratch):
    first = EmbeddedPostgres(scratch / "postgres")
    first.start()
    try:
        with pytest.raises(PostgresError, match="đang chạy"):
            EmbeddedPostgres(scratch / "postgres").start()
        # The refused start left the running server alone.
        with psycopg.connect(first.url("postgres", driver="postgresql")) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        first.stop()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root switches to the server user")
def test_as_root_the_server_runs_as_its_own_user(scratch):
    pg = EmbeddedPostgres(scratch / "postgres")
    pg.start()
    try:
        assert psutil.Process(pg.pid).username() == SYSTEM_USER
        assert (scratch / "postgres").owner() == SYSTEM_USER
        assert (scratch / "postgres").stat().st_mode & 0o777 == 0o700
    finally:
        pg.stop()


def test_a_broken_cluster_gives_a_clear_error_and_leaves_nothing_running(scratch):
    pg = EmbeddedPostgres(scratch / "postgres")
    pg.start()
    pg.stop()
    (scratch / "postgres" / "postgresql.conf").write_text("this is not = a valid setting line\n")
    with pytest.raises(PostgresError, match="không khởi động được"):
        EmbeddedPostgres(scratch / "postgres").start(timeout=10)
    assert _running_on(scratch / "postgres") == []
