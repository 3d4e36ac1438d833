"""report figures: a digest of each row's figures, so a recompute skips the unchanged rows

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 19:00:00+00:00

A full recompute of a large province's quarter sent all 23,300 rows (7 MB of JSONB, parsed and
compared by PostgreSQL) to change none of them on a nightly rerun. With the digest of the
figures written beside them (`reports.figure_digest`), the recompute reads the period's
(key, digest) pairs and sends only the rows whose figures differ. NULL: not known, so the row
is rewritten at the next recompute (the existing rows, once).
"""
import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def _schema() -> str:
    # ALTER TABLE is rendered without the schema translate map: name the tenant schema.
    return op.get_context().version_table_schema


def upgrade() -> None:
    column = sa.Column("digest", sa.BigInteger(), nullable=True)
    op.add_column("report_figures", column, schema=_schema())


def downgrade() -> None:
    op.drop_column("report_figures", "digest", schema=_schema())
