"""reports: the maintained province summary per period (completeness and timeliness of the
units below the province), and the two views the central committee's national view reads

`national_province_figures`: the roll-up's figures of the province unit only (one row per
period and organization). `national_province_summaries`: every regular period with its
summary. A dedicated database role is granted SELECT on these two views and nothing else
(`tenancy.roles.ensure_national_role`): the national read cannot touch a row below them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 06:00:00+00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FIGURES_VIEW = "national_province_figures"
SUMMARIES_VIEW = "national_province_summaries"


def _schema() -> str:
    # Raw SQL is rendered without the schema translate map: name the tenant schema.
    return op.get_context().version_table_schema


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "report_province_summaries",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("late", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("not_submitted", sa.Integer(), nullable=False),
        sa.Column("province_status", sa.String(length=20), nullable=False),
        sa.Column("province_is_late", sa.Boolean(), nullable=True),
        sa.Column("province_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["report_periods.id"],
            name=op.f("fk_report_province_summaries_period_id_report_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_report_province_summaries_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_report_province_summaries")),
    )
    q = f'"{schema}"'
    op.execute(
        f"CREATE VIEW {q}.{FIGURES_VIEW} AS "
        "SELECT f.period_id, o.code AS organization_code, o.name AS organization_name, "
        "o.sort_order AS organization_order, f.consolidated, f.computed_at "
        f"FROM {q}.report_figures f "
        f"JOIN {q}.units u ON u.id = f.unit_id "
        f"LEFT JOIN {q}.organizations o ON o.id = f.organization_id "
        "WHERE u.parent_id IS NULL AND u.valid_to IS NULL"
    )
    op.execute(
        f"CREATE VIEW {q}.{SUMMARIES_VIEW} AS "
        "SELECT p.id AS period_id, p.kind, p.year, p.number, p.title, p.starts_on, p.ends_on, "
        "p.due_on, s.expected, s.submitted, s.on_time, s.late, s.accepted, s.not_submitted, "
        "s.province_status, s.province_is_late, s.province_submitted_at, s.computed_at "
        f"FROM {q}.report_periods p "
        f"LEFT JOIN {q}.report_province_summaries s ON s.period_id = p.id "
        "WHERE p.kind <> 'ad_hoc'"
    )


def downgrade() -> None:
    schema = _schema()
    op.execute(f'DROP VIEW "{schema}".{SUMMARIES_VIEW}')
    op.execute(f'DROP VIEW "{schema}".{FIGURES_VIEW}')
    op.drop_table("report_province_summaries")
