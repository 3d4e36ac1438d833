"""outbox job key: a random part in each row's RQ job id, fresh per database lifetime

Row ids start again after a restore into a new database, and two deployments may share one
Redis prefix: `outbox-<id>` alone then names a job RQ still holds and the new row never runs.
`outbox-<id>-<job_key>` cannot collide. Existing rows get a key too (the default fills them).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 01:00:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: 16 hex digits (64 random bits); RQ job ids allow letters, digits, _ and -.
NEW_KEY = "substr(md5(gen_random_uuid()::text), 1, 16)"


def upgrade() -> None:
    op.add_column(
        "outbox",
        sa.Column("job_key", sa.String(32), server_default=sa.text(NEW_KEY), nullable=False),
        schema="shared",
    )


def downgrade() -> None:
    op.drop_column("outbox", "job_key", schema="shared")
