"""cases: the deadline table by the law that applies; the rule each case's due date came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 20:35:00+00:00

Existing cases keep their due dates. Until now every due date was counted by QĐ 124-QĐ/TW
Art 8 (the tenant rules response_days / response_days_complex, in working days from the day of
forwarding); the upgrade writes that down as each forwarded case's `deadline_basis`, with the
number of days its forward event recorded. The table itself is seed data
(`cases/data/deadlines.toml`), filled by `tenants apply` or on first use.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

LEGACY_BASIS = (
    "QĐ 124-QĐ/TW (02/02/2018), Điều 8: {days} ngày làm việc kể từ ngày chuyển "
    "{day} (hạn tính trước khi có bảng thời hạn theo luật áp dụng). Nguồn: QĐ 124-QĐ/TW "
    "Điều 8, theo tóm tắt của thuvienphapluat.vn [PARTIAL]"
)


def _schema() -> str:
    # ALTER TABLE is rendered without the schema translate map: name the tenant schema.
    return op.get_context().version_table_schema


def upgrade() -> None:
    schema = _schema()
    op.create_table('deadline_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_kind', sa.Enum('party_committee', 'inspection_committee', 'authority', 'peoples_inspection', 'front', name='recipient_kind', native_enum=False, length=30), nullable=False),
    sa.Column('case_kind', sa.Enum('petition', 'complaint', 'denunciation', 'detection', 'denunciation_info', 'other', name='case_kind', native_enum=False, length=30), nullable=False),
    sa.Column('law', sa.String(length=300), nullable=False),
    sa.Column('clock', sa.Enum('working_days', 'calendar_days', name='deadline_clock', native_enum=False, length=30), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('start', sa.Enum('received', 'forwarded', 'accepted', name='deadline_start', native_enum=False, length=30), nullable=False),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('max_extensions', sa.Integer(), nullable=False),
    sa.Column('reminder_days', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('is_overridden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('days > 0', name=op.f('ck_deadline_rules_days_positive')),
    sa.CheckConstraint('extension_days >= 0 AND max_extensions >= 0', name=op.f('ck_deadline_rules_extensions_valid')),
    sa.CheckConstraint('reminder_days >= 0', name=op.f('ck_deadline_rules_reminder_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_rules')),
    sa.UniqueConstraint('recipient_kind', 'case_kind', name='uq_deadline_rules_kinds')
    )
    op.add_column('cases', sa.Column('deadline_rule_id', sa.Integer(), nullable=True), schema=schema)
    op.add_column('cases', sa.Column('deadline_basis', sa.Text(), nullable=True), schema=schema)
    op.create_foreign_key(op.f('fk_cases_deadline_rule_id_deadline_rules'), 'cases', 'deadline_rules', ['deadline_rule_id'], ['id'], ondelete='SET NULL', source_schema=schema, referent_schema=schema)
    # The rule every existing due date used: QĐ 124 Art 8, with the days its forward recorded.
    cases = sa.table('cases', sa.column('id'), sa.column('due_on'), sa.column('forwarded_on'),
                     sa.column('deadline_basis', sa.Text()), schema=schema)
    events = sa.table('case_events', sa.column('id'), sa.column('case_id'),
                      sa.column('action'), sa.column('details', postgresql.JSONB()), schema=schema)
    days = (
        sa.select(events.c.details['working_days'].astext)
        .where(events.c.case_id == cases.c.id, events.c.action == 'forward')
        .order_by(events.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    basis = sa.func.replace(
        sa.func.replace(sa.literal(LEGACY_BASIS), '{days}', sa.func.coalesce(days, '?')),
        '{day}',
        sa.func.to_char(cases.c.forwarded_on, 'DD/MM/YYYY'),
    )
    op.execute(
        cases.update()
        .where(cases.c.due_on.is_not(None), cases.c.forwarded_on.is_not(None))
        .values(deadline_basis=basis)
    )


def downgrade() -> None:
    schema = _schema()
    op.drop_constraint(op.f('fk_cases_deadline_rule_id_deadline_rules'), 'cases', type_='foreignkey', schema=schema)
    op.drop_column('cases', 'deadline_basis', schema=schema)
    op.drop_column('cases', 'deadline_rule_id', schema=schema)
    op.drop_table('deadline_rules')
