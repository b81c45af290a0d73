"""A covering index for the grades of a trainee's attempts (progress pages, cohort reports).

Revision ID: 0009
Revises: 0007
"""

from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_attempt_grades", "attempt",
                    ["user_id", "quiz_id", "number", "status", "percent"])


def downgrade() -> None:
    op.drop_index("ix_attempt_grades", table_name="attempt")
