"""list order indexes: first pages read cases newest first and stop after one page

The queue's order (received_on DESC, id DESC) as an index lets PostgreSQL walk the cases in
page order and check the subtree (unit_id IN visible units) per row, stopping after one page,
instead of joining and sorting every case of the province. The per-unit variant serves a
commune's own queue the same way.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 07:00:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_received_order",
        "cases",
        [sa.text("received_on DESC"), sa.text("id DESC")],
        unique=False,
    )
    op.create_index(
        "ix_cases_unit_received_order",
        "cases",
        ["unit_id", sa.text("received_on DESC"), sa.text("id DESC")],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_cases_unit_received_order", table_name="cases")
    op.drop_index("ix_cases_received_order", table_name="cases")
