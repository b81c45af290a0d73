"""Merge the invitations and password batches (0014) with this wave's other heads (0022).

Revision ID: 0023
Revises: 0014, 0022
"""

revision = "0023"
down_revision = ("0014", "0022")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
