"""The scheduler for real: APScheduler on the database job store, leases, catch-up, the worker command."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, select, update

from channels.base import SENDERS
from helpdesk.extensions import db
from helpdesk.jobs import PERIODIC_JOBS, JobSpec
from helpdesk.outbox.models import OutboxItem
from helpdesk.reminders.service import resync
from helpdesk.scheduler.engine import build
from helpdesk.scheduler.models import JobState, apscheduler_jobs
from helpdesk.scheduler.runner import ensure_states, run_job
from helpdesk.tickets.models import Event, Ticket
from helpdesk.timeutil import utcnow
from tests.integration.reminder_support import freeze, make_tickets, user, wib

ROOT = Path(__file__).resolve().parents[2]
OURS = {"outbox-delivery", "sla-sweep", "reminders-resync", "morning-digest", "chat-replies", "poll-telegram"}


def wait_until(check, timeout: float = 120, what: str = "condition"):
    """Poll ``check`` (in a fresh transaction each time) until it is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def stored() -> dict[str, datetime | None]:
    db.session.rollback()
    return {i: datetime.fromtimestamp(t, timezone.utc) if t is not None else None
            for i, t in db.session.execute(select(apscheduler_jobs.c.id, apscheduler_jobs.c.next_run_time))}


@pytest.fixture
def counting_job(monkeypatch):
    """A registered hourly job that counts its runs."""
    calls = []
    spec = JobSpec("test-hourly", lambda: calls.append(1) or {"runs": len(calls)}, seconds=3600)
    monkeypatch.setitem(PERIODIC_JOBS, spec.id, spec)
    return spec, calls


def test_every_registered_job_is_stored_under_its_fixed_id_once(app):
    first = build(app, worker="w1", paused=True)
    first.shutdown(wait=True)
    before = stored()
    ids = set(before)
    assert ids == set(PERIODIC_JOBS) and OURS <= ids
    second = build(app, worker="w2", paused=True)  # a restart, or a second worker: replaced, not added again
    try:
        assert stored() == before  # same ids, and each keeps the next run its unchanged trigger had
        jobs = {j.id: j for j in second.get_jobs()}
        assert str(jobs["sla-sweep"].trigger) == "interval[0:01:00]"
        assert str(jobs["reminders-resync"].trigger).startswith("cron[hour='1', minute='15'")
        assert jobs["sla-sweep"].func_ref == "helpdesk.scheduler.runner:run_periodic"
        assert jobs["sla-sweep"].args == ("sla-sweep",) and jobs["sla-sweep"].coalesce
    finally:
        second.shutdown(wait=True)
    assert {s.id for s in db.session.scalars(select(JobState))} >= OURS


def test_after_downtime_a_missed_job_runs_once_at_restart(app, counting_job):
    spec, calls = counting_job
    scheduler = build(app, worker="w1", specs=[spec])  # new to the store: runs at once
    wait_until(lambda: len(calls) == 1 and _state(spec.id).runs == 1, what="the first run")
    assert stored()[spec.id] > utcnow() + timedelta(minutes=50)  # next run in an hour
    # Three days down: the last run the store knows of was three days ago, so its next run
    # lies 72 hourly runs in the past when the worker comes back.
    scheduler.shutdown(wait=True)
    store = SQLAlchemyJobStore(engine=db.engine)
    job = store.lookup_job(spec.id)
    job.next_run_time = utcnow() - timedelta(days=3)
    store.update_job(job)
    assert stored()[spec.id] < utcnow() - timedelta(days=2)
    scheduler = build(app, worker="w1", specs=[spec])
    try:
        wait_until(lambda: _state(spec.id).runs == 2, what="the catch-up run")
        assert stored()[spec.id] > utcnow() + timedelta(minutes=50)  # no other missed run left to make up
    finally:
        scheduler.shutdown(wait=True)
    assert len(calls) == 2


def _state(job_id: str) -> JobState:
    db.session.rollback()
    return db.session.get(JobState, job_id) or JobState(id=job_id, runs=0)


def test_two_schedulers_on_one_job_store_do_not_double_the_work(app, monkeypatch):
    delivered = []
    monkeypatch.setitem(SENDERS, "email", lambda m, config: delivered.append(m.ticket_number) or "ok")
    user("atasan@kantor.go.id", "supervisor")
    make_tickets(200, wib(2026, 3, 2, 10, 0), due=wib(2026, 3, 27, 16, 30))
    freeze(monkeypatch, wib(2026, 3, 2, 10, 0))
    resync()
    freeze(monkeypatch, wib(2026, 3, 4, 9, 0))  # one reminder of each ticket is due
    specs = [PERIODIC_JOBS["sla-sweep"], PERIODIC_JOBS["outbox-delivery"]]
    a = build(app, worker="a", specs=specs, every=1)
    b = build(app, worker="b", specs=specs, every=1)
    try:
        wait_until(lambda: db.session.scalar(select(func.count()).where(OutboxItem.status == "sent")) == 200
                   and _state("sla-sweep").runs >= 3, what="200 deliveries")
    finally:
        a.shutdown(wait=True)
        b.shutdown(wait=True)
    assert sorted(delivered) == sorted(db.session.scalars(select(Ticket.number)))
    assert db.session.scalar(select(func.count()).select_from(OutboxItem)) == 200
    assert db.session.scalar(select(func.count()).where(Event.action == "sla_reminder")) == 200
    state = _state("sla-sweep")
    assert state.last_outcome == "ok" and state.lease_owner is None and state.errors == 0


def test_a_job_runs_on_one_worker_at_a_time(app, counting_job):
    spec, calls = counting_job
    ensure_states([spec])
    db.session.execute(update(JobState).where(JobState.id == spec.id)
                       .values(lease_owner="other:1#x", lease_until=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    assert run_job(spec.id, worker="me") == {"outcome": "skipped", "reason": "running on another worker"}
    assert calls == []
    db.session.execute(update(JobState).where(JobState.id == spec.id)  # that worker died long ago
                       .values(lease_until=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert run_job(spec.id, worker="me")["outcome"] == "ok" and calls == [1]
    state = _state(spec.id)
    assert (state.lease_owner, state.last_worker, state.runs) == (None, "me", 1)


def test_a_failing_job_is_recorded_and_the_next_run_still_happens(app, monkeypatch):
    outcomes = iter([RuntimeError("IMAP server said NO"), {"fetched": 3}])

    def flaky():
        result = next(outcomes)
        if isinstance(result, Exception):
            raise result
        return result
    monkeypatch.setitem(PERIODIC_JOBS, "test-flaky", JobSpec("test-flaky", flaky, seconds=60))
    assert run_job("test-flaky", worker="me")["error"] == "RuntimeError: IMAP server said NO"
    state = _state("test-flaky")
    assert (state.last_outcome, state.errors, state.lease_owner) == ("error", 1, None)
    assert state.last_error == "RuntimeError: IMAP server said NO" and state.last_error_at is not None
    assert run_job("test-flaky", worker="me")["outcome"] == "ok"
    state = _state("test-flaky")
    assert (state.last_outcome, state.runs, json.loads(state.last_result)) == ("ok", 2, {"fetched": 3})
    assert state.last_error == "RuntimeError: IMAP server said NO"  # the last error stays visible


def test_worker_once_runs_the_named_jobs_and_reports(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["worker", "--once", "--job", "outbox-delivery"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.strip().splitlines()[-1])
    assert line["job"] == "outbox-delivery" and line["outcome"] == "ok"
    assert line["result"] == {"sent": 0, "retry": 0, "failed": 0}
    bad = runner.invoke(args=["worker", "--once", "--job", "nope"])
    assert bad.exit_code != 0 and "unknown job" in bad.output


def _env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def test_the_worker_command_runs_every_job_and_stops_on_sigterm(app, database_url, tmp_path):
    db.session.remove()
    log = tmp_path / "worker.log"  # a file, not a pipe: a full pipe would stall the worker's logging
    with log.open("w") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT,
                                env=_env(HELPDESK_ENV="testing", HELPDESK_DATABASE_URL=database_url,
                                         HELPDESK_ATTACHMENT_DIR=str(tmp_path)),
                                stdout=sink, stderr=subprocess.STDOUT, text=True)
        try:
            wait_until(lambda: all(_state(j).runs >= 1 for j in OURS), timeout=120, what="every job's first run")
            assert set(stored()) == set(PERIODIC_JOBS)
        finally:
            db.session.rollback()  # hold no transaction while the worker finishes its jobs
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise AssertionError("the worker did not stop after SIGTERM:\n" + log.read_text()[-5000:])
    out = log.read_text()
    assert proc.returncode == 0, out
    assert "stopping after the running jobs finish" in out
    assert _state("poll-telegram").last_result == json.dumps({"skipped": "telegram polling is off"})


def test_flask_run_embeds_the_scheduler_and_other_commands_do_not(tmp_path):
    env = _env(HELPDESK_ENV="development", HELPDESK_DATABASE_URL=f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
               HELPDESK_ATTACHMENT_DIR=str(tmp_path / "files"),
               HELPDESK_SECRET_KEY="development-test-key-" + "x" * 20)  # no key file in the checkout's instance/
    env.pop("FLASK_DEBUG", None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run(flask + ["init-db"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    from sqlalchemy import create_engine
    engine = create_engine(env["HELPDESK_DATABASE_URL"])

    def started() -> set[str]:
        with engine.connect() as conn:
            return set(conn.execute(select(JobState.id).where(JobState.last_started_at.is_not(None))).scalars())
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(apscheduler_jobs)).scalar() == 0  # init-db: none
    port = _free_port()
    server = subprocess.Popen(flask + ["run", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while not OURS <= started():
            assert server.poll() is None and time.monotonic() < deadline, "no embedded scheduler ran the jobs"
            time.sleep(0.3)
    finally:
        server.terminate()
        server.communicate(timeout=60)
        engine.dispose()


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
