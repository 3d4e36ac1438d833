"""finding tags: supervision comments, recommendations and dialogue issues carry catalogue tags

The same classification catalogue as cases (classification_categories: the 27 TW4
manifestations, other contents, outside Regulation 124), linked per record like case_tags, so
reports count TW4 manifestations by group across every source.

Revision ID: 0016
Revises: 0019
Create Date: 2026-12-07 12:30:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0019"
branch_labels = None
depends_on = None

#: (table, owner column, owner table, name of the category foreign key as the models' naming
#: convention makes it: SQLAlchemy shortens names past 63 characters with a hash)
TABLES = (
    (
        "supervision_comment_tags",
        "comment_id",
        "supervision_comments",
        "fk_supervision_comment_tags_category_id_classification__99a1",
    ),
    (
        "recommendation_tags",
        "recommendation_id",
        "recommendations",
        "fk_recommendation_tags_category_id_classification_categories",
    ),
    (
        "dialogue_issue_tags",
        "issue_id",
        "dialogue_issues",
        "fk_dialogue_issue_tags_category_id_classification_categories",
    ),
)


def upgrade() -> None:
    for table, owner, owner_table, category_fk in TABLES:
        op.create_table(
            table,
            sa.Column(owner, sa.Integer(), nullable=False),
            sa.Column("category_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                [owner],
                [f"{owner_table}.id"],
                name=op.f(f"fk_{table}_{owner}_{owner_table}"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                ["category_id"],
                ["classification_categories.id"],
                name=op.f(category_fk),
            ),
            sa.PrimaryKeyConstraint(owner, "category_id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_category_id"), table, ["category_id"], unique=False)


def downgrade() -> None:
    for table, *_rest in reversed(TABLES):
        op.drop_index(op.f(f"ix_{table}_category_id"), table_name=table)
        op.drop_table(table)
