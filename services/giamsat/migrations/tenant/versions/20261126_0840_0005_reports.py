"""reports: periods, indicator catalogue, figures, reports with entries and history, exports

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 08:40:00+00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_indicators',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('group_code', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=40), nullable=False),
    sa.Column('computation', sa.String(length=80), nullable=False),
    sa.Column('argument', sa.String(length=80), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_overridden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_report_indicators'))
    )
    op.create_index(op.f('ix_report_indicators_group_code'), 'report_indicators', ['group_code'], unique=False)
    op.create_table('report_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('quarterly', 'six_monthly', 'yearly', 'ad_hoc', name='report_period_kind', native_enum=False, length=30), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('number', sa.SmallInteger(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('requested_by_unit_id', sa.Integer(), nullable=True),
    sa.Column('request_note', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'ad_hoc') = (requested_by_unit_id IS NOT NULL)", name=op.f('ck_report_periods_ad_hoc_has_requester')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_report_periods_window_order')),
    sa.ForeignKeyConstraint(['requested_by_unit_id'], ['units.id'], name=op.f('fk_report_periods_requested_by_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_periods'))
    )
    op.create_index(op.f('ix_report_periods_requested_by_unit_id'), 'report_periods', ['requested_by_unit_id'], unique=False)
    op.create_index('ix_report_periods_window', 'report_periods', ['starts_on', 'ends_on'], unique=False)
    op.create_index('uq_report_periods_regular', 'report_periods', ['kind', 'year', 'number'], unique=True, postgresql_where=sa.text("kind <> 'ad_hoc'"))
    op.create_table('report_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('own', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('consolidated', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_report_figures_organization_id_organizations')),
    sa.ForeignKeyConstraint(['period_id'], ['report_periods.id'], name=op.f('fk_report_figures_period_id_report_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_report_figures_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_figures')),
    sa.UniqueConstraint('period_id', 'unit_id', 'organization_id', name='uq_report_figures_key', postgresql_nulls_not_distinct=True)
    )
    op.create_index(op.f('ix_report_figures_unit_id'), 'report_figures', ['unit_id'], unique=False)
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'accepted', name='report_status', native_enum=False, length=30), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('limitations', sa.Text(), nullable=False),
    sa.Column('directions', sa.Text(), nullable=False),
    sa.Column('proposals', sa.Text(), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signer_title', sa.String(length=200), nullable=False),
    sa.Column('first_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('is_late', sa.Boolean(), nullable=True),
    sa.Column('returned_reason', sa.Text(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('snapshot', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_reports_organization_id_organizations')),
    sa.ForeignKeyConstraint(['period_id'], ['report_periods.id'], name=op.f('fk_reports_period_id_report_periods')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reports_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('period_id', 'unit_id', 'organization_id', name='uq_reports_key', postgresql_nulls_not_distinct=True)
    )
    op.create_index('ix_reports_period_status', 'reports', ['period_id', 'status'], unique=False)
    op.create_index(op.f('ix_reports_unit_id'), 'reports', ['unit_id'], unique=False)
    op.create_table('report_entries',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('computed_value', sa.Integer(), nullable=True),
    sa.Column('is_manual', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_code'], ['report_indicators.code'], name=op.f('fk_report_entries_indicator_code_report_indicators')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_entries_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'indicator_code', name=op.f('pk_report_entries'))
    )
    op.create_table('report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_events_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_events'))
    )
    op.create_index(op.f('ix_report_events_report_id'), 'report_events', ['report_id'], unique=False)
    op.create_table('report_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='report_export_status', native_enum=False, length=30), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('object_key', sa.String(length=300), nullable=True),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_report_exports_organization_id_organizations')),
    sa.ForeignKeyConstraint(['period_id'], ['report_periods.id'], name=op.f('fk_report_exports_period_id_report_periods')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_exports_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_report_exports_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_exports')),
    sa.UniqueConstraint('object_key', name=op.f('uq_report_exports_object_key'))
    )
    op.create_index(op.f('ix_report_exports_unit_id'), 'report_exports', ['unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_report_exports_unit_id'), table_name='report_exports')
    op.drop_table('report_exports')
    op.drop_index(op.f('ix_report_events_report_id'), table_name='report_events')
    op.drop_table('report_events')
    op.drop_table('report_entries')
    op.drop_index(op.f('ix_reports_unit_id'), table_name='reports')
    op.drop_index('ix_reports_period_status', table_name='reports')
    op.drop_table('reports')
    op.drop_index(op.f('ix_report_figures_unit_id'), table_name='report_figures')
    op.drop_table('report_figures')
    op.drop_index('uq_report_periods_regular', table_name='report_periods', postgresql_where=sa.text("kind <> 'ad_hoc'"))
    op.drop_index('ix_report_periods_window', table_name='report_periods')
    op.drop_index(op.f('ix_report_periods_requested_by_unit_id'), table_name='report_periods')
    op.drop_table('report_periods')
    op.drop_index(op.f('ix_report_indicators_group_code'), table_name='report_indicators')
    op.drop_table('report_indicators')
