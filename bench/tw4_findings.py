"""Benchmark of the TW4 counts across every source of findings (not a timed test).

    . .venv/bin/activate && python bench/tw4_findings.py --drop      # 200,000 cases, a few minutes
    python bench/tw4_findings.py --cases 20000 --activities 2000     # a quick smoke run

Reuses `bench/rollup_data.py`'s generator (one province, 170 communes × 25 areas, a year of
cases and supervision activities) in its own scratch database `giamsat_bench_tw4`, seeds the
classification catalogue, then adds the findings: 30 % of the cases tagged (1–2 categories),
3 comments per activity, 1 recommendation per activity, 12 held dialogues per commune with 5
issues each; 40 % of those tagged. Measures, for Q2 2026:

1. each TW4 computation's statement alone (median of 5): the cases-only count that existed
   (`cases.received_by_group`) beside the all-sources one and its per-source breakdown;
2. the full recompute of the quarter without the new indicators, with the three totals, with
   the totals and the per-source breakdown, and without again (the differences are what the
   new figures cost; the repeat shows the noise);
3. the province's consolidated figures checked against a raw SQL count of the same records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys

from sqlalchemy import text, update
from sqlalchemy.engine import make_url

sys.path.insert(0, os.path.dirname(__file__))
import rollup_data as rollup  # noqa: E402  (the one data generator)

rollup.DB_NAME = "giamsat_bench_tw4"
S = rollup.SCHEMA


def seed_findings(raw, tree: dict, tag_share: float) -> None:
    """Comments, recommendations, dialogue issues and tags, in SQL over the generated rows."""
    cur = raw.cursor()
    cats = f"(SELECT array_agg(id) FROM {S}.classification_categories)"
    n = f"(SELECT count(*) FROM {S}.classification_categories)"
    pick = f"{cats}[1 + floor(random() * {n})::int]"
    statements = [
        f"INSERT INTO {S}.case_tags (case_id, category_id)"
        f" SELECT id, {pick} FROM {S}.cases WHERE random() < 0.3",
        # Half of the tagged cases get a second tag (the same one twice is skipped).
        f"INSERT INTO {S}.case_tags (case_id, category_id)"
        f" SELECT case_id, {pick} FROM {S}.case_tags WHERE random() < 0.5 ON CONFLICT DO NOTHING",
        f"INSERT INTO {S}.supervision_comments (unit_id, activity_id, content)"
        f" SELECT unit_id, id, 'Góp ý' FROM {S}.supervision_activities, generate_series(1, 3)",
        f"INSERT INTO {S}.recommendations (unit_id, organization_id, activity_id, addressee_kind,"
        " addressee_name, content, issued_on, expected_answer, due_on, status, answer,"
        " withdrawn_reason) SELECT unit_id, organization_id, id, 'party_committee', 'Đảng ủy',"
        " 'Kiến nghị', starts_on, 'explain', starts_on + 28, 'awaiting', '', ''"
        f" FROM {S}.supervision_activities",
        f"INSERT INTO {S}.dialogues (unit_id, organization_id, title, held_on, place, status,"
        " chaired_by, heads_present, participants_count, participants, summary)"
        " SELECT u.id, 1 + (m % 6), 'Đối thoại', DATE '2025-12-15' + m * 30, '', 'held', '', '',"
        f" 50, '', '' FROM {S}.units u, generate_series(0, 11) m WHERE u.level_code = 'commune'",
        f"INSERT INTO {S}.dialogue_issues (unit_id, dialogue_id, content, answer)"
        f" SELECT unit_id, id, 'Vấn đề', '' FROM {S}.dialogues, generate_series(1, 5)",
    ]
    for table, owner in (
        ("supervision_comment_tags", "supervision_comments"),
        ("recommendation_tags", "recommendations"),
        ("dialogue_issue_tags", "dialogue_issues"),
    ):
        column = {"supervision_comments": "comment_id", "recommendations": "recommendation_id"}
        statements.append(
            f"INSERT INTO {S}.{table} ({column.get(owner, 'issue_id')}, category_id)"
            f" SELECT id, {pick} FROM {S}.{owner} WHERE random() < {tag_share}"
        )
    for statement in statements:
        cur.execute(statement)
    raw.commit()
    for table in (
        "case_tags",
        "supervision_comments",
        "recommendations",
        "dialogues",
        "dialogue_issues",
        "supervision_comment_tags",
        "recommendation_tags",
        "dialogue_issue_tags",
    ):
        cur.execute(f"ANALYZE {S}.{table}")
    raw.commit()


#: Distinct records per TW4 group across the four sources, at every unit: what the province's
#: consolidated `activities.tw4.<group>` stands for.
RAW_TOTALS = text(
    f"""
    WITH f AS (
      SELECT DISTINCT 'case' s, c.id, g.group_code FROM {S}.cases c
        JOIN {S}.case_tags t ON t.case_id = c.id
        JOIN {S}.classification_categories g ON g.id = t.category_id
        WHERE c.origin_case_id IS NULL AND c.received_on BETWEEN :start AND :end
      UNION ALL
      SELECT DISTINCT 'comment', c.id, g.group_code FROM {S}.supervision_comments c
        JOIN {S}.supervision_activities a ON a.id = c.activity_id
        JOIN {S}.supervision_comment_tags t ON t.comment_id = c.id
        JOIN {S}.classification_categories g ON g.id = t.category_id
        WHERE a.starts_on BETWEEN :start AND :end
      UNION ALL
      SELECT DISTINCT 'rec', r.id, g.group_code FROM {S}.recommendations r
        JOIN {S}.recommendation_tags t ON t.recommendation_id = r.id
        JOIN {S}.classification_categories g ON g.id = t.category_id
        WHERE r.issued_on BETWEEN :start AND :end
      UNION ALL
      SELECT DISTINCT 'issue', i.id, g.group_code FROM {S}.dialogue_issues i
        JOIN {S}.dialogues d ON d.id = i.dialogue_id
        JOIN {S}.dialogue_issue_tags t ON t.issue_id = i.id
        JOIN {S}.classification_categories g ON g.id = t.category_id
        WHERE d.status = 'held' AND d.held_on BETWEEN :start AND :end
    )
    SELECT group_code, count(*) FROM f WHERE group_code IN ('CT', 'DD', 'DB') GROUP BY 1
    """
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=170)
    parser.add_argument("--areas", type=int, default=25)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--tag-share", type=float, default=0.4)
    parser.add_argument("--drop", action="store_true", help="drop the scratch database after")
    args = parser.parse_args()

    import psycopg
    from sqlalchemy import create_engine, select

    from giamsat.cases.catalogue import provision_tenant as seed_catalogue
    from giamsat.core.db import Database, make_engine
    from giamsat.domains import load_models
    from giamsat.reports.aggregation import recompute_period
    from giamsat.reports.indicators import COMPUTATIONS, Window
    from giamsat.reports.models import Indicator, PeriodKind, ReportPeriod
    from giamsat.reports.provisioning import provision_tenant
    from giamsat.reports.queries import read_figures

    load_models()
    db_url = rollup.create_database(rollup.PG)
    engine = make_engine(db_url)
    rollup.build_tenant(engine, args.communes, args.areas)
    raw_url = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    database = Database(engine)
    with psycopg.connect(raw_url) as raw:
        tree = rollup.seed_tree(raw, args.communes, args.areas)
        rollup.seed_records(raw, tree, args.cases, args.activities, random.Random(124))
        with database.session(S) as s:
            seed_catalogue(s)
            provision_tenant(s, today=dt.date(2026, 1, 10))
            s.commit()
        _, ms = rollup.timed(seed_findings, raw, tree, args.tag_share)
        counts = {
            t: raw.execute(f"SELECT count(*) FROM {S}.{t}").fetchone()[0]
            for t in ("cases", "case_tags", "supervision_comments", "supervision_comment_tags")
            + ("recommendations", "recommendation_tags", "dialogue_issues", "dialogue_issue_tags")
        }
    rollup.log(f"findings seeded in {ms / 1000:.1f} s: {counts}")

    with database.session(S) as s:
        q2 = s.scalar(
            select(ReportPeriod).where(
                ReportPeriod.kind == PeriodKind.quarterly,
                ReportPeriod.year == 2026,
                ReportPeriod.number == 2,
            )
        )
        window = Window(q2.starts_on, q2.ends_on)
        for key in (
            "cases.received_by_group",
            "findings.tw4_by_group",
            "findings.tw4_by_group_and_source",
        ):
            statement = COMPUTATIONS[key](window)
            rows = len(s.execute(statement).all())
            ms = rollup.median_ms(lambda st=statement: s.execute(st).all(), 5)
            rollup.log(f"1. {key}: {ms:,.0f} ms (median of 5), {rows:,} rows")

        new = Indicator.code.like("activities.tw4.%")
        totals = Indicator.code.in_([f"activities.tw4.{g}" for g in ("CT", "DD", "DB")])
        for label, active in (
            ("without the TW4 findings indicators", None),
            ("with the three totals only", totals),
            ("with the totals and the per-source breakdown", new),
            ("without them, again", None),
        ):
            s.execute(update(Indicator).where(new).values(is_active=False))
            if active is not None:
                s.execute(update(Indicator).where(active).values(is_active=True))
            rows, ms = rollup.timed(recompute_period, s, s.get(ReportPeriod, q2.id))
            s.commit()
            rollup.log(f"2. full recompute of {q2.title} {label}: {ms:,.0f} ms, {rows:,} rows")
        s.execute(update(Indicator).where(new).values(is_active=True))
        recompute_period(s, s.get(ReportPeriod, q2.id))
        s.commit()

        figures = read_figures(s, q2.id, tree["province"]).consolidated
        raw_totals = dict(s.execute(RAW_TOTALS, {"start": q2.starts_on, "end": q2.ends_on}).all())
        ours = {g: figures.get(f"activities.tw4.{g}", 0) for g in ("CT", "DD", "DB")}
        assert ours == raw_totals, (ours, raw_totals)
        rollup.log(f"3. province consolidated {ours} = raw SQL count {raw_totals}")
    engine.dispose()
    if args.drop:
        admin = create_engine(f"{rollup.PG}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{rollup.DB_NAME}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
