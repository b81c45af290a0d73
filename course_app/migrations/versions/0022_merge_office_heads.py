"""Merge the heads of this wave's parallel work: notifications (0015), the second edition's
review options, rubric scores and capstone (0016), the API's change times (0021).

Revision ID: 0022
Revises: 0015, 0016, 0021
"""

revision = "0022"
down_revision = ("0015", "0016", "0021")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
