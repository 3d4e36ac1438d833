"""case status order index: a status or "overdue" filter walks its own cases in page order

The queue's first page with a status filter walked every case in received order and dropped
the other statuses; "overdue" (awaiting, due_on before today) dropped 25,000 rows of a
200,000-case province before finding its first page (280 ms in `bench/lists.py`). With
(status, received_on DESC, id DESC, due_on) the walk reads only that status, and the due date
is compared inside the index, so only overdue rows are fetched (1 ms).

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-07 15:30:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_status_received_order",
        "cases",
        ["status", sa.text("received_on DESC"), sa.text("id DESC"), "due_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_cases_status_received_order", table_name="cases")
