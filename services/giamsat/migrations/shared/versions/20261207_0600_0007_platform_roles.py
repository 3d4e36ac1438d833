"""platform roles: a platform account is an operator or the central committee (Ủy ban Trung
ương MTTQ Việt Nam), who sees the national view

Existing accounts stay operators (the default fills them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 06:00:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "platform_operators",
        sa.Column("role", sa.String(20), server_default="operator", nullable=False),
        schema="shared",
    )
    op.create_check_constraint(
        op.f("ck_platform_operators_platform_role"),
        "platform_operators",
        "role IN ('operator', 'central')",
        schema="shared",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("ck_platform_operators_platform_role"), "platform_operators", schema="shared"
    )
    op.drop_column("platform_operators", "role", schema="shared")
