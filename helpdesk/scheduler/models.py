"""What the scheduler leaves in the database: each job's last run and lease, and APScheduler's store."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Float, Integer, LargeBinary, String, Text, Unicode
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime


class JobState(db.Model):
    """One periodic job: its last run, outcome and error, and the lease of the run in progress."""

    __tablename__ = "scheduler_jobs"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # the JobSpec id
    description: Mapped[str] = mapped_column(Text, default="")
    schedule: Mapped[str] = mapped_column(String(120), default="")  # e.g. "every 60 s", "cron hour=1 minute=15"
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_duration_ms: Mapped[int | None] = mapped_column(Integer)
    last_outcome: Mapped[str | None] = mapped_column(String(10))  # ok | error
    last_result: Mapped[str | None] = mapped_column(Text)  # the job's returned dict, as JSON
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_worker: Mapped[str | None] = mapped_column(String(120))
    runs: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    # One run at a time across workers: the owner holds the job until lease_until.
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<JobState {self.id} {self.last_outcome} at {self.last_finished_at}>"


# APScheduler's SQLAlchemyJobStore table (apscheduler 3.x layout), declared here so the
# migrations create it and the schema check knows it; the store itself reads and writes it.
apscheduler_jobs = db.Table(
    "apscheduler_jobs",
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),  # UTC timestamp; NULL while paused
    Column("job_state", LargeBinary, nullable=False),  # pickled job (trigger, textual func ref, args)
)
