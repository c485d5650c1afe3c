"""APScheduler 3 on a persistent job store: every registered job under its fixed id.

Jobs are added with ``replace_existing=True`` and keep the next run time the store already
had when their trigger is unchanged, so after downtime a job whose run was missed runs once
at start (``coalesce``, within ``SCHEDULER_MISFIRE_GRACE_SECONDS``) instead of once per
missed run or not at all. A job new to the store runs at once. APScheduler has no locking
between processes, so two schedulers on one store both fire every job; the runner's lease
and each job's row claims make that harmless.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from helpdesk.extensions import db
from helpdesk.jobs import PERIODIC_JOBS, JobSpec
from helpdesk.scheduler import runner

logger = logging.getLogger(__name__)
TABLE = "apscheduler_jobs"


class _SharedEngineStore(SQLAlchemyJobStore):
    """The job store on the app's own engine; stopping the scheduler leaves the engine to the app."""

    def shutdown(self):
        pass


class _Scheduler(BackgroundScheduler):
    """A round that fails (database busy, a job changed by another process) is retried, not fatal.

    APScheduler 3 lets an error while updating a job in the store end its scheduling thread.
    """

    def _process_jobs(self):
        try:
            return super()._process_jobs()
        except Exception:
            logger.exception("scheduler round failed; retrying in %s s", self.jobstore_retry_interval)
            return self.jobstore_retry_interval


def trigger_for(spec: JobSpec, tz: ZoneInfo):
    if spec.seconds is not None:
        return IntervalTrigger(seconds=spec.seconds, timezone=tz)
    return CronTrigger(timezone=tz, **spec.cron)


def build(app: Flask, *, worker: str, specs: list[JobSpec] | None = None, every: int | None = None,
          paused: bool = False) -> BackgroundScheduler:
    """Start a scheduler running ``specs`` (default: every registered job) for ``app``.

    ``every`` (seconds) replaces every job's schedule and ``paused`` stores the jobs without
    running any; tests use them.
    """
    prune = specs is None
    specs = list(PERIODIC_JOBS.values()) if specs is None else list(specs)
    if every is not None:
        specs = [replace(s, seconds=every, cron=None) for s in specs]
    tz = ZoneInfo(app.config["TIMEZONE"])
    with app.app_context():
        engine = db.engine
        runner.ensure_states(specs)
    runner.bind(app, worker)
    scheduler = _Scheduler(
        jobstores={"default": _SharedEngineStore(engine=engine, tablename=TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=max(2, len(specs)))},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": app.config["SCHEDULER_MISFIRE_GRACE_SECONDS"]},
        timezone=tz)
    scheduler.start(paused=True)
    add_jobs(scheduler, specs, tz, prune=prune)
    if not paused:
        scheduler.resume()
    logger.info("scheduler %s started with %d jobs: %s", worker, len(specs), ", ".join(s.id for s in specs))
    return scheduler


def add_jobs(scheduler: BackgroundScheduler, specs: list[JobSpec], tz: ZoneInfo, *, prune: bool) -> None:
    """Add or replace each job under its id; keep a stored next run time its trigger still gives."""
    now = datetime.now(tz)
    for spec in specs:
        trigger = trigger_for(spec, tz)
        stored = scheduler.get_job(spec.id)
        if stored is None:
            next_run = now  # new to the store: run at once
        elif str(stored.trigger) == str(trigger) and stored.next_run_time is not None:
            next_run = stored.next_run_time  # possibly in the past: one catch-up run
        else:
            next_run = trigger.get_next_fire_time(None, now)
        scheduler.add_job(runner.run_periodic, trigger=trigger, args=[spec.id], id=spec.id, name=spec.id,
                          replace_existing=True, next_run_time=next_run)
    if prune:  # jobs a newer version no longer registers (their runs would only be skipped)
        for job in scheduler.get_jobs():
            if job.id not in PERIODIC_JOBS:
                logger.info("removing job %s: no longer registered", job.id)
                scheduler.remove_job(job.id)
