"""Invitations and full-strength hashing in a job (issues 19 and 20): the purpose of a mailed
token (reset or invite), and the progress of a batch of one-time passwords being hashed.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

from course_app.models.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("password_reset_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=16), nullable=False,
                                      server_default="reset"))
        batch_op.create_check_constraint("ck_password_reset_token_purpose",
                                         "purpose IN ('reset', 'invite')")
    op.create_table(
        "password_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('running', 'done', 'failed')",
                           name="ck_password_batch_status"),
        sa.CheckConstraint("done >= 0 AND done <= total", name="ck_password_batch_done"),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("password_batch")
    with op.batch_alter_table("password_reset_token", schema=None) as batch_op:
        batch_op.drop_constraint("ck_password_reset_token_purpose", type_="check")
        batch_op.drop_column("purpose")
