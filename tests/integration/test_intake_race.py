"""Two processes take in the same message at the same moment: one ticket, one message."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.tickets.models import Message, Ticket

ROOT = Path(__file__).resolve().parents[2]


def test_same_message_from_several_processes_makes_one_ticket(app, database_url, tmp_path):
    rounds, workers = 3, 4
    for n in range(rounds):
        start_at = time.time() + 2.5
        procs = [subprocess.Popen(
            [sys.executable, "-m", "tests.integration.race_worker", database_url, str(tmp_path),
             str(start_at), f"<race-{n}@contoh.id>"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(workers)]
        outputs = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            outputs.append(json.loads(out.strip().splitlines()[-1]))
        assert len({o["ticket"] for o in outputs}) == 1
        assert sum(o["created"] for o in outputs) == 1
        assert sum(o["duplicate"] for o in outputs) == workers - 1
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == rounds
    assert db.session.scalar(select(func.count()).select_from(Message)) == rounds
