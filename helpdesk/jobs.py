"""Periodic jobs, declared as data: each feature registers its own with a fixed id.

The scheduler (embedded in the web process, or ``flask --app wsgi worker``) runs what is
registered here. A job function takes no arguments, runs inside an app context, does its own
claiming in the database (so two schedulers never do the same work twice) and returns a
small dict describing what it did.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[], dict | None]
    seconds: int | None = None  # interval trigger
    cron: dict | None = None  # cron trigger fields, e.g. {"hour": 6, "minute": 30}
    description: str = ""


PERIODIC_JOBS: dict[str, JobSpec] = {}


def periodic(job_id: str, *, seconds: int | None = None, cron: dict | None = None, description: str = ""):
    """Register ``func`` as the periodic job ``job_id`` (exactly one of seconds/cron)."""
    if (seconds is None) == (cron is None):
        raise ValueError("give a periodic job either seconds or cron, not both")

    def decorate(func):
        PERIODIC_JOBS[job_id] = JobSpec(job_id, func, seconds, cron, description or (func.__doc__ or "").strip())
        return func
    return decorate


def worker_name() -> str:
    """This process in claims and leases: host and pid (a job's claims say who holds a row)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}"
