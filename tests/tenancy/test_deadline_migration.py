"""Revision 0008 keeps every existing due date and records the rule it was counted by."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import text

from giamsat.tenancy.migrations import upgrade_tenant


def test_existing_due_dates_stay_and_name_qd_124_as_their_rule(engine, migrations_dir):
    schema = f"t_scratch_{uuid.uuid4().hex[:8]}"
    try:
        upgrade_tenant(engine, migrations_dir, schema, "0007")
        with engine.begin() as conn:
            conn.execute(text(f'SET LOCAL search_path TO "{schema}"'))
            conn.execute(
                text(
                    "INSERT INTO unit_levels (code, rank, name_vi, name_en, "
                    "is_residential_area, holds_residential_areas) "
                    "VALUES ('commune', 1, 'Xã', 'Commune', false, true)"
                )
            )
            unit = conn.execute(
                text(
                    "INSERT INTO units (level_code, path, name, kind, valid_from) "
                    "VALUES ('commune', '/1/', 'Xã Một', 'xã', '2025-07-01') RETURNING id"
                )
            ).scalar_one()
            ids = []
            for seq, forwarded in ((1, dt.date(2026, 3, 2)), (2, None)):
                ids.append(
                    conn.execute(
                        text(
                            "INSERT INTO cases (unit_id, year, seq, received_on, channel, kind, "
                            "title, content, concerned, status, is_complex, reporter_mode, "
                            "recipient_kind, recipient_name, forwarded_on, due_on) VALUES "
                            "(:unit, 2026, :seq, '2026-03-02', 'in_person', 'petition', 't', "
                            "'c', '', :status, true, 'anonymous', :recipient, :name, "
                            ":forwarded, :due) RETURNING id"
                        ),
                        {
                            "unit": unit,
                            "seq": seq,
                            "status": "awaiting_response" if forwarded else "verifying",
                            "recipient": "authority" if forwarded else None,
                            "name": "UBND xã" if forwarded else None,
                            "forwarded": forwarded,
                            "due": dt.date(2026, 4, 13) if forwarded else None,
                        },
                    ).scalar_one()
                )
            conn.execute(
                text(
                    "INSERT INTO case_events (case_id, at, actor_label, action, details) "
                    "VALUES (:case, now(), 'x', 'forward', "
                    '\'{"working_days": 30, "due_on": "2026-04-13"}\')'
                ),
                {"case": ids[0]},
            )
        upgrade_tenant(engine, migrations_dir, schema)
        with engine.begin() as conn:
            conn.execute(text(f'SET LOCAL search_path TO "{schema}"'))
            rows = conn.execute(
                text("SELECT id, due_on, deadline_rule_id, deadline_basis FROM cases ORDER BY id")
            ).all()
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    forwarded, unforwarded = rows
    assert forwarded.due_on == dt.date(2026, 4, 13) and forwarded.deadline_rule_id is None
    assert forwarded.deadline_basis.startswith(
        "QĐ 124-QĐ/TW (02/02/2018), Điều 8: 30 ngày làm việc kể từ ngày chuyển 02/03/2026"
    )
    assert "[PARTIAL]" in forwarded.deadline_basis
    assert unforwarded.due_on is None and unforwarded.deadline_basis is None
