"""report figures: half of each page kept free, so a recompute's updates stay on their page

Revision ID: 0024
Revises: 0017
Create Date: 2026-12-07 16:00:00+00:00

A full recompute rewrites every figure row of the period (23,300 on a large province's
quarter). On full pages each new row version goes to another page and adds an entry to all
three indexes; with room on the page it is a HOT update (no index entry). Bench (issue 17
point 3): the write took 0.62–0.65 of the time in adjacent runs, nearly every update HOT.
Existing rows move to half-filled pages as they are next updated: no rewrite here.
"""
from alembic import op

revision = "0024"
down_revision = "0017"
branch_labels = None
depends_on = None


def _schema() -> str:
    # ALTER TABLE is rendered without the schema translate map: name the tenant schema.
    return op.get_context().version_table_schema


def upgrade() -> None:
    op.execute(f'ALTER TABLE "{_schema()}".report_figures SET (fillfactor = 50)')


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{_schema()}".report_figures RESET (fillfactor)')
