"""units: successor links of retired units (pre-2025 communes split between new ones)

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 06:00:00+00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_successors",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_successors_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"], ["units.id"], name=op.f("fk_unit_successors_successor_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "successor_id", name=op.f("pk_unit_successors")),
    )
    op.create_index(
        op.f("ix_unit_successors_successor_id"), "unit_successors", ["successor_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_successors_successor_id"), table_name="unit_successors")
    op.drop_table("unit_successors")
