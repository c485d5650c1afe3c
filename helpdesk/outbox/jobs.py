"""The periodic outbox delivery: what is queued goes out, failures are retried with backoff."""
from __future__ import annotations

from collections import Counter

from helpdesk.jobs import periodic, worker_name
from helpdesk.outbox.service import deliver_pending

ROUNDS = 20  # batches per run; the rest waits for the next run


@periodic("outbox-delivery", seconds=30, description="deliver queued messages and retry failed ones")
def deliver_outbox() -> dict:
    """Deliver due outbox items in batches until none is left (or ROUNDS batches went out)."""
    totals, batch = Counter(), 50
    for _ in range(ROUNDS):
        counts = deliver_pending(worker=worker_name(), limit=batch)
        totals.update(counts)
        if sum(counts.values()) < batch:
            break
    return {"sent": totals["sent"], "retry": totals["retry"], "failed": totals["failed"]}
