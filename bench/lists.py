"""Benchmark of list first pages and search on a large province (not a timed test).

    . .venv/bin/activate && python bench/lists.py                  # 200,000 cases, a few minutes
    python bench/lists.py --cases 20000 --activities 2000          # a quick smoke run
    python bench/lists.py --reuse                                  # keep the data of a last run
    python bench/lists.py --reuse --database giamsat_bench_lists_me --only "cases: search"

Reuses `bench/rollup_data.py`'s generator (one province, 170 communes × 25 areas, a year of
cases) in its own scratch database `giamsat_bench_lists`, then `lists_data.py` adds searchable
words, letters with OCR text, people, recommendations and a user's notifications. For a
province-level user it measures every list as the product builds it (scoped statement, capped
count, first page through the ORM), per filter offered, the ranked search and deep pages, each
beside a baseline measured in the same run: the very SQL the product sent, compiled once and
executed directly on the raw connection. The old uncapped COUNT over the whole subtree is
measured too (not for searches: minutes), to show what the cap saves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

sys.path.insert(0, os.path.dirname(__file__))
import lists_data  # noqa: E402  (words, letters, people, recommendations, notifications)
import rollup_data as rollup  # noqa: E402  (the one data generator)

rollup.DB_NAME = "giamsat_bench_lists"
PAGE = 20
FILTERS = {
    "none": {},
    "status": {"status": "awaiting_response"},
    "kind": {"kind": "complaint"},
    "overdue": {"overdue": True},
    "organization": {"organization_id": 2},
    "unit (commune subtree)": {"unit_id": 2, "include_subunits": True},
    "dates (one month)": {
        "received_from": dt.date(2026, 3, 1),
        "received_to": dt.date(2026, 3, 31),
    },
    "search q=nguyen": {"q": "nguyen"},
    "search q=duong hong": {"q": "duong hong"},
    "search q=moi truong": {"q": "moi truong"},
    "search q=nguyen van hung": {"q": "nguyen van hung"},
    "search q=dat dai": {"q": "dat dai"},
    "search q=phan anh (every other case)": {"q": "phan anh"},
}

median_ms = rollup.median_ms


def compiled(stmt) -> str:
    return str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def full_count(stmt) -> str:
    """The uncapped COUNT every list paid before (for comparison only)."""
    return compiled(select(func.count()).select_from(stmt.order_by(None).subquery()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="measure the data of a last run")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS)")
    parser.add_argument("--only", default="", help="measure the lists whose name contains this")
    parser.add_argument("--skip", default="\0", help="leave out the lists whose name contains this")
    parser.add_argument(
        "--database", default=rollup.DB_NAME, help="scratch database (dropped unless --reuse)"
    )
    args = parser.parse_args()
    rollup.DB_NAME = args.database

    import psycopg

    from giamsat.cases.queries import case_queue_query
    from giamsat.core.db import Database, make_engine
    from giamsat.domains import load_models
    from giamsat.http.counts import COUNT_CAP, capped_count, capped_count_statement, window
    from giamsat.identity import Grant, Principal, Role
    from giamsat.letters.queries import LETTER_LIST_LOADING, letters_query
    from giamsat.notifications.queries import notifications_query
    from giamsat.supervision.models import (
        ActivityKind,
        PersonTier,
        RecommendationStatus,
    )
    from giamsat.supervision.queries import ACTIVITY_LIST_LOADING, people, work

    load_models()
    db_url = f"{rollup.PG}/{rollup.DB_NAME}"
    if not args.reuse:
        db_url = rollup.create_database(rollup.PG)
        engine = make_engine(db_url)
        rollup.build_tenant(engine, 170, 25)
        raw_url = make_url(db_url).set(drivername="postgresql").render_as_string(False)
        with psycopg.connect(raw_url) as raw:
            tree = rollup.seed_tree(raw, 170, 25)
            rollup.seed_records(raw, tree, args.cases, args.activities, random.Random(124))
            lists_data.seed_more(raw, rollup.SCHEMA, tree, random.Random(7))
            raw.execute("ANALYZE")  # what autovacuum does on a live database
            raw.commit()
        rollup.log(f"seeded {args.cases:,} cases")
    engine = make_engine(db_url)
    database = Database(engine)
    province = Principal(1, "bench", "Bench", "vi", (Grant(Role.leader, 1, "/1/"),))
    today = dt.date(2026, 12, 1)
    rows = []
    with database.session(rollup.SCHEMA) as s:
        raw = s.connection().connection.driver_connection
        raw.execute(f"SET search_path TO {rollup.SCHEMA}, shared, public")
        lists = [
            (f"cases: {n}", case_queue_query(province, today=today, **f))
            for n, f in FILTERS.items()
        ]
        lists += [
            ("activities: none", work.list_activities_query(s, province)),
            (
                "activities: organization",
                work.list_activities_query(s, province, organization_id=2),
            ),
            ("activities: commune subtree", work.list_activities_query(s, province, unit_id=2)),
            (
                "activities: kind",
                work.list_activities_query(
                    s, province, kind=ActivityKind(rollup.ACTIVITY_KINDS[1])
                ),
            ),
            (
                "activities: dates (one month)",
                work.list_activities_query(
                    s, province, starts_from=dt.date(2026, 3, 1), starts_to=dt.date(2026, 3, 31)
                ),
            ),
            ("recommendations: none", work.list_recommendations_query(s, province, today=today)),
            (
                "recommendations: status",
                work.list_recommendations_query(
                    s, province, status=RecommendationStatus.withdrawn, today=today
                ),
            ),
            (
                "recommendations: overdue",
                work.list_recommendations_query(s, province, overdue=True, today=today),
            ),
            (
                "recommendations: organization",
                work.list_recommendations_query(s, province, organization_id=2, today=today),
            ),
            (
                "recommendations: commune subtree",
                work.list_recommendations_query(s, province, unit_id=2, today=today),
            ),
            ("people: none", people.list_people_query(s, province)),
            ("people: tier", people.list_people_query(s, province, tier=PersonTier.head)),
            ("people: commune subtree", people.list_people_query(s, province, unit_id=2)),
            ("people: q=nguyen", people.list_people_query(s, province, q="nguyen")),
            ("letters: none", letters_query(province)),
            ("letters: all versions", letters_query(province, current_only=False)),
            ("notifications: none", notifications_query(1)),
            ("notifications: unread", notifications_query(1, unread_only=True)),
        ]
        # Each list with the loader options of its API page.
        loading = {"activities": ACTIVITY_LIST_LOADING, "letters": LETTER_LIST_LOADING}
        lists = [(n, st.options(*loading.get(n.split(":")[0], ()))) for n, st in lists]
        for name, stmt in lists:
            if args.only not in name or args.skip in name:
                continue

            def product(stmt=stmt):
                capped_count(s, stmt)
                list(s.scalars(stmt.limit(PAGE), window(PAGE)))
                s.expunge_all()

            # The statements as the product sends them: the capped count (a search counts its
            # match set) and each rank read up to the page (`giamsat.http.counts`).
            count_sql = compiled(capped_count_statement(stmt).params(window(COUNT_CAP + 1)))
            page_sql = compiled(stmt.limit(PAGE).params(window(PAGE)))

            def baseline(count_sql=count_sql, page_sql=page_sql):
                raw.execute(count_sql).fetchall()
                raw.execute(page_sql).fetchall()

            if args.explain:
                plan = raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + page_sql).fetchall()
                print(f"--- {name}\n" + "\n".join(r[0] for r in plan))
            product()  # warm
            p, b = median_ms(product, args.runs), median_ms(baseline, args.runs)
            # The uncapped COUNT of a search matching a quarter of the cases takes minutes.
            old = (
                float("nan")
                if name.startswith("cases: search")
                else median_ms(lambda sql=full_count(stmt): raw.execute(sql).fetchall(), 3)
            )
            rows.append((name, p, b, old))
        deep = case_queue_query(province, today=today).limit(PAGE).offset(5_000)
        deep_sql = compiled(deep)
        p = median_ms(lambda: list(s.scalars(deep)) and s.expunge_all(), args.runs)
        b = median_ms(lambda: raw.execute(deep_sql).fetchall(), args.runs)
        rows.append(("cases: page 251 (offset 5,000)", p, b, float("nan")))
        after = case_queue_query(province, today=today, after=(dt.date(2026, 6, 1), 1)).limit(PAGE)
        after_sql = compiled(after)
        p = median_ms(lambda: list(s.scalars(after)) and s.expunge_all(), args.runs)
        b = median_ms(lambda: raw.execute(after_sql).fetchall(), args.runs)
        rows.append(("cases: deep page by cursor (after 2026-06-01)", p, b, float("nan")))
        after = work.list_activities_query(s, province, after=(dt.date(2026, 6, 1), 1)).limit(PAGE)
        after_sql = compiled(after)
        p = median_ms(lambda: list(s.scalars(after)) and s.expunge_all(), args.runs)
        b = median_ms(lambda: raw.execute(after_sql).fetchall(), args.runs)
        rows.append(("activities: deep page by cursor (after 2026-06-01)", p, b, float("nan")))
    print(f"\nfirst pages, province leader, {args.cases:,} cases, median of {args.runs}")
    print(
        "| list / filter | product ms | raw SQL of the same page ms | ratio | old full COUNT ms |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, p, b, old in rows:
        print(f"| {name} | {p:.1f} | {b:.1f} | {p / b:.2f} | {old:.0f} |")


if __name__ == "__main__":
    main()
