"""Report and export speed and memory on a big year of tickets; prints figures, asserts nothing.

    .venv/bin/python bench/reports.py --database sqlite:////tmp/bench-reports.sqlite3 --tickets 100000
    .venv/bin/python bench/reports.py --database postgresql://postgres@127.0.0.1/bench --tickets 100000

The database is emptied and rebuilt with the migrations, then filled with tickets spread over
one year (80 % complaints, most of them answered, some paused) and survey answers. It prints the
time of the year's report page, of the CSV and XLSX complaint exports, and the peak Python
memory (tracemalloc) of each export, which stays flat as the number of tickets grows.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.queue_latency import reset  # noqa: E402
from helpdesk import create_app  # noqa: E402
from helpdesk.extensions import db  # noqa: E402

CHANNELS = ["email", "telegram", "whatsapp", "web", "phone", "letter", "walk_in", "box"]
COMPONENTS = ["persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "lainnya"]
YEAR = 2025


def load(n: int) -> None:
    """Bulk-insert n tickets received in YEAR, with pauses and survey answers."""
    from helpdesk.catalog.models import Service
    from helpdesk.survey.models import SurveyInvitation, SurveyResponse
    from helpdesk.tickets.models import Pause, Ticket
    rng = random.Random(8)
    services = [s.id for s in db.session.scalars(db.select(Service))]
    start = datetime(YEAR, 1, 1, 1, tzinfo=timezone.utc)
    for first in range(0, n, 10000):
        rows = []
        for i in range(first, min(n, first + 10000)):
            received = start + timedelta(seconds=i * 360 * 86400 // n)
            complaint = rng.random() < 0.8
            answered = received + timedelta(days=rng.randint(0, 25)) if complaint and rng.random() < 0.9 else None
            rows.append(dict(id=i + 1, number=f"ADU-{YEAR}-{i + 1:06d}", kind="complaint" if complaint else "suggestion",
                             kind_code="ok", kind_reason="", status="answered" if answered else
                             ("in_analysis" if complaint else "acknowledged"), channel=rng.choice(CHANNELS),
                             subject="bench", received_at=received, service_id=rng.choice(services),
                             component=rng.choice(COMPONENTS), tier=rng.choice(["internal", "technical", None]),
                             clock_started_at=received if complaint else None,
                             due_at=received + timedelta(days=20) if complaint else None, answered_at=answered))
        db.session.execute(insert(Ticket), rows)
        pauses = [dict(ticket_id=r["id"], started_at=r["received_at"] + timedelta(days=1),
                       ended_at=r["received_at"] + timedelta(days=4)) for r in rows if r["id"] % 10 == 0]
        if pauses:
            db.session.execute(insert(Pause), pauses)
        answered = [r for r in rows if r["answered_at"] and r["id"] % 4 == 0]
        db.session.execute(insert(SurveyInvitation), [dict(id=r["id"], ticket_id=r["id"], channel="web",
                                                           created_at=r["answered_at"], expires_at=r["answered_at"],
                                                           rounds=1) for r in answered])
        db.session.execute(insert(SurveyResponse), [dict(
            ticket_id=r["id"], invitation_id=r["id"], service_id=r["service_id"], source="web",
            submitted_at=r["answered_at"], comment="", **{f"u{k}": rng.randint(2, 4) for k in range(1, 10)})
            for r in answered])
        db.session.commit()


def timed(label: str, func) -> None:
    """Time one run untraced, then measure the peak of a second run (tracemalloc slows Python down)."""
    began = time.perf_counter()
    size = func()
    seconds = time.perf_counter() - began
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<34} {seconds:8.2f} s   peak {peak / 2**20:7.1f} MiB   {size:>12,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/bench-reports.sqlite3")
    parser.add_argument("--tickets", type=int, default=20000)
    args = parser.parse_args()
    reset(args.database)
    app = create_app({"ENV": "testing", "DATABASE_URL": args.database})
    from flask_migrate import upgrade

    from helpdesk.catalog.seed import seed_reference_data
    from helpdesk.users.models import User
    with app.app_context():
        upgrade()
        seed_reference_data()
        head = User(email="kepala@bench.id", role="head")
        head.set_password("kata-sandi-bench")
        db.session.add(head)
        db.session.commit()
        began = time.perf_counter()
        load(args.tickets)
        print(f"loaded {args.tickets:,} tickets in {time.perf_counter() - began:.1f} s ({db.engine.dialect.name})")
    client = app.test_client()
    client.post("/masuk", data={"email": "kepala@bench.id", "password": "kata-sandi-bench"})
    year = f"periode=tahun&tahun={YEAR}"

    def fetch(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return sum(len(chunk) for chunk in response.response)  # consumes a streamed body piece by piece
    timed("report page, one year", lambda: fetch(f"/laporan/?{year}"))
    timed("report page, one quarter", lambda: fetch(f"/laporan/?periode=triwulan&tahun={YEAR}&triwulan=2"))
    timed("complaint export CSV, one year", lambda: fetch(f"/laporan/ekspor/pengaduan.csv?{year}"))
    timed("complaint export XLSX, one year", lambda: fetch(f"/laporan/ekspor/pengaduan.xlsx?{year}"))
    timed("IKM export XLSX, one year", lambda: fetch(f"/laporan/ekspor/ikm.xlsx?{year}"))


if __name__ == "__main__":
    main()
