"""case search columns: stored folded words per case, each with its trigram index

The ranked search reads three tiers (every word in the title, in the people concerned,
anywhere), each in queue order with its own LIMIT. Stored folded columns let each tier use its
own trigram index and its re-check read text instead of calling `unaccent` per row; being
GENERATED from the case's own columns they cannot drift. `search_extra` is the folded text other
domains hold about the case (letters: the OCR text of its pages), written by them; backfilled
here from the letter pages already read. The expression index `ix_cases_search` is replaced.

Revision ID: 0020
Revises: 0024
Create Date: 2026-12-07 15:20:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0024"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_cases_search_title": "search_title",
    "ix_cases_search_concerned": "search_concerned",
    "ix_cases_search_text": "search_text",
}


def _schema() -> str:
    # Raw SQL is rendered without the schema translate map: name the tenant schema.
    return op.get_context().version_table_schema


def upgrade() -> None:
    schema = _schema()
    q = f'"{schema}"'
    column = sa.Column("search_extra", sa.Text(), server_default="", nullable=False)
    op.add_column("cases", column, schema=schema)
    op.execute(
        f"UPDATE {q}.cases c SET search_extra = p.text FROM ("
        f"SELECT case_id, string_agg(search_text, ' ' ORDER BY id) AS text FROM {q}.letter_pages"
        " WHERE search_text IS NOT NULL GROUP BY case_id) p WHERE p.case_id = c.id"
    )
    # One ALTER: the table is rewritten once for the three generated columns.
    op.execute(
        f"ALTER TABLE {q}.cases"
        " ADD COLUMN search_title text GENERATED ALWAYS AS (shared.fold(title)) STORED NOT NULL,"
        " ADD COLUMN search_concerned text"
        " GENERATED ALWAYS AS (shared.fold(concerned)) STORED NOT NULL,"
        " ADD COLUMN search_text text GENERATED ALWAYS AS"
        " (shared.fold(title || ' ' || content || ' ' || concerned) || ' ' || search_extra)"
        " STORED NOT NULL"
    )
    op.drop_index("ix_cases_search", table_name="cases")
    for name, column in INDEXES.items():
        op.create_index(
            name,
            "cases",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="cases")
    op.create_index(
        "ix_cases_search",
        "cases",
        [sa.literal_column("shared.fold(title || ' ' || content || ' ' || concerned)").label("t")],
        postgresql_using="gin",
        postgresql_ops={"t": "gin_trgm_ops"},
    )
    for column in ("search_text", "search_concerned", "search_title", "search_extra"):
        op.drop_column("cases", column, schema=_schema())
