"""more list order indexes: every list's first page walks its own order and stops

The same as 0014 did for cases, for the other lists a province user pages through: supervision
activities (starts_on DESC, id DESC), recommendations (due_on, id), people (name_key, id) and a
user's notifications (created_at DESC, id DESC, replacing the index without the id). Each list
is ordered by its index's columns, the subtree check (unit_id IN visible units) is tested per
row, and PostgreSQL stops after one page instead of sorting the whole province. The per-unit
variants serve one commune's list (and the subtree of a small unit) the same way.

Revision ID: 0021
Revises: 0015
Create Date: 2026-12-07 12:30:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0015"
branch_labels = None
depends_on = None

DESC_DATE_ID = [sa.text("starts_on DESC"), sa.text("id DESC")]


def upgrade() -> None:
    op.create_index(
        "ix_supervision_activities_start_order", "supervision_activities", DESC_DATE_ID
    )
    op.create_index(
        "ix_supervision_activities_unit_start_order",
        "supervision_activities",
        ["unit_id", *DESC_DATE_ID],
    )
    op.create_index("ix_recommendations_due_order", "recommendations", ["due_on", "id"])
    op.create_index(
        "ix_recommendations_unit_due_order", "recommendations", ["unit_id", "due_on", "id"]
    )
    op.create_index("ix_supervised_people_name_order", "supervised_people", ["name_key", "id"])
    op.drop_index("ix_notifications_user_created", table_name="notifications")
    op.create_index(
        "ix_notifications_user_created_order",
        "notifications",
        ["user_id", sa.text("created_at DESC"), sa.text("id DESC")],
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_user_created_order", table_name="notifications")
    op.create_index("ix_notifications_user_created", "notifications", ["user_id", "created_at"])
    op.drop_index("ix_supervised_people_name_order", table_name="supervised_people")
    op.drop_index("ix_recommendations_unit_due_order", table_name="recommendations")
    op.drop_index("ix_recommendations_due_order", table_name="recommendations")
    op.drop_index(
        "ix_supervision_activities_unit_start_order", table_name="supervision_activities"
    )
    op.drop_index("ix_supervision_activities_start_order", table_name="supervision_activities")
