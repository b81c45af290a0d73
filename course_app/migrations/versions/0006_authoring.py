"""authoring: optimistic locks, publish dates, drafts and revision history

Revision ID: 0006
Revises: 0001
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import course_app.models.types


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None

AUTHORED = ('course', 'module', 'lesson', 'quiz', 'question')


def upgrade():
    for table in AUTHORED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default='1',
                                          nullable=False))
            batch_op.add_column(sa.Column('published_at', course_app.models.types.UTCDateTime(),
                                          nullable=True))
        # Everything that exists already was loaded from files: it is published.
        op.execute(sa.table(table, sa.column('published_at', sa.DateTime()))
                   .update().values(published_at=datetime.now(UTC).replace(tzinfo=None)))
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alt', sa.String(length=300), nullable=True))
    op.create_table('content_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', course_app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'object_id', name='uq_content_draft_object')
    )
    with op.batch_alter_table('content_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_draft_course_id'), ['course_id'],
                              unique=False)
    op.create_table('content_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', course_app.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('number >= 1', name='ck_content_revision_number'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'object_id', 'number', name='uq_content_revision_number')
    )
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_revision_course_id'), ['course_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_revision_course_id'))
    op.drop_table('content_revision')
    with op.batch_alter_table('content_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_draft_course_id'))
    op.drop_table('content_draft')
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_column('alt')
    for table in reversed(AUTHORED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('published_at')
            batch_op.drop_column('lock_version')
