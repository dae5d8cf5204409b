"""report: indexes for one municipality's report and for the pool's hours per municipality

Revision ID: report_1
Revises: team_1
Create Date: 2026-12-01 06:40:00

* ix_contact_muni_date (municipality_id, work_date): one municipality's contacts of a period
  are one index range, not a scan of the whole region's period;
* ix_contact_live_minutes (work_date, municipality_id, duration_minutes), only live rows: the
  pool's minutes per municipality (the fair share) read from the index alone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "report_1"
down_revision: str | Sequence[str] | None = "team_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_muni_date", ["municipality_id", "work_date"])
        batch_op.create_index(
            "ix_contact_live_minutes",
            ["work_date", "municipality_id", "duration_minutes"],
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_live_minutes")
        batch_op.drop_index("ix_contact_muni_date")
