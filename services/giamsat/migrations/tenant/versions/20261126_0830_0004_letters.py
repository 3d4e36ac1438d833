"""letters: suggestion boxes, openings with minutes, scanned letters, pages, pending uploads

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 08:30:00+00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_keys', postgresql.JSONB(astext_type=Text()), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_uploads'))
    )
    op.create_index(op.f('ix_pending_uploads_created_at'), 'pending_uploads', ['created_at'], unique=False)
    op.create_table('suggestion_boxes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('label_code', sa.String(length=40), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('keeper', sa.String(length=200), nullable=False),
    sa.Column('installed_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('active', 'removed', 'damaged', name='suggestion_box_status', native_enum=False, length=30), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_suggestion_boxes_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_boxes')),
    sa.UniqueConstraint('label_code', name=op.f('uq_suggestion_boxes_label_code'))
    )
    op.create_index(op.f('ix_suggestion_boxes_unit_id'), 'suggestion_boxes', ['unit_id'], unique=False)
    op.create_table('box_openings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('witnesses', postgresql.JSONB(astext_type=Text()), nullable=False),
    sa.Column('seal_condition', sa.Enum('intact', 'broken', 'none', name='box_seal_condition', native_enum=False, length=30), nullable=False),
    sa.Column('letters_found', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('minutes_key', sa.String(length=300), nullable=True),
    sa.Column('minutes_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('letters_found >= 0', name=op.f('ck_box_openings_letters_found_not_negative')),
    sa.ForeignKeyConstraint(['box_id'], ['suggestion_boxes.id'], name=op.f('fk_box_openings_box_id_suggestion_boxes')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_box_openings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_box_openings')),
    sa.UniqueConstraint('minutes_key', name=op.f('uq_box_openings_minutes_key'))
    )
    op.create_index('ix_box_openings_box_opened', 'box_openings', ['box_id', 'opened_at'], unique=False)
    op.create_index(op.f('ix_box_openings_unit_id'), 'box_openings', ['unit_id'], unique=False)
    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opening_id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('ocr_status', sa.Enum('queued', 'done', 'failed', 'unavailable', name='letter_ocr_status', native_enum=False, length=30), nullable=False),
    sa.Column('ocr_error', sa.Text(), nullable=True),
    sa.Column('ocr_attempts', sa.Integer(), nullable=False),
    sa.Column('ocr_finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_letters_version_positive')),
    sa.ForeignKeyConstraint(['box_id'], ['suggestion_boxes.id'], name=op.f('fk_letters_box_id_suggestion_boxes')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_letters_case_id_cases')),
    sa.ForeignKeyConstraint(['opening_id'], ['box_openings.id'], name=op.f('fk_letters_opening_id_box_openings')),
    sa.ForeignKeyConstraint(['replaces_id'], ['letters.id'], name=op.f('fk_letters_replaces_id_letters')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_letters_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
    sa.UniqueConstraint('case_id', 'version', name='uq_letters_case_version')
    )
    op.create_index(op.f('ix_letters_box_id'), 'letters', ['box_id'], unique=False)
    op.create_index(op.f('ix_letters_case_id'), 'letters', ['case_id'], unique=False)
    op.create_index(op.f('ix_letters_ocr_status'), 'letters', ['ocr_status'], unique=False)
    op.create_index(op.f('ix_letters_opening_id'), 'letters', ['opening_id'], unique=False)
    op.create_index(op.f('ix_letters_unit_id'), 'letters', ['unit_id'], unique=False)
    op.create_table('letter_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('object_key', sa.String(length=300), nullable=False),
    sa.Column('original_name', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_files_letter_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_files')),
    sa.UniqueConstraint('letter_id', 'position', name='uq_letter_files_position'),
    sa.UniqueConstraint('object_key', name=op.f('uq_letter_files_object_key'))
    )
    op.create_index(op.f('ix_letter_files_letter_id'), 'letter_files', ['letter_id'], unique=False)
    op.create_table('letter_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('page_number', sa.Integer(), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=300), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('dpi', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_letter_pages_case_id_cases')),
    sa.ForeignKeyConstraint(['file_id'], ['letter_files.id'], name=op.f('fk_letter_pages_file_id_letter_files')),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_pages_letter_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_pages')),
    sa.UniqueConstraint('file_id', 'page_number', name='uq_letter_pages_number'),
    sa.UniqueConstraint('thumbnail_key', name=op.f('uq_letter_pages_thumbnail_key'))
    )
    op.create_index(op.f('ix_letter_pages_case_id'), 'letter_pages', ['case_id'], unique=False)
    op.create_index(op.f('ix_letter_pages_file_id'), 'letter_pages', ['file_id'], unique=False)
    op.create_index(op.f('ix_letter_pages_letter_id'), 'letter_pages', ['letter_id'], unique=False)
    op.create_index('ix_letter_pages_search', 'letter_pages', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})


def downgrade() -> None:
    op.drop_index('ix_letter_pages_search', table_name='letter_pages', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_letter_pages_letter_id'), table_name='letter_pages')
    op.drop_index(op.f('ix_letter_pages_file_id'), table_name='letter_pages')
    op.drop_index(op.f('ix_letter_pages_case_id'), table_name='letter_pages')
    op.drop_table('letter_pages')
    op.drop_index(op.f('ix_letter_files_letter_id'), table_name='letter_files')
    op.drop_table('letter_files')
    op.drop_index(op.f('ix_letters_unit_id'), table_name='letters')
    op.drop_index(op.f('ix_letters_opening_id'), table_name='letters')
    op.drop_index(op.f('ix_letters_ocr_status'), table_name='letters')
    op.drop_index(op.f('ix_letters_case_id'), table_name='letters')
    op.drop_index(op.f('ix_letters_box_id'), table_name='letters')
    op.drop_table('letters')
    op.drop_index(op.f('ix_box_openings_unit_id'), table_name='box_openings')
    op.drop_index('ix_box_openings_box_opened', table_name='box_openings')
    op.drop_table('box_openings')
    op.drop_index(op.f('ix_suggestion_boxes_unit_id'), table_name='suggestion_boxes')
    op.drop_table('suggestion_boxes')
    op.drop_index(op.f('ix_pending_uploads_created_at'), table_name='pending_uploads')
    op.drop_table('pending_uploads')
