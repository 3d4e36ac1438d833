"""cases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 07:49:47.948503+00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('classification_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('group_code', sa.String(length=20), nullable=False),
    sa.Column('group_label', sa.String(length=200), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_overridden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classification_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_classification_categories_code'))
    )
    op.create_index(op.f('ix_classification_categories_group_code'), 'classification_categories', ['group_code'], unique=False)
    op.create_table('data_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('master_key_id', sa.String(length=40), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_keys'))
    )
    op.create_index('uq_data_keys_one_active', 'data_keys', ['is_active'], unique=True, postgresql_where=sa.text('is_active'))
    op.create_table('case_counters',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_case_counters_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_case_counters'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.Enum('suggestion_box', 'in_person', 'dialogue', 'voter_meeting', 'phone', 'forwarded', 'online', name='case_channel', native_enum=False, length=30), nullable=False),
    sa.Column('kind', sa.Enum('petition', 'complaint', 'denunciation', 'detection', 'other', name='case_kind', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('concerned', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('received', 'verifying', 'awaiting_response', 'handled', 'archived', 'responded', 'closed', 'transferred', name='case_status', native_enum=False, length=30), nullable=False),
    sa.Column('is_complex', sa.Boolean(), nullable=False),
    sa.Column('reporter_mode', sa.Enum('anonymous', 'confidential', 'open', name='reporter_mode', native_enum=False, length=30), nullable=False),
    sa.Column('recipient_kind', sa.Enum('party_committee', 'inspection_committee', 'authority', 'peoples_inspection', name='recipient_kind', native_enum=False, length=30), nullable=True),
    sa.Column('recipient_name', sa.String(length=300), nullable=True),
    sa.Column('forwarded_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('response_outcome', sa.Enum('accepted', 'explained', 'rejected', name='response_outcome', native_enum=False, length=30), nullable=True),
    sa.Column('response_text', sa.Text(), nullable=True),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('public_answer', sa.Text(), nullable=True),
    sa.Column('archive_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('origin_case_id', sa.Integer(), nullable=True),
    sa.Column('next_case_id', sa.Integer(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('seq > 0', name=op.f('ck_cases_seq_positive')),
    sa.ForeignKeyConstraint(['area_id'], ['units.id'], name=op.f('fk_cases_area_id_units')),
    sa.ForeignKeyConstraint(['next_case_id'], ['cases.id'], name=op.f('fk_cases_next_case_id_cases')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_cases_organization_id_organizations')),
    sa.ForeignKeyConstraint(['origin_case_id'], ['cases.id'], name=op.f('fk_cases_origin_case_id_cases')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cases_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('unit_id', 'year', 'seq', name='uq_cases_number')
    )
    op.create_index(op.f('ix_cases_due_on'), 'cases', ['due_on'], unique=False)
    op.create_index(op.f('ix_cases_origin_case_id'), 'cases', ['origin_case_id'], unique=False)
    op.create_index('ix_cases_search', 'cases', [sa.literal_column("shared.fold(title || ' ' || content || ' ' || concerned)").label('search_text')], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.create_index(op.f('ix_cases_status'), 'cases', ['status'], unique=False)
    op.create_index(op.f('ix_cases_unit_id'), 'cases', ['unit_id'], unique=False)
    op.create_index('ix_cases_unit_status', 'cases', ['unit_id', 'status'], unique=False)
    op.create_table('case_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('object_key', sa.String(length=300), nullable=False),
    sa.Column('original_name', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_attachments_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachments')),
    sa.UniqueConstraint('object_key', name=op.f('uq_case_attachments_object_key'))
    )
    op.create_index(op.f('ix_case_attachments_case_id'), 'case_attachments', ['case_id'], unique=False)
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    op.create_index(op.f('ix_case_events_case_id'), 'case_events', ['case_id'], unique=False)
    op.create_table('case_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_receipts_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_receipts')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_receipts_case_id')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_case_receipts_code_hash'))
    )
    op.create_table('case_tags',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_tags_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['category_id'], ['classification_categories.id'], name=op.f('fk_case_tags_category_id_classification_categories')),
    sa.PrimaryKeyConstraint('case_id', 'category_id', name=op.f('pk_case_tags'))
    )
    op.create_index(op.f('ix_case_tags_category_id'), 'case_tags', ['category_id'], unique=False)
    op.create_table('reporter_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('data_key_id', sa.Integer(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_reporter_identities_case_id_cases')),
    sa.ForeignKeyConstraint(['data_key_id'], ['data_keys.id'], name=op.f('fk_reporter_identities_data_key_id_data_keys')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporter_identities')),
    sa.UniqueConstraint('case_id', name=op.f('uq_reporter_identities_case_id'))
    )
    # The handling history is append-only, like the audit log.
    bind = op.get_bind()
    case_events = sa.Table("case_events", sa.MetaData())
    bind.execute(sa.DDL(
        "CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON %(fullname)s "
        "FOR EACH ROW EXECUTE FUNCTION shared.forbid_row_change()").against(case_events))


def downgrade() -> None:
    op.drop_table('reporter_identities')
    op.drop_index(op.f('ix_case_tags_category_id'), table_name='case_tags')
    op.drop_table('case_tags')
    op.drop_table('case_receipts')
    op.drop_index(op.f('ix_case_events_case_id'), table_name='case_events')
    op.drop_table('case_events')
    op.drop_index(op.f('ix_case_attachments_case_id'), table_name='case_attachments')
    op.drop_table('case_attachments')
    op.drop_index('ix_cases_unit_status', table_name='cases')
    op.drop_index(op.f('ix_cases_unit_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_status'), table_name='cases')
    op.drop_index('ix_cases_search', table_name='cases', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_cases_origin_case_id'), table_name='cases')
    op.drop_index(op.f('ix_cases_due_on'), table_name='cases')
    op.drop_table('cases')
    op.drop_table('case_counters')
    op.drop_index('uq_data_keys_one_active', table_name='data_keys', postgresql_where=sa.text('is_active'))
    op.drop_table('data_keys')
    op.drop_index(op.f('ix_classification_categories_group_code'), table_name='classification_categories')
    op.drop_table('classification_categories')
