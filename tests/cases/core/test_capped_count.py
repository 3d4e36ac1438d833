"""The capped count of a list: exact up to the cap, a lower bound past it, and always the rows
of the list's own statement (filters, EXISTS, subtree, loader options) — never another unit's."""

from __future__ import annotations

from sqlalchemy import text

from giamsat.cases.models import Case
from giamsat.cases.queries import case_queue_query
from giamsat.cases.queue_read import queue_read
from giamsat.http.counts import COUNT_CAP, capped_count, thousands


def test_counts_the_rows_the_list_shows_and_stops_at_the_cap(
    make_case, tenant_session, principal_of, world
):
    for i in range(3):
        make_case(title=f"Đất đai {i}", tag_codes=("DD-7",))
    make_case(title="Cán bộ", kind="complaint")
    make_case(unit="commune_y", who="y-admin", title="Bên kia", tag_codes=("DD-7",))
    admin, x_staff = principal_of("alpha", "admin"), principal_of("alpha", "x-staff")
    with tenant_session("alpha") as session:
        statements = {
            "all (province)": case_queue_query(admin),
            "tag DD-7 (province)": case_queue_query(admin, tag="DD-7"),
            "tag DD-7 (commune X)": case_queue_query(x_staff, tag="DD-7"),
            "complaints (commune X)": case_queue_query(x_staff, kind="complaint"),
            "commune Y's subtree": case_queue_query(
                admin, unit_id=world.alpha.commune_y, include_subunits=True
            ),
        }
        expected = {
            "all (province)": 5,
            "tag DD-7 (province)": 4,
            "tag DD-7 (commune X)": 3,
            "complaints (commune X)": 1,
            "commune Y's subtree": 1,
        }
        for name, stmt in statements.items():
            listed = stmt
            assert len(session.scalars(listed).unique().all()) == expected[name], name
            assert capped_count(session, listed) == (expected[name], True), name
            # One below the number of rows: the cap itself, marked as a lower bound.
            cap = expected[name] - 1
            assert capped_count(session, listed, cap=cap) == (cap, False), name
            assert capped_count(session, listed, cap=expected[name]) == (expected[name], True)
        # A statement of columns, not an entity, counts the same rows.
        columns = case_queue_query(x_staff).with_only_columns(Case.id, Case.title)
        assert capped_count(session, columns) == (4, True)


def test_the_cap_is_written_the_vietnamese_way():
    assert COUNT_CAP == 1_000 and thousands(COUNT_CAP) == "1.000"
    assert thousands(10_000) == "10.000" and thousands(7) == "7"


def _prepared(session, words: str) -> int:
    return session.scalar(
        text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :words"),
        {"words": f"%{words}%"},
    )


def test_a_search_is_planned_for_its_own_words_every_time(make_case, tenant_session, principal_of):
    """psycopg prepares a statement after five runs, and PostgreSQL may then plan it without
    its values; a search's page and count are always sent unprepared, other lists are not."""
    make_case(title="Đất đai ở thôn")
    admin = principal_of("alpha", "admin")
    with tenant_session("alpha") as session:
        for _ in range(8):
            searched = case_queue_query(admin, q="dat dai")
            assert len(session.scalars(searched).unique().all()) == 1
            assert capped_count(session, searched) == (1, True)
            assert len(session.scalars(case_queue_query(admin, kind="petition")).all()) == 1
            # The API's plain read path sends the same search statements.
            api = queue_read(admin, {"q": "dat dai"})
            assert len(api.rows(session, 20, 0)) == 1 and api.total(session, 1000) == (1, True)
        assert _prepared(session, "search_text") == 0  # in every page and count of a search
        assert _prepared(session, "cases.kind") >= 1  # the same connection does prepare
