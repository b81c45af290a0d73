"""The course's second edition (issue 21): per-quiz review options (what a trainee sees after
an attempt, and when), the rubric levels a grader picked per essay answer, the lesson a
question assesses, and whether a certificate's course capstone was assessed.

Revision ID: 0016
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quiz") as batch:
        batch.add_column(sa.Column("review_options", sa.JSON(), nullable=True))
    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("lesson", sa.String(length=100), nullable=True))
    with op.batch_alter_table("answer") as batch:
        batch.add_column(sa.Column("rubric_scores", sa.JSON(), nullable=True))
    with op.batch_alter_table("certificate") as batch:
        batch.add_column(sa.Column("capstone_assessed", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("certificate") as batch:
        batch.drop_column("capstone_assessed")
    with op.batch_alter_table("answer") as batch:
        batch.drop_column("rubric_scores")
    with op.batch_alter_table("question") as batch:
        batch.drop_column("lesson")
    with op.batch_alter_table("quiz") as batch:
        batch.drop_column("review_options")
