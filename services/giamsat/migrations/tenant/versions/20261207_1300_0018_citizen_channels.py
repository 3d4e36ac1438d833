"""supervision channels: voter meetings and opinion collection with their issues (linked to the
case or recommendation opened from them), meeting attendance, respected people and core members

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-07 13:00:00+00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "citizen_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "voter_meeting",
                "opinion_collection",
                name="citizen_meeting_kind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("participants_count", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "participants_count >= 0", name=op.f("ck_citizen_meetings_participants_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_citizen_meetings_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_meetings")),
    )
    op.create_index(
        op.f("ix_citizen_meetings_unit_id"), "citizen_meetings", ["unit_id"], unique=False
    )
    op.create_table(
        "citizen_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("forwarded_to", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("recommendation_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_citizen_issues_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["citizen_meetings.id"],
            name=op.f("fk_citizen_issues_meeting_id_citizen_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_citizen_issues_recommendation_id_recommendations"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_citizen_issues_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_issues")),
    )
    for column in ("unit_id", "meeting_id", "case_id", "recommendation_id"):
        op.create_index(
            op.f(f"ix_citizen_issues_{column}"), "citizen_issues", [column], unique=False
        )
    op.create_table(
        "meeting_attendances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "body",
            sa.Enum(
                "party_committee",
                "peoples_council",
                "peoples_committee",
                name="meeting_body",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("attended_by", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_meeting_attendances_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendances")),
    )
    op.create_index(
        op.f("ix_meeting_attendances_unit_id"), "meeting_attendances", ["unit_id"], unique=False
    )
    op.create_table(
        "respected_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "respected", "core_member", name="respected_kind", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("roles", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["area_id"], ["units.id"], name=op.f("fk_respected_people_area_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_respected_people_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respected_people")),
    )
    op.create_index(
        op.f("ix_respected_people_area_id"), "respected_people", ["area_id"], unique=False
    )
    op.create_index(
        op.f("ix_respected_people_unit_id"), "respected_people", ["unit_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("respected_people")
    op.drop_table("meeting_attendances")
    op.drop_table("citizen_issues")
    op.drop_table("citizen_meetings")
