"""Print how fast the JSON API files complaints and pages through tickets (SQLite file by default).

Usage: .venv/bin/python bench/api.py [COUNT] [DATABASE_URL]
A DATABASE_URL must name an empty scratch database: the bench builds the schema and writes into it.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from helpdesk import create_app  # noqa: E402
from helpdesk.catalog.seed import seed_reference_data  # noqa: E402
from helpdesk.extensions import db  # noqa: E402


def main(count: int, url: str | None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="helpdesk-bench-"))
    app = create_app({"ENV": "testing", "DATABASE_URL": url or f"sqlite:///{tmp / 'bench.sqlite3'}",
                      "ATTACHMENT_DIR": str(tmp / "files")})
    with app.app_context():
        upgrade()
        seed_reference_data()
        from helpdesk.api.tokens import issue
        from helpdesk.users.models import User
        user = User(email="bench@kantor.go.id", role="supervisor")
        db.session.add(user)
        db.session.flush()
        _, secret = issue(user, "bench")
        db.session.commit()
    client = app.test_client()
    body = {"reporter": {"name": "Siti Rahma", "email": "siti@contoh.id"}, "service": "sertifikasi-industri-hijau",
            "text": "Sertifikat industri hijau belum terbit padahal berkas sudah lengkap sejak sebulan lalu."}
    start = time.perf_counter()
    for i in range(count):
        assert client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": f"bench-{i}"}).status_code == 201
    filed = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(count):
        assert client.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": f"bench-{i}"}).status_code == 200
    replayed = time.perf_counter() - start
    auth, after, pages = {"Authorization": f"Bearer {secret}"}, None, 0
    start = time.perf_counter()
    while True:
        res = client.get("/api/v1/tickets", query_string={"limit": 100, **({"after": after} if after else {})},
                         headers=auth).json
        pages, after = pages + 1, res["next"]
        if after is None:
            break
    paged = time.perf_counter() - start
    print(f"filed {count} complaints in {filed:.2f} s ({count / filed:.0f}/s); "
          f"replayed {count} keys in {replayed:.2f} s ({count / replayed:.0f}/s); "
          f"listed them in {pages} pages of 100 in {paged:.2f} s ({paged / pages * 1000:.0f} ms/page)")
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300, sys.argv[2] if len(sys.argv) > 2 else None)
