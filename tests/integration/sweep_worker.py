"""Run in a separate process: sweep due reminders and deliver the outbox from a shared start signal.

Prints one JSON line: what this worker settled and the ticket numbers its sender delivered.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from datetime import datetime

BATCH = 25  # small batches: the two workers interleave


def main(url: str, start_at: float, now_iso: str) -> None:
    from channels.base import SENDERS
    from helpdesk import create_app
    from helpdesk.extensions import db
    from helpdesk.outbox.service import deliver_pending
    from helpdesk.reminders.sweep import sweep

    app = create_app({"ENV": "testing", "DATABASE_URL": url})
    delivered = []  # after create_app, which registers the real SMTP sender
    SENDERS["email"] = lambda message, config: delivered.append(message.ticket_number) or f"x-{len(delivered)}"
    now, name = datetime.fromisoformat(now_iso), f"worker-{os.getpid()}"
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # connect before the start line
        time.sleep(max(0.0, start_at - time.time()))
        settled, largest = Counter(), 0
        while got := sweep(worker=name, now=now, batch=BATCH, max_batches=1):
            settled.update(got)
            largest = max(largest, sum(got.values()))
        while sum(deliver_pending(worker=name, limit=25).values()):
            pass
    print(json.dumps({"worker": name, "settled": settled, "largest_batch": largest, "delivered": delivered}))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3])
