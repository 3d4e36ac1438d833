"""`is_database_outage`: connection-level failures count, a refused statement does not."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import make_url

from giamsat.core.db import CONNECT_TIMEOUT, POOL_TIMEOUT, is_database_outage, make_engine
from giamsat.devstack.supervisor import free_port


def _raised(run) -> BaseException:
    with pytest.raises(Exception) as info:
        run()
    return info.value


def test_no_server_listening_is_an_outage(database_url):
    url = make_url(database_url).set(port=free_port())
    engine = make_engine(url.render_as_string(hide_password=False), pool_size=1)
    try:
        error = _raised(lambda: engine.connect().close())
    finally:
        engine.dispose()
    assert isinstance(error, exc.OperationalError) and is_database_outage(error)


def test_a_connection_the_server_ended_is_an_outage(engine):
    with engine.connect() as victim, engine.connect() as admin:
        pid = victim.execute(text("SELECT pg_backend_pid()")).scalar_one()
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        error = _raised(lambda: victim.execute(text("SELECT 1")))
    assert is_database_outage(error)


def test_a_full_pool_is_an_outage(database_url):
    engine = create_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.1)
    try:
        with engine.connect():
            error = _raised(lambda: engine.connect().close())
    finally:
        engine.dispose()
    assert isinstance(error, exc.TimeoutError) and is_database_outage(error)


def test_a_failing_statement_is_not_an_outage(engine):
    with engine.connect() as conn:
        division = _raised(lambda: conn.execute(text("SELECT 1 / 0")))
        conn.rollback()
        conn.execute(text("SET statement_timeout = 50"))
        too_slow = _raised(lambda: conn.execute(text("SELECT pg_sleep(1)")))
    assert isinstance(too_slow, exc.OperationalError)  # QueryCanceled is "operational" too
    assert not is_database_outage(division) and not is_database_outage(too_slow)


def _refused(database_url) -> exc.OperationalError:
    url = make_url(database_url).set(port=free_port())
    engine = make_engine(url.render_as_string(hide_password=False), pool_size=1)
    try:
        error = _raised(lambda: engine.connect().close())
    finally:
        engine.dispose()
    assert isinstance(error, exc.OperationalError)
    return error


def test_a_bug_while_handling_an_outage_is_not_one(database_url):
    outage = _refused(database_url)
    try:
        raise outage
    except exc.OperationalError:
        bug = _raised(lambda: None + 1)  # type: ignore[operator]
    assert bug.__context__ is outage and not is_database_outage(bug)


def test_an_outage_raised_again_on_purpose_still_counts(database_url):
    outage = _refused(database_url)
    try:
        raise RuntimeError("could not load the tenant") from outage
    except RuntimeError as wrapped:
        assert is_database_outage(wrapped)


def test_engines_give_up_connecting_within_seconds(database_url):
    engine = make_engine(database_url, pool_size=1)
    try:
        assert engine.pool.timeout() == POOL_TIMEOUT
        with engine.connect() as conn:
            # What the server was told: libpq's connect_timeout, in seconds.
            assert conn.connection.dbapi_connection.info.get_parameters()["connect_timeout"] == (
                str(CONNECT_TIMEOUT)
            )
    finally:
        engine.dispose()
    assert CONNECT_TIMEOUT <= 5
