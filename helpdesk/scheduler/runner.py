"""Run one periodic job: take its lease, run it in an app context, record the outcome.

The lease (a conditional UPDATE on the job's ``scheduler_jobs`` row) lets one worker run a
job at a time, so two schedulers on one job store do not both poll Telegram or retrain the
classifier. Correctness does not rest on it: every job claims its own rows, so a run that
outlives its lease, or a second scheduler, never does the same piece of work twice.
"""
from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from helpdesk.extensions import db
from helpdesk.jobs import PERIODIC_JOBS, JobSpec
from helpdesk.scheduler.models import JobState
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
_bound: dict = {}  # the app and worker name the scheduler of this process runs jobs for


def bind(app: Flask, worker: str) -> None:
    """Tell this process's scheduler which app its stored jobs run in."""
    _bound.update(app=app, worker=worker)


def run_periodic(job_id: str) -> dict:
    """The callable every stored job points at (a textual reference the job store can keep)."""
    app = _bound.get("app")
    if app is None:
        raise RuntimeError("no app is bound to the scheduler of this process")
    with app.app_context():
        return run_job(job_id, worker=_bound["worker"])


def describe(spec: JobSpec) -> str:
    if spec.seconds is not None:
        return f"every {spec.seconds} s"
    return "cron " + " ".join(f"{k}={v}" for k, v in spec.cron.items())


def ensure_states(specs) -> None:
    """A state row per registered job, with its current description and schedule; commits."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for spec in specs:
        values = {"description": spec.description, "schedule": describe(spec)}
        db.session.execute(insert(JobState).values(id=spec.id, runs=0, errors=0, **values)
                           .on_conflict_do_update(index_elements=["id"], set_=values))
    db.session.commit()


def run_job(job_id: str, *, worker: str) -> dict:
    """Run the registered job once under its lease; never raises (the error is recorded)."""
    spec = PERIODIC_JOBS.get(job_id)
    if spec is None:
        logger.warning("job %s is in the job store but not registered here; skipped", job_id)
        return {"outcome": "skipped", "reason": "not registered"}
    owner = f"{worker}#{uuid.uuid4().hex[:8]}"
    now = utcnow()
    if not _take_lease(spec, owner, worker, now):
        return {"outcome": "skipped", "reason": "running on another worker"}
    started = time.monotonic()
    try:
        result = spec.func() or {}
        db.session.commit()  # jobs commit their own units of work; this is the last one
    except Exception as exc:  # a failing job must not stop the scheduler; the admin sees why
        db.session.rollback()
        logger.exception("job %s failed", job_id)
        return _finish(job_id, owner, started, None, f"{type(exc).__name__}: {exc}")
    error = result.get("error") if isinstance(result, dict) else None
    return _finish(job_id, owner, started, result, str(error) if error else None)


def _take_lease(spec: JobSpec, owner: str, worker: str, now: datetime) -> bool:
    if db.session.get(JobState, spec.id) is None:
        ensure_states([spec])
    ttl = timedelta(seconds=current_app.config["SCHEDULER_LEASE_SECONDS"])
    taken = db.session.execute(
        update(JobState).where(JobState.id == spec.id,
                               or_(JobState.lease_until.is_(None), JobState.lease_until < now))
        .values(lease_owner=owner, lease_until=now + ttl, last_started_at=now, last_worker=worker)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def _finish(job_id: str, owner: str, started: float, result, error: str | None) -> dict:
    now = utcnow()
    values = {"last_finished_at": now, "last_duration_ms": int((time.monotonic() - started) * 1000),
              "last_outcome": "error" if error else "ok", "runs": JobState.runs + 1,
              "last_result": json.dumps(result, default=str, ensure_ascii=False)[:2000] if result else None}
    if error:
        values.update(last_error=error[:2000], last_error_at=now, errors=JobState.errors + 1)
    db.session.execute(update(JobState).where(JobState.id == job_id).values(**values)
                       .execution_options(synchronize_session=False))
    # Release only our own lease: a run that outlived it may have been followed by another.
    db.session.execute(update(JobState).where(JobState.id == job_id, JobState.lease_owner == owner)
                       .values(lease_owner=None, lease_until=None).execution_options(synchronize_session=False))
    db.session.commit()
    return {"outcome": values["last_outcome"], "result": result, "error": error}

