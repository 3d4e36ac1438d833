"""Writing a whole period's figures: the stored digests read, then one upsert of the rows whose
digest differs and one delete of the emptied ones. The changed rows go to PostgreSQL as one
JSONB document and come back out of `jsonb_to_recordset` into an INSERT … SELECT.

An executemany of 23,000 JSONB rows cost ~2 s (batches of VALUES, each parsed and planned, and
a JSON dump per value); text arrays cost ~1 s in psycopg's quoting alone; one document is one
`json.dumps` and one round trip, whatever the number of units. JSONB, not JSON: the document is
parsed once, and its values go to the JSONB columns as they are (a JSON document's values are
parsed again, one by one). A node without children (every residential area: 22,000 of a
province's 23,300 rows) has its consolidated figures equal to its own: they are sent once."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from sqlalchemy import (
    BigInteger,
    Integer,
    Text,
    case,
    cast,
    column,
    delete,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Session

from giamsat.core.db import driver_rows
from giamsat.reports.figure_digest import digest
from giamsat.reports.models import Figure

FigureMap = dict[tuple[int, int | None], dict[str, int]]


def plain(figures: Mapping[str, int] | None) -> dict[str, int]:
    """A figure map as stored: sorted codes, zero values left out."""
    return {k: v for k, v in sorted((figures or {}).items()) if v}


def _stored(figures: Mapping[str, int] | None) -> dict[str, int]:
    # PostgreSQL orders a jsonb's keys itself: no sort here.
    return {k: v for k, v in figures.items() if v} if figures else {}


def replace_period_figures(
    session: Session,
    period_id: int,
    own: FigureMap,
    consolidated: FigureMap,
    now: dt.datetime,
) -> int:
    """Every figure row of the period made equal to `consolidated` (and `own`). The caller holds
    the period's lock. Returns the rows of the period's figures (changed or not).

    The period's stored (key, digest) pairs are read first (`figure_digest`): only the rows
    whose digest differs go to PostgreSQL, as one upsert, and the rows whose key has no figures
    any more are deleted by id. A nightly rerun over unchanged records sends no figures at all
    (sending and comparing all 23,300 rows of a large quarter was most of a recompute's time),
    and writes no row version. So a row's `computed_at` is when its figures last changed."""
    table = Figure.__table__.c
    stored = {
        (unit_id, org_id): (row_id, stored_digest)
        for row_id, unit_id, org_id, stored_digest in driver_rows(
            session,
            select(table.id, table.unit_id, table.organization_id, table.digest).where(
                table.period_id == period_id
            ),
        )
    }
    rows, count = [], 0
    for key, figures in consolidated.items():
        mine = own.get(key)
        if not (figures or mine):
            continue
        count += 1
        row_digest = digest(mine, figures)
        found = stored.pop(key, None)
        if found is not None and found[1] == row_digest:
            continue
        row = {"unit_id": key[0], "organization_id": key[1], "own": _stored(mine)}
        if figures is not mine:  # a leaf shares its own map (`consolidate`)
            row["consolidated"] = _stored(figures)
        row["digest"] = row_digest
        rows.append(row)
    if stored:  # keys left without figures
        gone = [row_id for row_id, _ in stored.values()]
        session.execute(delete(Figure).where(Figure.id.in_(gone)))
    if rows:
        _upsert(session, period_id, rows, now)
    return count


def _upsert(session: Session, period_id: int, rows: list[dict], now: dt.datetime) -> None:
    document = json.dumps(rows, separators=(",", ":"), ensure_ascii=False)
    parsed = (
        func.jsonb_to_recordset(cast(literal(document, Text), JSONB))
        .table_valued(
            column("unit_id", Integer),
            column("organization_id", Integer),
            column("own", JSONB),
            column("consolidated", JSONB),
            column("digest", BigInteger),
        )
        .render_derived(name="figures", with_types=True)
    )
    source = select(
        literal(period_id, Integer),
        parsed.c.unit_id,
        parsed.c.organization_id,
        parsed.c.own,
        func.coalesce(parsed.c.consolidated, parsed.c.own),
        parsed.c.digest,
        literal(now),
    )
    columns = [
        "period_id",
        "unit_id",
        "organization_id",
        "own",
        "consolidated",
        "digest",
        "computed_at",
    ]
    upsert = insert(Figure).from_select(columns, source)
    figures_differ = or_(
        Figure.own.is_distinct_from(upsert.excluded.own),
        Figure.consolidated.is_distinct_from(upsert.excluded.consolidated),
    )
    session.execute(
        upsert.on_conflict_do_update(
            constraint="uq_report_figures_key",
            set_={
                "own": upsert.excluded.own,
                "consolidated": upsert.excluded.consolidated,
                "digest": upsert.excluded.digest,
                # A row whose digest was not known but whose figures were right keeps its
                # computed_at: only its digest is set.
                "computed_at": case(
                    (figures_differ, upsert.excluded.computed_at), else_=Figure.computed_at
                ),
            },
            where=or_(Figure.digest.is_distinct_from(upsert.excluded.digest), figures_differ),
        )
    )
