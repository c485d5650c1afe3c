"""The SLA sweep on a big office: find and claim the due reminders; prints figures, asserts nothing.

    .venv/bin/python bench/reminder_sweep.py --database sqlite:////tmp/sweep.sqlite3
    .venv/bin/python bench/reminder_sweep.py --database postgresql://postgres@127.0.0.1/bench_sweep

The database is emptied and rebuilt with the migrations, then filled with 1,000,000 tickets
(default), of which 100,000 are open. Each closed ticket keeps one settled reminder row; each
open ticket has five reminder rows still ahead; 1,000 open tickets were planned by the real
rules (``helpdesk.reminders.service.sync``) so that one reminder of each is due at the bench's
clock (Wednesday 4 March 2026 09:00 WIB). It prints, as median and worst of several rounds:

- the bare indexed query (raw SQL on a DB-API cursor) that finds the due rows;
- ``claim_due`` finding and claiming all of them in one statement, and in the sweep's batches
  of 200, committed (claims are released between rounds);
- once, the whole sweep: claim, re-check against the rules, queue one notification each, commit.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text, update  # noqa: E402

from helpdesk import create_app  # noqa: E402
from helpdesk.extensions import db  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=WIB)
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)
OPEN = ["received", "verified", "in_analysis", "in_follow_up"]
BATCH = 20000


def reset(url: str) -> None:
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    else:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()


def ticket_row(i: int, status: str, received: datetime, due: datetime) -> dict:
    return dict(id=i, number=f"ADU-B-{i:07d}", kind="complaint", kind_code="ok", kind_reason="", status=status,
                channel="web", subject=f"Berkas {i}", received_at=received, clock_started_at=received, due_at=due,
                confidential=False, escalation_level=0, classification_confirmed=False, expected_outcome="",
                core_problem="", regulation_ref="", handling_plan="", actions_taken="", created_at=received,
                updated_at=received)


def load(app, tickets: int, open_tickets: int, due: int) -> float:
    """Fill the tables; returns seconds taken."""
    from helpdesk.reminders.models import Reminder
    from helpdesk.reminders.service import sync
    from helpdesk.tickets.models import Ticket
    from helpdesk.users.models import User
    rng, start = random.Random(7), time.perf_counter()
    with app.app_context():
        db.session.add(User(email="atasan@bench.id", role="supervisor", name="Atasan"))
        db.session.commit()
        closed_before = tickets - open_tickets
        reminder_id = 0
        for first in range(1, tickets + 1, BATCH):
            rows, reminders = [], []
            for i in range(first, min(tickets, first + BATCH - 1) + 1):
                if i <= closed_before:  # history: answered long ago, one reminder settled
                    received = NOW - timedelta(days=30 + rng.randrange(700))
                    rows.append(ticket_row(i, "closed", received, received + timedelta(days=20)))
                    reminder_id += 1
                    reminders.append(dict(id=reminder_id, ticket_id=i, kind="answer_wd7", attempts=0,
                                          due_at=received + timedelta(days=9), sent_at=received + timedelta(days=9),
                                          outcome="sent", claimed_by="old", claimed_at=received + timedelta(days=9)))
                elif i <= tickets - due:  # open, every reminder still ahead
                    rows.append(ticket_row(i, rng.choice(OPEN), NOW, NOW + timedelta(days=20)))
                    for k, kind in enumerate(("answer_wd7", "answer_wd10", "answer_wd12", "answer_due",
                                              "escalate_next")):
                        reminder_id += 1
                        reminders.append(dict(id=reminder_id, ticket_id=i, kind=kind, attempts=0,
                                              due_at=NOW + timedelta(hours=1 + rng.randrange(24 * 25) + k),
                                              sent_at=None, outcome=None, claimed_by=None, claimed_at=None))
                else:  # planned below by the real rules
                    rows.append(ticket_row(i, "received", RECEIVED, datetime(2026, 3, 27, 16, 30, tzinfo=WIB)))
            db.session.execute(insert(Ticket.__table__), rows)
            if reminders:
                db.session.execute(insert(Reminder.__table__), reminders)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("tickets", "reminders"):
                db.session.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
            db.session.commit()
        for ticket in db.session.scalars(select(Ticket).where(Ticket.id > tickets - due)):
            sync(ticket, now=RECEIVED)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return time.perf_counter() - start


def bare_query(app):
    """The find part alone, raw: the SQL the claim's sub-select runs, on a DB-API cursor."""
    with app.app_context():
        pg = db.engine.dialect.name == "postgresql"
        now = NOW.astimezone(timezone.utc)
        param = now if pg else now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        mark = "%s" if pg else "?"
        sql = (f"SELECT id FROM reminders WHERE sent_at IS NULL AND due_at <= {mark} "
               f"ORDER BY due_at, id LIMIT 1000")
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            plan = cur.execute(("EXPLAIN " if pg else "EXPLAIN QUERY PLAN ") + sql, (param,)).fetchall()

            def run():
                cur.execute(sql, (param,))
                return len(cur.fetchall())
            return run, [" ".join(str(c) for c in row) for row in plan], raw
        except Exception:
            raw.close()
            raise


def timed(fn, rounds: int) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000, max(samples) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from helpdesk.reminders.models import Reminder
    from helpdesk.reminders.sweep import BATCH as SWEEP_BATCH, claim_due, sweep

    reset(args.database)
    app = create_app({"ENV": "testing", "DATABASE_URL": args.database})
    with app.app_context():
        upgrade()
    seconds = load(app, args.tickets, args.open, args.due)
    with app.app_context():
        print(f"database: {db.engine.dialect.name}; tickets {args.tickets:,}, open {args.open:,}; reminder rows "
              f"{db.session.scalar(select(func.count()).select_from(Reminder)):,}, unsent "
              f"{db.session.scalar(select(func.count()).where(Reminder.sent_at.is_(None))):,}, due "
              f"{db.session.scalar(select(func.count()).where(Reminder.sent_at.is_(None), Reminder.due_at <= NOW)):,}"
              f" (loaded in {seconds:.0f} s)")

    run, plan, raw = bare_query(app)
    med, worst, found = timed(run, args.rounds)
    raw.close()
    print(f"bare indexed query, raw SQL:        median {med:7.1f} ms   worst {worst:7.1f} ms   rows {found}")
    print("  plan: " + " | ".join(plan))

    def release():
        db.session.execute(update(Reminder).where(Reminder.claimed_by == "bench")
                           .values(claimed_by=None, claimed_at=None))
        db.session.commit()

    with app.app_context():
        def claim_all():
            ids = claim_due(worker="bench", now=NOW, limit=args.due)
            db.session.commit()
            return len(ids)

        def claim_batches():
            total = 0
            while ids := claim_due(worker="bench", now=NOW, limit=SWEEP_BATCH):
                db.session.commit()
                total += len(ids)
            return total
        for label, fn in ((f"find and claim {args.due} at once:", claim_all),
                          (f"find and claim, batches of {SWEEP_BATCH}: ", claim_batches)):
            samples = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                got = fn()
                samples.append(time.perf_counter() - t0)
                release()
            print(f"{label:35} median {statistics.median(samples) * 1000:7.1f} ms   "
                  f"worst {max(samples) * 1000:7.1f} ms   rows {got}")

        t0 = time.perf_counter()
        counts = sweep(worker="bench", now=NOW)
        elapsed = time.perf_counter() - t0
        print(f"whole sweep (claim, re-check, queue one notification each, commit): {elapsed:.2f} s {counts}")


if __name__ == "__main__":
    main()
