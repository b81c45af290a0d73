"""When each row last changed, for the API's `updated_since` (issue 22): organisations,
cohorts, users, attempts and certificates get `updated_at`, set by the models on every insert
and update. Existing rows start from the time they are known to have last changed.

Revision ID: 0021
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

from course_app.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0013"
branch_labels = None
depends_on = None

# table -> the SQL for the best known time of its last change
FIRST_VALUES = {
    "organisation": "created_at",
    "cohort": "created_at",
    "user": "COALESCE(last_login_at, created_at)",
    "attempt": "COALESCE(submitted_at, started_at)",
    "certificate": "COALESCE(revoked_at, issued_at)",
}


def upgrade() -> None:
    for table, value in FIRST_VALUES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("updated_at", UTCDateTime(), nullable=True))
        op.execute(f'UPDATE "{table}" SET updated_at = {value}')  # noqa: S608  # nosec B608 - constants
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempt_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempt_updated_at"))
    for table in reversed(FIRST_VALUES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_at")
