"""reports: the yearly review of the programme — the province's narrative sections (tenant
data), one review per unit and year with its prefilled figures, and each review's texts

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-07 12:30:00+00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0014"
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
        "review_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_sections")),
    )
    op.create_table(
        "yearly_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "submitted", name="yearly_review_status", native_enum=False, length=30
            ),
            nullable=False,
        ),
        sa.Column("figures", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("figures_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_yearly_reviews_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_yearly_reviews")),
        sa.UniqueConstraint("unit_id", "year", name="uq_yearly_reviews_unit_year"),
    )
    op.create_index(op.f("ix_yearly_reviews_unit_id"), "yearly_reviews", ["unit_id"], unique=False)
    op.create_table(
        "yearly_review_texts",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("section_title", sa.String(length=300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["yearly_reviews.id"],
            name=op.f("fk_yearly_review_texts_review_id_yearly_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["review_sections.id"],
            name=op.f("fk_yearly_review_texts_section_id_review_sections"),
        ),
        sa.PrimaryKeyConstraint("review_id", "section_id", name=op.f("pk_yearly_review_texts")),
    )


def downgrade() -> None:
    op.drop_table("yearly_review_texts")
    op.drop_index(op.f("ix_yearly_reviews_unit_id"), table_name="yearly_reviews")
    op.drop_table("yearly_reviews")
    op.drop_table("review_sections")
