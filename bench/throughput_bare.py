"""The bare endpoint of `throughput.py`: a Flask + SQLAlchemy app serving the commune staff
case list with the product's auth and answer, and nothing else (gunicorn:
`throughput_bare:create_bare()`, with BENCH_DATABASE_URL set)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys

from sqlalchemy import create_engine, text

from giamsat.http.counts import COUNT_CAP  # the product's cap: the same total

sys.path.insert(0, os.path.dirname(__file__))
import rollup_data as rollup  # noqa: E402  (the one data generator: its slug and schema)

PATH = f"/api/v1/t/{rollup.SLUG}/cases"
PAGE = 20

S = rollup.SCHEMA
TOKEN_SQL = text(
    f"SELECT t.user_id, t.revoked_at, t.expires_at, t.scope, us.is_active, u.path"
    f" FROM {S}.api_tokens t JOIN {S}.users us ON us.id = t.user_id"
    f" LEFT JOIN {S}.role_assignments r ON r.user_id = us.id"
    f" LEFT JOIN {S}.units u ON u.id = r.unit_id WHERE t.token_hash = :h"
)
VISIBLE = f"c.unit_id IN (SELECT id FROM {S}.units WHERE path LIKE ANY(:roots))"
COUNT_SQL = text(
    f"SELECT count(*) FROM (SELECT 1 FROM {S}.cases c WHERE {VISIBLE} LIMIT {COUNT_CAP + 1}) s"
)
PAGE_SQL = text(
    "SELECT c.id, c.seq, c.year, c.unit_id, u.name, c.received_on, c.channel, c.kind, c.title,"
    " c.status, c.due_on, c.reporter_mode, c.organization_id, c.department_id"
    f" FROM {S}.cases c JOIN {S}.units u ON u.id = c.unit_id WHERE {VISIBLE}"
    " ORDER BY c.received_on DESC, c.id DESC LIMIT :limit OFFSET :offset"
)
TAGS_SQL = text(
    f"SELECT ct.case_id, k.code FROM {S}.case_tags ct"
    f" JOIN {S}.classification_categories k ON k.id = ct.category_id"
    " WHERE ct.case_id = ANY(:ids) ORDER BY k.sort_order"
)
MASKS = {
    "anonymous": "Nặc danh",
    "confidential": "Đã ẩn danh tính (bảo mật)",
    "open": "Đã ẩn danh tính",
}


def create_bare():
    """The bare Flask + SQLAlchemy app (gunicorn: `throughput_bare:create_bare()`)."""
    from flask import Flask, abort, request

    from giamsat.cases.workflow import STATUS_LABELS  # the labels only: plain strings

    labels = {status.value: label for status, label in STATUS_LABELS.items()}
    engine = create_engine(os.environ["BENCH_DATABASE_URL"], pool_size=5, max_overflow=5)
    app = Flask("bare")

    @app.get(PATH)
    def cases():
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            abort(401)
        page = max(1, request.args.get("page", 1, type=int))
        with engine.begin() as conn:
            rows = conn.execute(
                TOKEN_SQL, {"h": hashlib.sha256(token.strip().encode()).hexdigest()}
            ).all()
            now = dt.datetime.now(dt.UTC)
            if (
                not rows
                or rows[0].revoked_at is not None
                or not rows[0].is_active
                or (rows[0].expires_at is not None and rows[0].expires_at <= now)
            ):
                abort(401)
            roots = sorted({r.path for r in rows if r.path})
            roots = [p + "%" for p in roots if not any(p != q and p.startswith(q) for q in roots)]
            total = conn.scalar(COUNT_SQL, {"roots": roots})
            items = conn.execute(
                PAGE_SQL, {"roots": roots, "limit": PAGE, "offset": (page - 1) * PAGE}
            ).all()
            tags: dict[int, list[str]] = {}
            for case_id, code in conn.execute(TAGS_SQL, {"ids": [r.id for r in items]}):
                tags.setdefault(case_id, []).append(code)
        today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
        body = [
            {
                "id": r.id,
                "number": f"{r.seq}/{r.year}",
                "unit_id": r.unit_id,
                "unit_name": r.name,
                "received_on": r.received_on.isoformat(),
                "channel": r.channel,
                "kind": r.kind,
                "title": r.title,
                "status": r.status,
                "status_label": labels[r.status],
                "due_on": r.due_on.isoformat() if r.due_on else None,
                "is_overdue": r.status == "awaiting_response"
                and r.due_on is not None
                and r.due_on < today,
                "reporter": MASKS[r.reporter_mode or "anonymous"],
                "tags": tags.get(r.id, []),
                "organization_id": r.organization_id,
                "department_id": r.department_id,
            }
            for r in items
        ]
        exact = total <= COUNT_CAP
        meta = {"total": min(total, COUNT_CAP), "total_pages": -(-min(total, COUNT_CAP) // PAGE)}
        meta |= {"first_page": 1, "last_page": meta["total_pages"], "page": page}
        meta["total_is_exact"] = exact
        return app.json.response(body), 200, {"X-Pagination": json.dumps(meta)}

    return app
