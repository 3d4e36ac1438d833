"""case people: a case linked to the people of the supervision register it concerns

Staff confirm each link (a proposed match, a person found by hand, or a person added from the
case's text); several people per case; the case's free-text `concerned` stays as it was.

Revision ID: 0015
Revises: 0018
Create Date: 2026-12-07 12:40:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_people",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_by_label", sa.String(length=120), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("how", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_people_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["supervised_people.id"],
            name=op.f("fk_case_people_person_id_supervised_people"),
        ),
        sa.PrimaryKeyConstraint("case_id", "person_id", name=op.f("pk_case_people")),
    )
    op.create_index(
        op.f("ix_case_people_person_id"), "case_people", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_case_people_person_id"), table_name="case_people")
    op.drop_table("case_people")
