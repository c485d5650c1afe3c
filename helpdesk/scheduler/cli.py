"""``flask --app wsgi worker``: the scheduler as a process of its own (production)."""
from __future__ import annotations

import json
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from helpdesk.jobs import PERIODIC_JOBS, worker_name


@click.command("worker")
@click.option("--once", is_flag=True, help="run each job once now, print the outcomes, exit")
@click.option("--job", "only", multiple=True, metavar="ID", help="with --once: only this job (repeatable)")
@with_appcontext
def worker(once: bool, only: tuple[str, ...]) -> None:
    """Run the periodic jobs (reminders, escalations, outbox, channel polling) until stopped."""
    from helpdesk.scheduler.engine import build
    from helpdesk.scheduler.runner import ensure_states, run_job

    name = worker_name()
    if once:
        unknown = [j for j in only if j not in PERIODIC_JOBS]
        if unknown:
            raise click.BadParameter(f"unknown job(s) {', '.join(unknown)}; known: {', '.join(sorted(PERIODIC_JOBS))}",
                                     param_hint="--job")
        ensure_states(PERIODIC_JOBS.values())
        failed = False
        for job_id in only or sorted(PERIODIC_JOBS):
            outcome = run_job(job_id, worker=name)
            failed |= outcome["outcome"] == "error"
            click.echo(json.dumps({"job": job_id, **outcome}, default=str, ensure_ascii=False))
        raise SystemExit(1 if failed else 0)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler = build(current_app._get_current_object(), worker=name)
    click.echo(f"worker {name}: {len(PERIODIC_JOBS)} jobs ({', '.join(sorted(PERIODIC_JOBS))}); "
               "stop with SIGTERM or Ctrl-C")
    stop.wait()
    click.echo(f"worker {name}: stopping after the running jobs finish")
    scheduler.shutdown(wait=True)
