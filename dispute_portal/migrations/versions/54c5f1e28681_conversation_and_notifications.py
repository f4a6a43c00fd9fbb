"""conversation and notifications

Revision ID: 54c5f1e28681
Revises: 02eaa835a68c
Create Date: 2026-11-30 12:24:43.292106

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "54c5f1e28681"
down_revision = "02eaa835a68c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column(
            "author_role",
            sa.Enum("buyer", "seller", "reviewer", name="role", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_dispute_id"), ["dispute_id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["disputes.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_dispute_id"), ["dispute_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notifications_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("evidence_photos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_evidence_photos_message_id"), ["message_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_evidence_photos_message_id_messages", "messages", ["message_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("evidence_photos", schema=None) as batch_op:
        batch_op.drop_constraint("fk_evidence_photos_message_id_messages", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_evidence_photos_message_id"))
        batch_op.drop_column("message_id")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_user_id"))
        batch_op.drop_index(batch_op.f("ix_notifications_dispute_id"))

    op.drop_table("notifications")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_dispute_id"))

    op.drop_table("messages")
