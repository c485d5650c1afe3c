"""IMAP ingest speed: raw imapclient fetch rate against the helpdesk's end-to-end rate; prints figures.

    .venv/bin/python bench/imap_ingest.py                      # 1,000 mixed mails, SQLite file
    .venv/bin/python bench/imap_ingest.py --database postgresql://postgres@127.0.0.1/bench
    .venv/bin/python bench/imap_ingest.py --profile            # also the top functions of the ingest
    .venv/bin/python bench/imap_ingest.py --prepare upgrade    # schema only: the first mail trains the model

The database is prepared as production prepares it: ``flask init-db`` in a process of its own
(schema, seeds, and the shipped classifier trained and stored once), so the measured process
loads the stored model like every web or worker process does. ``--prepare upgrade`` migrates
and seeds in this process without storing a model, as on an install that skipped init-db: the
first new complaint then trains the shipped model in this process (time and memory counted).

Starts its own Dovecot on loopback (as the tests do) and fills a fresh mailbox twice with the
same mix: new complaints, replies, mail with attachments, mail without Message-ID, auto-replies
and unreadable mail. The raw rate fetches every mail with BODY.PEEK[] in the poller's batch
size and throws it away; the end-to-end rate is one poller round: fetch, parse, store (one
commit per mail), acknowledge, flag and move. Peak RSS is this process's (the server not counted);
the mails it generated are dropped before the ingest, as a worker holds no such corpus.
"""
from __future__ import annotations

import argparse
import base64
import random
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from tests.integration.dovecot import PASSWORD, Dovecot  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "mail"


def mixed_mails(n: int, seed: int = 7) -> list[bytes]:
    """n mails: a third replies, some with a 200 KB attachment, some automatic or unreadable."""
    rng = random.Random(seed)
    corpus = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))[:31]]  # the new-report shapes
    attachment = base64.encodebytes(rng.randbytes(200_000)).replace(b"\n", b"\r\n")
    out, originals = [], []
    for i in range(n):
        roll = rng.random()
        if roll < 0.03:
            out.append(f"garbage {i} without any mail header\r\n".encode())
        elif roll < 0.08:
            out.append(f"From: Kantor Lain <info@lain.go.id>\r\nSubject: Balasan otomatis {i}\r\nMessage-ID: "
                       f"<auto-{i}@lain.go.id>\r\nAuto-Submitted: auto-replied\r\n\r\nSedang cuti.\r\n".encode())
        elif roll < 0.35 and originals:
            parent, who = rng.choice(originals)
            out.append(f"From: Warga {who} <warga{who}@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\nSubject: Re: "
                       f"Berkas {who}\r\nMessage-ID: <reply-{i}@contoh.id>\r\nIn-Reply-To: {parent}\r\n"
                       f"References: {parent}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                       f"Tambahan keterangan {i}: nomor berkas {rng.randrange(10**6)}.\r\n".encode())
        elif roll < 0.40:
            out.append(f"From: Pemohon {i} <pemohon{i}@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\nSubject: Pindaian "
                       f"berkas {i}\r\nMessage-ID: <scan-{i}@contoh.id>\r\nMIME-Version: 1.0\r\nContent-Type: "
                       "multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                       "Berkas pindaian saya lampirkan, mohon segera diproses.\r\n--b\r\nContent-Type: "
                       "application/pdf\r\nContent-Disposition: attachment; filename=pindaian.pdf\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n".encode() + attachment + b"--b--\r\n")
        else:
            shape = corpus[i % len(corpus)]
            msgid = f"<bench-{i}@contoh.id>"
            # The corpus shape with its own id and sender, so each is a new report of a new reporter.
            head, sep, body = shape.partition(b"\r\n\r\n")
            lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith((b"message-id:", b"from:"))]
            lines = [f"Message-ID: {msgid}".encode(), f"From: Warga {i} <warga{i}@contoh.id>".encode()] + lines
            out.append(b"\r\n".join(lines) + sep + body)
            originals.append((msgid, i))
    return out


def raw_fetch_rate(server: Dovecot, user: str, batch: int) -> tuple[float, int]:
    """The poller's round trips (search, sizes, batched BODY.PEEK[]) with imapclient alone."""
    with server.client(user) as client:
        client.select_folder("INBOX", readonly=True)
        start = time.perf_counter()
        uids = client.search(["NOT", "DELETED"])
        sizes = client.fetch(uids, ["RFC822.SIZE"])
        total = 0
        for i in range(0, len(uids), batch):
            for data in client.fetch(uids[i:i + batch], ["BODY.PEEK[]", "INTERNALDATE"]).values():
                total += len(data[b"BODY[]"])
        elapsed = time.perf_counter() - start
    assert len(sizes) == len(uids)
    return len(uids) / elapsed, total


def parse_rate(mails: list[bytes]) -> float:
    """Parsing alone (no database): the ceiling of any ingest that parses with the email package."""
    from channels.base import ParseError
    from channels.mail.parse import parse_email

    start = time.perf_counter()
    for raw in mails:
        try:
            parse_email(raw, own_addresses=("pengaduan@kantor.go.id",), own_domain="kantor.go.id")
        except ParseError:
            pass
    return len(mails) / (time.perf_counter() - start)


def prepare_init_db(database: str) -> None:
    """``flask init-db`` in a process of its own, as an installation runs it once."""
    env = {**os.environ, "HELPDESK_DATABASE_URL": database}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "init-db"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def ingest_rate(server: Dovecot, user: str, database: str, profile: bool, prepare: str) -> tuple[float, dict]:
    from flask_migrate import upgrade

    from helpdesk import create_app
    from helpdesk.catalog.seed import seed_reference_data
    from helpdesk.extensions import db
    from helpdesk.mail.poller import configured_mailboxes, poll

    files = tempfile.mkdtemp(prefix="helpdesk-bench-")
    app = create_app({"ENV": "testing", "DATABASE_URL": database, "ATTACHMENT_DIR": files,
                      "IMAP_HOST": "127.0.0.1", "IMAP_PORT": server.port, "IMAP_SECURITY": "plain",
                      "IMAP_USER": user, "IMAP_PASSWORD": PASSWORD, "IMAP_ADDRESS": "pengaduan@kantor.go.id",
                      "IMAP_IDLE_SECONDS": 0})
    with app.app_context():
        if prepare == "upgrade":
            upgrade()
            seed_reference_data()
            db.session.commit()
        boxes = configured_mailboxes()
        profiler = None
        if profile:
            import cProfile
            profiler = cProfile.Profile()
            profiler.enable()
        start = time.perf_counter()
        result = poll(boxes)[boxes[0].address]
        elapsed = time.perf_counter() - start
        if profiler:
            import pstats
            profiler.disable()
            profiler.dump_stats(Path(files) / "ingest.prof")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(r"helpdesk|channels|sqlite3|imapclient", 40)
            if profile == "all":
                stats.sort_stats("tottime").print_stats(40)
            print(f"profile written to {Path(files) / 'ingest.prof'}")
    return sum(result.values()) / elapsed, result


def reset(url: str) -> None:
    from sqlalchemy import create_engine, text
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
        return
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--database", default=None, help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--batch", type=int, default=50, help="the poller's IMAP_BATCH (default 50)")
    parser.add_argument("--profile", nargs="?", const="ours", choices=("ours", "all"),
                        help="the top functions of the ingest; 'all' adds every function by own time")
    parser.add_argument("--prepare", choices=("init-db", "upgrade"), default="init-db",
                        help="init-db (default, as production: the shipped model stored) or upgrade (no model stored)")
    args = parser.parse_args()
    database = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='helpdesk-bench-')}/bench.sqlite3"
    reset(database)
    if args.prepare == "init-db":
        prepare_init_db(database)
    mails = mixed_mails(args.messages)
    count = len(mails)
    server = Dovecot().start()
    try:
        raw_user, _ = server.add_user()
        helpdesk_user, _ = server.add_user()
        server.append(raw_user, mails)
        server.append(helpdesk_user, mails)
        raw, total_bytes = raw_fetch_rate(server, raw_user, args.batch)
        parsing = parse_rate(mails)
        del mails  # in the server now; a worker holds no corpus
        rate, result = ingest_rate(server, helpdesk_user, database, args.profile, args.prepare)
        left = server.count(helpdesk_user, "INBOX")
    finally:
        server.cleanup()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"messages            {count} ({total_bytes / 1e6:.1f} MB)")
    print(f"database            {database.split('://')[0]}, prepared by " +
          ("init-db in its own process (shipped model stored, loaded here)" if args.prepare == "init-db"
           else "upgrade + seed here (no model stored: the first complaint trains it here)"))
    print(f"raw imapclient      {raw:8.0f} msg/s")
    print(f"parsing alone       {parsing:8.0f} msg/s   ({parsing / raw:.0%} of raw: no database, no IMAP)")
    print(f"helpdesk end-to-end {rate:8.0f} msg/s   {result}   left in INBOX: {left}")
    print(f"ratio               {rate / raw:8.1%}   (target ≥ 30%)")
    print(f"peak RSS            {peak_mb:8.0f} MB   (target < 200 MB)")


if __name__ == "__main__":
    main()
