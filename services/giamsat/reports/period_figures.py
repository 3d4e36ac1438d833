"""Writing a whole period's figures in one statement (an upsert of the changed rows and a delete
of the emptied ones): the rows go to PostgreSQL as one JSONB
document and come back out of `jsonb_to_recordset` into an INSERT … SELECT.

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

from sqlalchemy import Integer, Text, cast, column, delete, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.orm import Session

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
    """Every figure row of the period made equal to `consolidated` (and `own`): two statements.
    The caller holds the period's lock. Returns the rows of the period's figures.

    An upsert that writes only the rows whose figures changed: a nightly rerun over unchanged
    cases finds its figures already there and writes nothing (each update is a new row version,
    index entries and WAL: most of the old write's cost). So a row's `computed_at` is when its
    figures last changed. The period's rows whose key is not in the document (a unit with no
    figures any more) are deleted after."""
    rows = []
    for (node, org), figures in consolidated.items():
        mine = own.get((node, org))
        if figures or mine:
            row = {"unit_id": node, "organization_id": org, "own": _stored(mine)}
            if figures is not mine:  # a leaf shares its own map (`consolidate`)
                row["consolidated"] = _stored(figures)
            rows.append(row)
    stale = delete(Figure).where(Figure.period_id == period_id)
    if not rows:
        session.execute(stale)
        return 0
    document = json.dumps(rows, separators=(",", ":"), ensure_ascii=False)
    parsed = (
        func.jsonb_to_recordset(cast(literal(document, Text), JSONB))
        .table_valued(
            column("unit_id", Integer),
            column("organization_id", Integer),
            column("own", JSONB),
            column("consolidated", JSONB),
        )
        .render_derived(name="figures", with_types=True)
    )
    source = select(
        literal(period_id, Integer),
        parsed.c.unit_id,
        parsed.c.organization_id,
        parsed.c.own,
        func.coalesce(parsed.c.consolidated, parsed.c.own),
        literal(now),
    )
    columns = ["period_id", "unit_id", "organization_id", "own", "consolidated", "computed_at"]
    upsert = insert(Figure).from_select(columns, source)
    session.execute(
        upsert.on_conflict_do_update(
            constraint="uq_report_figures_key",
            set_={
                "own": upsert.excluded.own,
                "consolidated": upsert.excluded.consolidated,
                "computed_at": upsert.excluded.computed_at,
            },
            where=or_(
                Figure.own.is_distinct_from(upsert.excluded.own),
                Figure.consolidated.is_distinct_from(upsert.excluded.consolidated),
            ),
        )
    )
    # The keys written go again as two integer arrays, not the document: parsing 7 MB of JSONB
    # twice, or keeping it in a CTE that spills to disk, cost more than the arrays.
    keys = (
        func.unnest(
            literal([r["unit_id"] for r in rows], ARRAY(Integer)),
            literal([r["organization_id"] for r in rows], ARRAY(Integer)),
        )
        .table_valued(column("unit_id", Integer), column("organization_id", Integer))
        .render_derived(name="keys")
    )
    in_document = (
        select(literal(1))
        .select_from(keys)
        .where(
            keys.c.unit_id == Figure.unit_id,
            keys.c.organization_id.is_not_distinct_from(Figure.organization_id),
        )
    )
    session.execute(stale.where(~in_document.exists()))
    return len(rows)
