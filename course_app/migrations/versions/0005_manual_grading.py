"""manual grading: who graded an answer by hand, and when

Revision ID: 0005
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import course_app.models.types

revision = '0005'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('graded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('graded_at', course_app.models.types.UTCDateTime(),
                                      nullable=True))
        batch_op.create_foreign_key('fk_answer_graded_by_id_user', 'user', ['graded_by_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_constraint('fk_answer_graded_by_id_user', type_='foreignkey')
        batch_op.drop_column('graded_at')
        batch_op.drop_column('graded_by_id')
