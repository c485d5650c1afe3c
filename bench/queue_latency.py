"""Queue latency and form throughput on a big ticket table; prints figures, asserts nothing.

    .venv/bin/python bench/queue_latency.py --database sqlite:////tmp/bench.sqlite3 --tickets 1000000
    .venv/bin/python bench/queue_latency.py --database postgresql://postgres@127.0.0.1/bench --tickets 200000

The database is emptied and rebuilt with the migrations (``--reuse`` keeps one that already
holds exactly the requested number of tickets, loaded by an earlier run). For each queue case it prints the median
and p95 of the whole page (request through the Flask app, logged in as an officer) beside the
queue query alone (built as the page builds it, run through the ORM with its eager loads) and
beside all the SQL statements the page runs (user, queue, eager loads, drop-downs) executed raw
on a DB-API cursor, then the complaint-form POST throughput under gunicorn -w 2.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from helpdesk import create_app  # noqa: E402
from helpdesk.extensions import db  # noqa: E402

CHANNELS = ["email", "telegram", "whatsapp", "web", "phone", "letter", "walk_in", "box"]
STATUSES = ["received", "verified", "in_analysis", "in_follow_up", "answered", "closed"]
COMPONENTS = ["persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "lainnya"]
WORDS = "izin berkas loket antrean sertifikat biaya petugas lambat ditolak syarat jadwal parkir".split()


def reset(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    else:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()


def load(app, n: int, batch: int = 20000) -> float:
    """Bulk-insert n tickets with one message each; returns seconds taken."""
    from helpdesk.catalog.models import Service
    from helpdesk.tickets.models import Message, Ticket
    from helpdesk.users.models import User
    rng = random.Random(5)
    start = time.perf_counter()
    with app.app_context():
        from helpdesk.catalog.models import Unit
        units = [Unit(name=f"Bidang {i}") for i in range(5)]
        db.session.add_all(units)
        db.session.flush()
        unit_ids = [u.id for u in units]
        services = [s.id for s in db.session.scalars(db.select(Service))]
        officers = []
        for i in range(10):
            user = User(email=f"petugas{i}@bench.id", role="officer")
            user.set_password("kata-sandi-bench")
            db.session.add(user)
            officers.append(user)
        db.session.commit()
        officer_ids = [u.id for u in officers]
        base = datetime.now(timezone.utc) - timedelta(days=400)
        for first in range(0, n, batch):
            tickets, messages = [], []
            for i in range(first, min(n, first + batch)):
                received = base + timedelta(seconds=i * 400 * 86400 // max(n, 1))
                complaint = rng.random() < 0.8
                words = " ".join(rng.choice(WORDS) for _ in range(12))
                tickets.append(dict(
                    id=i + 1, number=f"ADU-{received.year}-{i + 1:07d}", kind="complaint" if complaint else "suggestion",
                    kind_code="ok", kind_reason="", status=rng.choice(STATUSES), channel=rng.choice(CHANNELS),
                    subject=words[:80], received_at=received, service_id=rng.choice(services),
                    component=rng.choice(COMPONENTS), unit_id=rng.choice(unit_ids), tier=rng.choice([None, "internal", "technical"]),
                    assignee_id=rng.choice(officer_ids + [None]),
                    due_at=received + timedelta(days=20) if complaint else None, confidential=False,
                    escalation_level=0, classification_confirmed=False, expected_outcome="", core_problem="",
                    regulation_ref="", handling_plan="", actions_taken="", created_at=received, updated_at=received))
                messages.append(dict(id=i + 1, ticket_id=i + 1, direction="inbound", channel="bench",
                                     external_id=str(i), subject="", text=words, held=False, public=True,
                                     received_at=received, created_at=received))
            db.session.execute(insert(Ticket.__table__), tickets)
            db.session.execute(insert(Message.__table__), messages)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("tickets", "messages"):
                db.session.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return time.perf_counter() - start


def loaded(url: str) -> int | None:
    """How many tickets the database holds, or None when it has no ticket table."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM tickets")).scalar()
    except Exception:
        return None
    finally:
        engine.dispose()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def page_statements(app, client, path: str) -> list[tuple[str, object]]:
    """Every SQL statement (with its parameters) one request for `path` runs, in order."""
    from sqlalchemy import event
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def run_raw(app, statements) -> float:
    """Seconds to run `statements` straight on a DB-API cursor and fetch every row: the page's SQL alone."""
    with app.app_context():
        conn = db.engine.raw_connection()
        try:
            cursor = conn.cursor()
            t0 = time.perf_counter()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            elapsed = time.perf_counter() - t0
            conn.rollback()
        finally:
            conn.close()
    return elapsed


def measure(app, cases: dict[str, str], repeat: int) -> None:
    """Per case: the page, the queue query alone (through the ORM), and all the page's SQL run raw."""
    from flask import request

    from helpdesk.office_calendar import office_calendar
    from helpdesk.timeutil import utcnow
    from helpdesk.web.officer.queue import FILTERS, QueueQuery, build, parse_cursor, soon_cutoff
    client = app.test_client()
    client.post("/masuk", data={"email": "petugas0@bench.id", "password": "kata-sandi-bench"})
    print(f"{'case':<14}{'page p50':>9}{'p95':>7}{'query p50':>11}{'p95':>7}{'ratio':>7}"
          f"{'all SQL p50':>13}{'p95':>7}{'n':>4}{'ratio':>7}  (ms)")
    for name, query in cases.items():
        page, bare, raw = [], [], []
        statements = page_statements(app, client, "/petugas/?" + query)
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get("/petugas/?" + query)
            page.append(time.perf_counter() - t0)
            assert response.status_code == 200, (name, response.status_code)
            with app.test_request_context("/petugas/?" + query):
                args = request.args
                q = QueueQuery(filters={k: args.get(k, "") for k in FILTERS}, q=args.get("q", ""),
                               sort=args.get("sort", "received"), after=parse_cursor(args.get("after")),
                               limit=app.config["QUEUE_PAGE_SIZE"])
                now = utcnow()
                stmt = build(q, now=now, soon=soon_cutoff(office_calendar(), now), user_id=1,
                             dialect=db.engine.dialect.name)
                t0 = time.perf_counter()
                db.session.execute(stmt).all()
                bare.append(time.perf_counter() - t0)
                db.session.remove()
            raw.append(run_raw(app, statements))
        p50, p95 = percentiles(page)
        s50, s95 = percentiles(bare)
        r50, r95 = percentiles(raw)
        print(f"{name:<14}{p50:>9.1f}{p95:>7.1f}{s50:>11.1f}{s95:>7.1f}{p50 / max(s50, 1e-6):>7.1f}"
              f"{r50:>13.1f}{r95:>7.1f}{len(statements):>4}{p50 / max(r50, 1e-6):>7.1f}")


def throughput(url: str, seconds: float, port: int = 8765) -> None:
    """POST the public form as fast as one client loop can against gunicorn with 2 workers."""
    env = dict(os.environ, HELPDESK_DATABASE_URL=url, HELPDESK_SECRET_KEY="b" * 40,
               HELPDESK_COMPLAINT_FORM_RATE_LIMIT="1000000 per minute", HELPDESK_SCHEDULER="off")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))  # a new citizen
            page = opener.open(base + "/lapor").read().decode()
            fields = dict(re.findall(r'name="(csrf_token|token)" value="([^"]+)"', page))
            fields.update(name="Warga Bench", email=f"warga{done}@bench.id", consent="1",
                          text="Pelayanan di loket lambat sekali dan berkas saya belum diproses.")
            opener.open(base + "/lapor", data=urllib.parse.urlencode(fields).encode()).read()
            done += 1
        elapsed = time.perf_counter() - start
        print(f"form GET+POST under gunicorn -w 2, one client: {done} complaints in {elapsed:.1f} s = "
              f"{done / elapsed:.1f} per second")
    finally:
        os.killpg(server.pid, 15)
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'instance' / 'bench.sqlite3'}")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--post-seconds", type=float, default=10, help="0 skips the form throughput")
    parser.add_argument("--reuse", action="store_true", help="keep a database that already holds --tickets tickets")
    parser.add_argument("--only", help="comma-separated case names (default: all)")
    args = parser.parse_args()
    reuse = args.reuse and loaded(args.database) == args.tickets
    if not reuse:
        reset(args.database)
    app = create_app({"ENV": "testing", "DATABASE_URL": args.database, "WTF_CSRF_ENABLED": False})
    if reuse:
        print(f"{args.database.split(':')[0]}: reusing {args.tickets} tickets")
    else:
        with app.app_context():
            from flask_migrate import upgrade
            from helpdesk.catalog.seed import seed_reference_data
            upgrade(directory=str(ROOT / "migrations"))
            seed_reference_data()
            db.session.commit()
        print(f"{args.database.split(':')[0]}: loaded {args.tickets} tickets in {load(app, args.tickets):.1f} s")
    mid = datetime.now(timezone.utc) - timedelta(days=200)
    deep = urllib.parse.quote(f"{mid.isoformat()}|{args.tickets // 2}")
    cases = {"first page": "", "deep page": f"after={deep}", "sort by due": "sort=due",
             "status": "status=in_analysis", "kind": "kind=suggestion", "channel": "channel=letter",
             "service": "service=1", "component": "component=biaya", "tier": "tier=technical",
             "unit": "unit=1", "assignee": "assignee=1", "due soon": "due=soon", "overdue": "due=overdue",
             "search": "q=parkir"}
    if args.only:
        cases = {k: v for k, v in cases.items() if k in args.only.split(",")}
    measure(app, cases, args.repeat)
    if args.post_seconds > 0:
        throughput(args.database, args.post_seconds)


if __name__ == "__main__":
    main()
