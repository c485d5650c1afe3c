"""Two worker processes sweep 1,000 due reminders on one database: each is sent exactly once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.outbox.models import OutboxItem
from helpdesk.reminders.models import Reminder
from helpdesk.reminders.service import resync
from helpdesk.tickets.models import Event, Ticket
from tests.integration.reminder_support import freeze, make_tickets, user, wib

ROOT = Path(__file__).resolve().parents[2]
N = 1000


def test_two_worker_processes_send_each_of_1000_due_reminders_once(app, database_url, monkeypatch):
    user("atasan@kantor.go.id", "supervisor")  # nobody assigned, no unit: the supervisor hears
    received = wib(2026, 3, 2, 10, 0)
    make_tickets(N, received, due=wib(2026, 3, 27, 16, 30))
    freeze(monkeypatch, received)
    assert resync(now=received)["created"] == 9 * N
    now = wib(2026, 3, 4, 9, 0)  # the verification stage's day-2 mark of every ticket is due
    assert db.session.scalar(select(func.count()).where(Reminder.due_at <= now)) == N
    db.session.remove()

    start_at = time.time() + 4  # both processes import and connect first, then start together
    procs = [subprocess.Popen([sys.executable, "-m", "tests.integration.sweep_worker", database_url,
                               str(start_at), now.isoformat()], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
             for _ in range(2)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    numbers = set(db.session.scalars(select(Ticket.number)))
    delivered = [n for r in results for n in r["delivered"]]
    assert len(delivered) == N and set(delivered) == numbers  # each ticket's reminder delivered once
    assert sum(r["settled"].get("sent", 0) for r in results) == N
    assert max(r["largest_batch"] for r in results) <= 25  # a claim never takes more than its limit
    assert db.session.scalar(select(func.count()).where(Reminder.outcome == "sent")) == N
    assert db.session.scalar(select(func.count()).where(Reminder.sent_at.is_not(None))) == N
    events = Counter(db.session.scalars(select(Event.ticket_id).where(Event.action == "sla_reminder")))
    assert len(events) == N and set(events.values()) == {1}
    assert db.session.scalar(select(func.count()).where(OutboxItem.status == "sent")) == N
    print({r["worker"]: dict(r["settled"]) for r in results})  # how the work was shared (not asserted)
