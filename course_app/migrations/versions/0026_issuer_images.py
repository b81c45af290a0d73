"""Images a certificate was issued with (logo, signature, seal), kept by their SHA-256 so a
certificate's PDF does not change when its organisation replaces them. The certificates of
organisations issued before this revision are given their organisation's signatory and images
as they are now, the best record there is, so that from now on no change reaches them.

Revision ID: 0026
Revises: 0025
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

organisation = sa.table("organisation", sa.column("id", sa.Integer),
                        sa.column("signatory_name", sa.String),
                        sa.column("signatory_title", sa.String))
organisation_image = sa.table("organisation_image", sa.column("organisation_id", sa.Integer),
                              sa.column("kind", sa.String), sa.column("sha256", sa.String),
                              sa.column("content_type", sa.String),
                              sa.column("data", sa.LargeBinary))
issuer_image = sa.table("issuer_image", sa.column("sha256", sa.String),
                        sa.column("content_type", sa.String), sa.column("data", sa.LargeBinary))
certificate = sa.table("certificate", sa.column("id", sa.Integer),
                       sa.column("organisation_id", sa.Integer), sa.column("issuer", sa.JSON))


def _issuer(value: Any) -> dict[str, Any]:
    if isinstance(value, str):  # a JSON column read through a lightweight table may be text
        value = json.loads(value)
    return dict(value or {})


def snapshot_issued(connection: sa.Connection) -> int:
    """Give every certificate of an organisation that has no snapshot yet its organisation's
    signatory and image digests, keeping the images in issuer_image; returns how many."""
    kept = set(connection.scalars(sa.select(issuer_image.c.sha256)))
    done = 0
    for org_id, name, title in connection.execute(sa.select(organisation)).all():
        images = connection.execute(sa.select(organisation_image).where(
            organisation_image.c.organisation_id == org_id)).all()
        for image in images:
            if image.sha256 not in kept:
                connection.execute(sa.insert(issuer_image).values(
                    sha256=image.sha256, content_type=image.content_type, data=image.data))
                kept.add(image.sha256)
        snapshot = {"signatory": {"name": name, "title": title},
                    "images": {image.kind: image.sha256 for image in images}}
        for cert_id, issuer in connection.execute(sa.select(
                certificate.c.id, certificate.c.issuer).where(
                certificate.c.organisation_id == org_id)).all():
            current = _issuer(issuer)
            if not current or "signatory" in current:  # no names to keep beside, or kept
                continue
            connection.execute(sa.update(certificate).where(certificate.c.id == cert_id)
                               .values(issuer={**current, **snapshot}))
            done += 1
    return done


def upgrade() -> None:
    op.create_table(
        "issuer_image",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    snapshot_issued(op.get_bind())


def downgrade() -> None:
    op.drop_table("issuer_image")
