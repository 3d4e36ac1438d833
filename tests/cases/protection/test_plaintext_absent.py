"""The reporter's name, contact and address are in no column of any table, and in no log line,
after intake, reveal, escalation and key rotation."""

from __future__ import annotations

import logging

from sqlalchemy import select, text

from giamsat.cases import key_rotation, operations, protection
from giamsat.cases.models import Case, ReporterIdentity
from giamsat.identity import Role
from tests.plugins.protection import IDENTITY, NEEDLES

REASON = "Cần liên hệ lại người tố cáo để xác minh"
#: A word of the case content: proves the scan does read the rows it checks.
CONTROL = "Khoảnh-đất-thử-nghiệm"


def _tables(conn):
    return conn.execute(
        text(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('shared', 't_alpha', 't_beta') AND table_type = 'BASE TABLE' "
            "ORDER BY 1, 2"
        )
    ).all()


def _bytea_columns(conn):
    return conn.execute(
        text(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE table_schema IN ('shared', 't_alpha', 't_beta') AND data_type = 'bytea'"
        )
    ).all()


def rows_containing(conn, needle: str) -> list[str]:
    """Tables whose rows, as text, contain `needle` (case-insensitive), and bytea columns
    holding its UTF-8 bytes."""
    found = []
    for schema, table in _tables(conn):
        hit = conn.execute(
            text(
                f'SELECT count(*) FROM "{schema}"."{table}" t '
                f"WHERE strpos(lower(t::text), lower(:n)) > 0"
            ),
            {"n": needle},
        ).scalar()
        if hit:
            found.append(f"{schema}.{table}")
    for schema, table, column in _bytea_columns(conn):
        for variant in {needle, needle.lower()}:
            hit = conn.execute(
                text(
                    f'SELECT count(*) FROM "{schema}"."{table}" '
                    f'WHERE position(:n IN "{column}") > 0'
                ),
                {"n": variant.encode("utf-8")},
            ).scalar()
            if hit:
                found.append(f"{schema}.{table}.{column}")
    return found


def test_identity_is_in_no_column_of_any_table_and_no_log(
    make_case, tenant_session, add_user, principal_of, world, caplog, json_log
):
    caplog.set_level(logging.DEBUG)
    case = make_case(
        reporter_mode="confidential", reporter=IDENTITY, content=f"Phản ánh về {CONTROL} của thôn."
    )
    session = tenant_session("alpha")
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    revealed = protection.reveal_identity(
        session, principal_of("alpha", "x-leader"), session.get(Case, case.id), reason=REASON
    )
    assert revealed == IDENTITY
    # The escalated copy at the province carries no identity at all.
    copy = operations.escalate_case(
        session, principal_of("alpha", "x-staff"), case.id, reason="Vượt thẩm quyền cấp xã."
    )
    assert not protection.has_identity(session, copy.id)
    assert protection.has_identity(session, case.id)
    key_rotation.rotate_data_key(session)
    session.flush()

    conn = session.connection()
    assert "t_alpha.cases" in rows_containing(conn, CONTROL)
    blob = session.scalar(
        select(ReporterIdentity.ciphertext).where(ReporterIdentity.case_id == case.id)
    )
    assert conn.execute(
        text(
            "SELECT count(*) FROM t_alpha.reporter_identities WHERE position(:n IN ciphertext) > 0"
        ),
        {"n": blob[:16]},
    ).scalar()
    for needle in NEEDLES:
        assert rows_containing(conn, needle) == [], needle

    logged = caplog.text + json_log.getvalue()
    assert "reporter identity revealed" in logged  # the reveal is logged, without the person
    for needle in NEEDLES:
        assert needle not in logged


def test_anonymous_intake_keeps_no_identity_row(make_case, tenant_session):
    case = make_case(reporter_mode="anonymous")
    session = tenant_session("alpha")
    assert (
        session.scalar(select(ReporterIdentity).where(ReporterIdentity.case_id == case.id)) is None
    )
    assert protection.masked_reporter(case) == "Nặc danh"
