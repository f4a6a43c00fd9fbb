"""queue indexes that hold what the queues filter on

The reviewer queue filters on state and review_started_at and sorts by deadline; the
finished list filters on state and sorts by last change. With those columns in the
indexes, a page of either is chosen from the index alone (1.4 -> 0.2 ms and 1.2 -> 0.1 ms
at 100,000 disputes, bench/scale.py) instead of reading every open row from the table.

Revision ID: 31cec1e302a8
Revises: 4f72e0ad6fb0
Create Date: 2026-11-30 14:25:53.254783

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "31cec1e302a8"
down_revision = "4f72e0ad6fb0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index("ix_disputes_reviewed_recent")
        batch_op.drop_index("ix_disputes_state_deadline")
        batch_op.create_index(
            "ix_disputes_queue", ["state", "deadline_at", "review_started_at"], unique=False
        )
        batch_op.create_index(
            "ix_disputes_reviewed_by_change",
            ["updated_at", "state"],
            unique=False,
            sqlite_where=sa.text("review_started_at IS NOT NULL"),
            postgresql_where=sa.text("review_started_at IS NOT NULL"),
        )


def downgrade():
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_disputes_reviewed_by_change",
            sqlite_where=sa.text("review_started_at IS NOT NULL"),
            postgresql_where=sa.text("review_started_at IS NOT NULL"),
        )
        batch_op.drop_index("ix_disputes_queue")
        batch_op.create_index("ix_disputes_state_deadline", ["state", "deadline_at"], unique=False)
        batch_op.create_index(
            "ix_disputes_reviewed_recent",
            ["updated_at"],
            unique=False,
            sqlite_where=sa.text("review_started_at IS NOT NULL"),
            postgresql_where=sa.text("review_started_at IS NOT NULL"),
        )
