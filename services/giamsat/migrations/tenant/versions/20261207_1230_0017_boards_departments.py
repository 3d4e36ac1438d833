"""supervision boards (Ban TTND, Ban GSĐTCĐ) with members; departments of a committee

Revision ID: 0017
Revises: 0021
Create Date: 2026-12-07 12:30:00+00:00

A board is elected at a unit for a term; its own work is ordinary supervision activities and
recommendations carrying `board_id`. Departments (Ban DC-PL, the organizations' liaison
departments…) belong to one unit and optionally own its cases, activities and reports.
"""
from alembic import op
import sqlalchemy as sa

revision = "0017"
down_revision = "0021"
branch_labels = None
depends_on = None


def _schema() -> str:
    # ALTER TABLE is rendered without the schema translate map: name the tenant schema.
    return op.get_context().version_table_schema


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "supervision_boards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("ttnd", "gsdtcd", name="supervision_board_kind", native_enum=False, length=30), nullable=False),
        sa.Column("term_start_year", sa.SmallInteger(), nullable=False),
        sa.Column("term_end_year", sa.SmallInteger(), nullable=False),
        sa.Column("decision", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("term_end_year >= term_start_year", name=op.f("ck_supervision_boards_term_order")),
        sa.CheckConstraint("term_start_year BETWEEN 1990 AND 2100", name=op.f("ck_supervision_boards_term_start_range")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_supervision_boards_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_boards")),
    )
    op.create_index(op.f("ix_supervision_boards_unit_id"), "supervision_boards", ["unit_id"], unique=False)
    op.create_table(
        "unit_departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("democracy_law", "liaison", "other", name="unit_department_kind", native_enum=False, length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], name=op.f("fk_unit_departments_organization_id_organizations")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_unit_departments_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_departments")),
        sa.UniqueConstraint("unit_id", "name", name="uq_unit_departments_name"),
    )
    op.create_index(op.f("ix_unit_departments_unit_id"), "unit_departments", ["unit_id"], unique=False)
    op.create_table(
        "supervision_board_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.Enum("head", "deputy", "member", name="supervision_board_role", native_enum=False, length=30), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=True),
        sa.Column("to_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("to_on IS NULL OR from_on IS NULL OR to_on >= from_on", name=op.f("ck_supervision_board_members_date_order")),
        sa.ForeignKeyConstraint(["board_id"], ["supervision_boards.id"], name=op.f("fk_supervision_board_members_board_id_supervision_boards"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_supervision_board_members_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_board_members")),
    )
    op.create_index(op.f("ix_supervision_board_members_board_id"), "supervision_board_members", ["board_id"], unique=False)
    op.create_index(op.f("ix_supervision_board_members_unit_id"), "supervision_board_members", ["unit_id"], unique=False)

    schema = _schema()
    for table in ("cases", "supervision_activities", "reports"):
        op.add_column(table, sa.Column("department_id", sa.Integer(), nullable=True), schema=schema)
        op.create_foreign_key(op.f(f"fk_{table}_department_id_unit_departments"), table, "unit_departments", ["department_id"], ["id"], source_schema=schema, referent_schema=schema)
    op.create_index(op.f("ix_cases_department_id"), "cases", ["department_id"], unique=False)
    for table in ("supervision_activities", "recommendations"):
        op.add_column(table, sa.Column("board_id", sa.Integer(), nullable=True), schema=schema)
        op.create_index(op.f(f"ix_{table}_board_id"), table, ["board_id"], unique=False)
        op.create_foreign_key(op.f(f"fk_{table}_board_id_supervision_boards"), table, "supervision_boards", ["board_id"], ["id"], source_schema=schema, referent_schema=schema)


def downgrade() -> None:
    schema = _schema()
    for table in ("supervision_activities", "recommendations"):
        op.drop_column(table, "board_id", schema=schema)
    op.drop_index(op.f("ix_cases_department_id"), table_name="cases")
    for table in ("cases", "supervision_activities", "reports"):
        op.drop_column(table, "department_id", schema=schema)
    op.drop_table("supervision_board_members")
    op.drop_table("unit_departments")
    op.drop_table("supervision_boards")
