"""cases area index: per-area recomputes of report figures read cases by residential area

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 08:50:00+00:00
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_cases_area_id"), "cases", ["area_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cases_area_id"), table_name="cases")
