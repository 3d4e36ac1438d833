"""The one data generator of the benchmarks (`reports_rollup.py`, `lists.py`, `national.py`,
`country.py`, `throughput.py`, `tw4_findings.py`): a scratch database, a tenant, a province of
communes × residential areas with organizations (`seed_tree`), and a year of cases and
supervision activities (`seed_records`, COPY). Plus the timing helpers they share.

Its importers set `DB_NAME` (and `country.py` `SCHEMA`, `YEAR_START`) on this module before
seeding: the functions read them from here.

Environment: GIAMSAT_BENCH_PG (server URL without database, default
postgresql+psycopg://postgres@127.0.0.1:5432), GIAMSAT_BENCH_REDIS (default
redis://127.0.0.1:6379/8).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import statistics
import time

from sqlalchemy import create_engine, text

PG = os.environ.get("GIAMSAT_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS = os.environ.get("GIAMSAT_BENCH_REDIS", "redis://127.0.0.1:6379/8")
DB_NAME = "giamsat_bench_reports"
SLUG = "bench"
SCHEMA = "t_bench"
ORG_CODES = ("mttq", "hlhpn", "hnd", "hccb", "doan", "congdoan")
CHANNELS = ("suggestion_box", "in_person", "dialogue", "voter_meeting", "phone", "online")
KINDS = ("petition", "complaint", "denunciation", "detection", "other")
ACTIVITY_KINDS = (
    "thematic",
    "regular",
    "via_suggestion_box",
    "via_dialogue",
    "via_peoples_inspection",
    "dissemination_conference",
)
YEAR_START = dt.date(2025, 12, 15)  # the yearly period 2026: 15/12/2025–14/12/2026


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def timed_clean(fn, *args, baseline: bool = False, **kwargs):
    """`timed` after a full garbage collection, so that no step pays for the collections the
    objects of the step before would have set off (a full collection of this process takes
    ~130 ms: it made the raw GROUP BY 70 or 200 ms depending on what ran before it). A
    `baseline` runs with the cycle collector off, as `timeit` does: the raw statement at its
    fastest, which only makes the product's ratio to it larger."""
    gc.collect()
    if not baseline:
        return timed(fn, *args, **kwargs)
    gc.disable()
    try:
        return timed(fn, *args, **kwargs)
    finally:
        gc.enable()


def median_ms(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        samples.append(timed(fn)[1])
    return statistics.median(samples)


# --- data generation ----------------------------------------------------------------------------


def create_database(url: str) -> str:
    admin = create_engine(f"{url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    return f"{url}/{DB_NAME}"


def build_tenant(engine, communes: int, areas: int):
    from giamsat.core.config import Settings
    from giamsat.tenancy.migrations import upgrade_shared
    from giamsat.tenancy.provision import ensure_tenant

    migrations = Settings().migrations_dir
    with engine.begin() as conn:
        for extension in ("unaccent", "pg_trgm"):
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension}"))
    upgrade_shared(engine, migrations)
    tenant, _ = ensure_tenant(engine, migrations, slug=SLUG, name="Bench", province_code=99)
    return tenant


def seed_tree(raw, communes: int, areas: int) -> dict:
    """Levels, organizations and units with explicit ids (paths need them)."""
    cur = raw.cursor()
    cur.executemany(
        f"INSERT INTO {SCHEMA}.unit_levels (code, rank, name_vi, name_en, is_residential_area,"
        " holds_residential_areas) VALUES (%s, %s, %s, %s, %s, %s)",
        [
            ("province", 0, "Tỉnh", "Province", False, False),
            ("commune", 1, "Xã", "Commune", False, True),
            ("residential_area", 2, "Khu dân cư", "Residential area", True, False),
        ],
    )
    cur.executemany(
        f"INSERT INTO {SCHEMA}.organizations (id, code, name, short_name, is_enabled, sort_order)"
        " VALUES (%s, %s, %s, %s, true, %s)",
        [(i + 1, code, code.upper(), code.upper(), i) for i, code in enumerate(ORG_CODES)],
    )
    rows, commune_ids, area_ids = [(1, "province", None, "/1/", "Tỉnh Bench")], [], []
    next_id = 2
    for c in range(communes):
        cid = next_id
        next_id += 1
        commune_ids.append(cid)
        rows.append((cid, "commune", 1, f"/1/{cid}/", f"Xã {c + 1}"))
        for a in range(areas):
            rows.append((next_id, "residential_area", cid, f"/1/{cid}/{next_id}/", f"Thôn {a + 1}"))
            area_ids.append((next_id, cid))
            next_id += 1
    with cur.copy(
        f"COPY {SCHEMA}.units (id, level_code, parent_id, path, name, kind, valid_from) FROM STDIN"
    ) as copy:
        for uid, level, parent, path, name in rows:
            copy.write_row((uid, level, parent, path, name, "", dt.date(2025, 7, 1)))
    cur.execute(f"SELECT setval('{SCHEMA}.units_id_seq', %s)", (next_id,))
    cur.execute(f"SELECT setval('{SCHEMA}.organizations_id_seq', %s)", (len(ORG_CODES) + 1,))
    raw.commit()
    return {"province": 1, "communes": commune_ids, "areas": area_ids}


def seed_records(raw, tree: dict, cases: int, activities: int, rng: random.Random) -> None:
    cur = raw.cursor()
    areas, communes = tree["areas"], tree["communes"]
    seq: dict[tuple[int, int], int] = {}
    columns = (
        "unit_id",
        "area_id",
        "organization_id",
        "year",
        "seq",
        "received_on",
        "channel",
        "kind",
        "title",
        "content",
        "concerned",
        "status",
        "is_complex",
        "reporter_mode",
        "recipient_kind",
        "forwarded_on",
        "due_on",
        "responded_on",
    )
    with cur.copy(f"COPY {SCHEMA}.cases ({', '.join(columns)}) FROM STDIN") as copy:
        for _ in range(cases):
            area, commune = rng.choice(areas)
            on_area = rng.random() < 0.8
            unit = commune if rng.random() < 0.97 else tree["province"]
            received = YEAR_START + dt.timedelta(days=rng.randrange(365))
            key = (unit, received.year)
            seq[key] = seq.get(key, 0) + 1
            forwarded = (
                received + dt.timedelta(days=rng.randrange(1, 10)) if rng.random() < 0.5 else None
            )
            due = forwarded + dt.timedelta(days=28) if forwarded else None
            responded = (
                forwarded + dt.timedelta(days=rng.randrange(5, 40))
                if forwarded and rng.random() < 0.7
                else None
            )
            copy.write_row(
                (
                    unit,
                    area if on_area and unit == commune else None,
                    rng.randrange(1, 7) if rng.random() < 0.6 else None,
                    received.year,
                    seq[key],
                    received,
                    rng.choice(CHANNELS),
                    rng.choice(KINDS),
                    "Phản ánh",
                    "Nội dung",
                    "",
                    "received",
                    False,
                    rng.choice(("anonymous", "confidential")),
                    "party_committee" if forwarded else None,
                    forwarded,
                    due,
                    responded,
                )
            )
    columns = (
        "unit_id",
        "organization_id",
        "kind",
        "title",
        "starts_on",
        "ends_on",
        "participants_count",
        "participants",
        "findings",
    )
    with cur.copy(
        f"COPY {SCHEMA}.supervision_activities ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        for _ in range(activities):
            unit = rng.choice(communes) if rng.random() < 0.7 else rng.choice(areas)[0]
            day = YEAR_START + dt.timedelta(days=rng.randrange(365))
            copy.write_row(
                (
                    unit,
                    rng.randrange(1, 7),
                    rng.choice(ACTIVITY_KINDS),
                    "Giám sát",
                    day,
                    day,
                    rng.randrange(0, 80),
                    "",
                    "",
                )
            )
    raw.commit()
    cur.execute(f"ANALYZE {SCHEMA}.cases")
    cur.execute(f"ANALYZE {SCHEMA}.supervision_activities")
    raw.commit()
