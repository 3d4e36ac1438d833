"""supervision register: people, assignments, plans, activities, recommendations, dialogues

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 08:00:00+00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dialogues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'held', 'cancelled', name='dialogue_status', native_enum=False, length=40), nullable=False),
    sa.Column('chaired_by', sa.String(length=300), nullable=False),
    sa.Column('heads_present', sa.Text(), nullable=False),
    sa.Column('participants_count', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('participants_count >= 0', name=op.f('ck_dialogues_participants_not_negative')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_dialogues_organization_id_organizations')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dialogues_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogues'))
    )
    op.create_index(op.f('ix_dialogues_unit_id'), 'dialogues', ['unit_id'], unique=False)
    op.create_table('supervised_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('birth_year', sa.SmallInteger(), nullable=True),
    sa.Column('position', sa.String(length=300), nullable=False),
    sa.Column('tier', sa.Enum('head', 'key_cadre', 'cadre', name='supervision_person_tier', native_enum=False, length=40), nullable=False),
    sa.Column('workplace_agency', sa.String(length=300), nullable=False),
    sa.Column('workplace_unit', sa.String(length=300), nullable=False),
    sa.Column('workplace_key', sa.String(length=300), nullable=False),
    sa.Column('residence_area_id', sa.Integer(), nullable=True),
    sa.Column('residence', sa.String(length=300), nullable=False),
    sa.Column('management_level', sa.Enum('provincial_standing_committee', 'provincial_party_committee', 'district_standing_committee', 'commune_standing_committee', 'commune_party_committee', 'party_cell', 'other', name='supervision_management_level', native_enum=False, length=40), nullable=False),
    sa.Column('is_party_member', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100', name=op.f('ck_supervised_people_birth_year_range')),
    sa.ForeignKeyConstraint(['residence_area_id'], ['units.id'], name=op.f('fk_supervised_people_residence_area_id_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervised_people_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervised_people')),
    sa.UniqueConstraint('unit_id', 'name_key', 'birth_year', 'workplace_key', name='uq_supervised_people_natural_key', postgresql_nulls_not_distinct=True)
    )
    op.create_index(op.f('ix_supervised_people_residence_area_id'), 'supervised_people', ['residence_area_id'], unique=False)
    op.create_index(op.f('ix_supervised_people_unit_id'), 'supervised_people', ['unit_id'], unique=False)
    op.create_table('supervision_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', name='supervision_plan_status', native_enum=False, length=40), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_supervision_plans_organization_id_organizations')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_plans_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_plans')),
    sa.UniqueConstraint('unit_id', 'organization_id', 'year', name='uq_supervision_plans_year')
    )
    op.create_index(op.f('ix_supervision_plans_unit_id'), 'supervision_plans', ['unit_id'], unique=False)
    op.create_table('dialogue_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_dialogue_issues_dialogue_id_dialogues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dialogue_issues_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_issues'))
    )
    op.create_index(op.f('ix_dialogue_issues_dialogue_id'), 'dialogue_issues', ['dialogue_id'], unique=False)
    op.create_index(op.f('ix_dialogue_issues_unit_id'), 'dialogue_issues', ['unit_id'], unique=False)
    op.create_table('supervision_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('thematic', 'regular', 'via_suggestion_box', 'via_dialogue', 'via_peoples_inspection', 'dissemination_conference', name='supervision_activity_kind', native_enum=False, length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('participants_count', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_supervision_activities_date_order')),
    sa.CheckConstraint('participants_count >= 0', name=op.f('ck_supervision_activities_participants_not_negative')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_supervision_activities_organization_id_organizations')),
    sa.ForeignKeyConstraint(['plan_id'], ['supervision_plans.id'], name=op.f('fk_supervision_activities_plan_id_supervision_plans')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_activities_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_activities'))
    )
    op.create_index(op.f('ix_supervision_activities_plan_id'), 'supervision_activities', ['plan_id'], unique=False)
    op.create_index(op.f('ix_supervision_activities_unit_id'), 'supervision_activities', ['unit_id'], unique=False)
    op.create_table('supervision_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.Enum('workplace', 'residence', name='supervision_place', native_enum=False, length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_supervision_assignments_validity_order')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_supervision_assignments_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['supervised_people.id'], name=op.f('fk_supervision_assignments_person_id_supervised_people')),
    sa.ForeignKeyConstraint(['replaces_id'], ['supervision_assignments.id'], name=op.f('fk_supervision_assignments_replaces_id_supervision_assignments')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_assignments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_assignments'))
    )
    op.create_index(op.f('ix_supervision_assignments_person_id'), 'supervision_assignments', ['person_id'], unique=False)
    op.create_index(op.f('ix_supervision_assignments_unit_id'), 'supervision_assignments', ['unit_id'], unique=False)
    op.create_index('uq_supervision_assignments_open', 'supervision_assignments', ['person_id', 'organization_id', 'place'], unique=True, postgresql_where='valid_to IS NULL')
    op.create_table('dialogue_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'kept', 'broken', name='dialogue_commitment_status', native_enum=False, length=40), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_dialogue_commitments_dialogue_id_dialogues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issue_id'], ['dialogue_issues.id'], name=op.f('fk_dialogue_commitments_issue_id_dialogue_issues')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dialogue_commitments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_commitments'))
    )
    op.create_index(op.f('ix_dialogue_commitments_dialogue_id'), 'dialogue_commitments', ['dialogue_id'], unique=False)
    op.create_index(op.f('ix_dialogue_commitments_unit_id'), 'dialogue_commitments', ['unit_id'], unique=False)
    op.create_index('ix_dialogue_commitments_unit_status', 'dialogue_commitments', ['unit_id', 'status'], unique=False)
    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('addressee_kind', sa.Enum('party_committee', 'authority', 'cadre', name='recommendation_addressee_kind', native_enum=False, length=40), nullable=False),
    sa.Column('addressee_name', sa.String(length=300), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expected_answer', sa.Enum('accept', 'explain', name='recommendation_expected_answer', native_enum=False, length=40), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('awaiting', 'answered_accepted', 'answered_explained', 'withdrawn', name='recommendation_status', native_enum=False, length=40), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('due_on >= issued_on', name=op.f('ck_recommendations_due_after_issue')),
    sa.ForeignKeyConstraint(['activity_id'], ['supervision_activities.id'], name=op.f('fk_recommendations_activity_id_supervision_activities')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_recommendations_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['supervised_people.id'], name=op.f('fk_recommendations_person_id_supervised_people')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_recommendations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations'))
    )
    op.create_index(op.f('ix_recommendations_activity_id'), 'recommendations', ['activity_id'], unique=False)
    op.create_index(op.f('ix_recommendations_person_id'), 'recommendations', ['person_id'], unique=False)
    op.create_index(op.f('ix_recommendations_unit_id'), 'recommendations', ['unit_id'], unique=False)
    op.create_index('ix_recommendations_unit_status_due', 'recommendations', ['unit_id', 'status', 'due_on'], unique=False)
    op.create_table('supervision_activity_people',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['supervision_activities.id'], name=op.f('fk_supervision_activity_people_activity_id_supervision_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['supervised_people.id'], name=op.f('fk_supervision_activity_people_person_id_supervised_people')),
    sa.PrimaryKeyConstraint('activity_id', 'person_id', name=op.f('pk_supervision_activity_people'))
    )
    op.create_index(op.f('ix_supervision_activity_people_person_id'), 'supervision_activity_people', ['person_id'], unique=False)
    op.create_table('supervision_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['supervision_activities.id'], name=op.f('fk_supervision_comments_activity_id_supervision_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['supervised_people.id'], name=op.f('fk_supervision_comments_person_id_supervised_people')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_comments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_comments'))
    )
    op.create_index(op.f('ix_supervision_comments_activity_id'), 'supervision_comments', ['activity_id'], unique=False)
    op.create_index(op.f('ix_supervision_comments_person_id'), 'supervision_comments', ['person_id'], unique=False)
    op.create_index(op.f('ix_supervision_comments_unit_id'), 'supervision_comments', ['unit_id'], unique=False)
    op.create_table('recommendation_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('reminded_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_reminders_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_recommendation_reminders_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_reminders'))
    )
    op.create_index(op.f('ix_recommendation_reminders_recommendation_id'), 'recommendation_reminders', ['recommendation_id'], unique=False)
    op.create_index(op.f('ix_recommendation_reminders_unit_id'), 'recommendation_reminders', ['unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_recommendation_reminders_unit_id'), table_name='recommendation_reminders')
    op.drop_index(op.f('ix_recommendation_reminders_recommendation_id'), table_name='recommendation_reminders')
    op.drop_table('recommendation_reminders')
    op.drop_index(op.f('ix_supervision_comments_unit_id'), table_name='supervision_comments')
    op.drop_index(op.f('ix_supervision_comments_person_id'), table_name='supervision_comments')
    op.drop_index(op.f('ix_supervision_comments_activity_id'), table_name='supervision_comments')
    op.drop_table('supervision_comments')
    op.drop_index(op.f('ix_supervision_activity_people_person_id'), table_name='supervision_activity_people')
    op.drop_table('supervision_activity_people')
    op.drop_index('ix_recommendations_unit_status_due', table_name='recommendations')
    op.drop_index(op.f('ix_recommendations_unit_id'), table_name='recommendations')
    op.drop_index(op.f('ix_recommendations_person_id'), table_name='recommendations')
    op.drop_index(op.f('ix_recommendations_activity_id'), table_name='recommendations')
    op.drop_table('recommendations')
    op.drop_index('ix_dialogue_commitments_unit_status', table_name='dialogue_commitments')
    op.drop_index(op.f('ix_dialogue_commitments_unit_id'), table_name='dialogue_commitments')
    op.drop_index(op.f('ix_dialogue_commitments_dialogue_id'), table_name='dialogue_commitments')
    op.drop_table('dialogue_commitments')
    op.drop_index('uq_supervision_assignments_open', table_name='supervision_assignments', postgresql_where='valid_to IS NULL')
    op.drop_index(op.f('ix_supervision_assignments_unit_id'), table_name='supervision_assignments')
    op.drop_index(op.f('ix_supervision_assignments_person_id'), table_name='supervision_assignments')
    op.drop_table('supervision_assignments')
    op.drop_index(op.f('ix_supervision_activities_unit_id'), table_name='supervision_activities')
    op.drop_index(op.f('ix_supervision_activities_plan_id'), table_name='supervision_activities')
    op.drop_table('supervision_activities')
    op.drop_index(op.f('ix_dialogue_issues_unit_id'), table_name='dialogue_issues')
    op.drop_index(op.f('ix_dialogue_issues_dialogue_id'), table_name='dialogue_issues')
    op.drop_table('dialogue_issues')
    op.drop_index(op.f('ix_supervision_plans_unit_id'), table_name='supervision_plans')
    op.drop_table('supervision_plans')
    op.drop_index(op.f('ix_supervised_people_unit_id'), table_name='supervised_people')
    op.drop_index(op.f('ix_supervised_people_residence_area_id'), table_name='supervised_people')
    op.drop_table('supervised_people')
    op.drop_index(op.f('ix_dialogues_unit_id'), table_name='dialogues')
    op.drop_table('dialogues')
