"""The demo office's past, lived in time order.

Each ticket's story is a generator that yields ``(when, action)`` and gets the action's result
back. The timeline runs every story's steps in one time order, each under ``clock_at(when)``, so
every event, message, outbox and reminder row is written as of its moment, by the operations
real use goes through; a step that lies after ``now`` has not happened yet and ends its story.
After each step the outbox job runs, as the scheduler would; each working morning the SLA sweep.
Messages of this invented past are delivered nowhere (see ``delivered_nowhere``).
"""
from __future__ import annotations

import heapq
import itertools
import logging
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, select

from channels.base import CHANNELS, SENDERS, DeliveryError
from helpdesk.extensions import db
from helpdesk.jobs import worker_name
from helpdesk.outbox.models import OutboxItem
from helpdesk.scheduler.runner import run_job
from helpdesk.timeutil import clock_at

logger = logging.getLogger(__name__)
Step = tuple[datetime, Callable[[], object]]
Story = Generator[Step, object, None]


class Timeline:
    def __init__(self, now: datetime):
        self.now = now
        self._queue: list = []
        self._order = itertools.count()

    def add(self, story: Story) -> None:
        self._advance(story, None, None)

    def _advance(self, story: Story, result, last: datetime | None) -> None:
        try:
            at, action = story.send(result)
        except StopIteration:
            return
        if last is not None and at < last:
            raise ValueError(f"a demo story went back in time: {at} after {last}")
        if at > self.now:  # not yet happened
            story.close()
            return
        heapq.heappush(self._queue, (at, next(self._order), story, action))

    def run(self) -> None:
        """Run every step in time order, each committed with the outbox delivered after it."""
        while self._queue:
            at, _, story, action = heapq.heappop(self._queue)
            with clock_at(at):
                result = action()
                db.session.commit()
                if db.session.scalar(select(exists().where(OutboxItem.status == "pending"))):
                    run("outbox-delivery")
            self._advance(story, result, at)


def run(job_id: str) -> dict:
    """Run a periodic job as the scheduler does (its lease and run record included)."""
    outcome = run_job(job_id, worker=worker_name())
    if outcome["outcome"] != "ok":
        raise RuntimeError(f"demo: job {job_id} failed: {outcome.get('error') or outcome}")
    return outcome["result"]


def working_mornings(cal, first: date) -> Iterator[Step]:
    """The SLA sweep at each working day's opening, from ``first`` on."""
    d = first
    while True:
        if cal.is_working_day(d):
            yield cal.opening(d) + timedelta(minutes=1), lambda: run("sla-sweep")
        d += timedelta(days=1)


def monthly(cal, first: date, action: Callable[[date], object]) -> Iterator[Step]:
    """``action(month)`` on the first working day after each month, for the month just ended."""
    month = first.replace(day=1)
    while True:
        following = (month + timedelta(days=32)).replace(day=1)
        day = following if cal.is_working_day(following) else cal.next_working_day(following)
        yield datetime.combine(day, time(9, 0), tzinfo=cal.tz), lambda m=month: action(m)
        month = following


@contextmanager
def delivered_nowhere(undeliverable: dict[str, str]) -> Iterator[None]:
    """While the past is written, every channel's sender delivers nowhere; some addresses bounce.

    The demo's reporters and their messages are invented: nothing of them may leave the machine.
    """
    saved = dict(SENDERS)

    def deliver(out, config):
        if out.recipient in undeliverable:
            raise DeliveryError(undeliverable[out.recipient], permanent=True)
        return None

    SENDERS.update({channel: deliver for channel in CHANNELS})
    try:
        yield
    finally:
        SENDERS.clear()
        SENDERS.update(saved)
