"""SIGKILL the ingest at random moments, again and again, then let it finish: every mail exactly once."""
from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import time
from collections import Counter, deque
from pathlib import Path

from sqlalchemy import select

from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.outbox.models import OutboxItem
from helpdesk.tickets.models import Message, Ticket

ROOT = Path(__file__).resolve().parents[2]
MAILS, KILLS, WARM = 300, 12, 3


def mixed_mails(rng: random.Random) -> tuple[list[bytes], dict]:
    """New complaints, replies to them, mail without Message-ID, reused ids, auto-replies, garbage."""
    mails, expect = [], Counter()
    originals = []
    for n in range(MAILS):
        roll = rng.random()
        if roll < 0.04:
            mails.append(f"garbage {n} without any mail header\r\n".encode())
            expect["quarantine"] += 1
            continue
        if roll < 0.08:
            mails.append(f"From: Kantor Lain <info@lain.go.id>\r\nSubject: Balasan otomatis {n}\r\n"
                         f"Message-ID: <auto-{n}@lain.go.id>\r\nAuto-Submitted: auto-replied\r\n\r\n"
                         "Saya sedang cuti.\r\n".encode())
            expect["quarantine"] += 1
            continue
        headers = f"From: Warga {n} <warga{n % 97}@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\n"
        if originals and roll < 0.30:
            parent, person = rng.choice(originals)
            headers = (f"From: Warga {person} <warga{person % 97}@contoh.id>\r\nTo: pengaduan@kantor.go.id\r\n"
                       f"Subject: Re: Berkas {person}\r\nIn-Reply-To: {parent}\r\nReferences: {parent}\r\n")
            expect["message"] += 1
        else:
            headers += f"Subject: Berkas {n} belum diproses\r\n"
            expect["ticket"] += 1
        if roll < 0.36:
            msgid = None  # keyed by a hash of the bytes
        elif roll < 0.40 and originals:
            msgid = "<1234567890@localhost>"  # a lazy mailer's reused id
        else:
            msgid = f"<crash-{n}@contoh.id>"
        if msgid:
            headers += f"Message-ID: {msgid}\r\n"
            if roll >= 0.30 and msgid.startswith("<crash-"):
                originals.append((msgid, n))
        body = f"Berkas nomor {n}/{rng.randrange(10**6)} sudah lama belum diproses oleh petugas loket.\r\n"
        mails.append((headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode())
    return mails, expect


def norm_hash(raw: bytes) -> str:
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


class Worker:
    """A child process that drains the mailbox once told to go."""

    def __init__(self, database_url, tmp_path, mailbox):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.mail_worker", database_url, str(tmp_path / "files"),
             str(mailbox.server.port), mailbox.user, mailbox.password],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})

    def go(self) -> None:
        line = self.proc.stdout.readline()
        assert line.strip() == "ready", line + self.proc.stderr.read()
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def wait_taken(self, n: int) -> bool:
        """Read n 'taken' lines; False when the worker finished first."""
        for _ in range(n):
            line = self.proc.stdout.readline()
            if line.strip() != "taken":
                return False
        return True


def test_sigkill_at_random_moments_loses_nothing_and_duplicates_nothing(app, database_url, tmp_path, mailbox):
    rng = random.Random(3)
    mails, expect = mixed_mails(rng)
    mailbox.append(mails)
    # A few workers warm up (imports, app) ahead, so the kills are spent on the ingest itself.
    spares = deque(Worker(database_url, tmp_path, mailbox) for _ in range(WARM))
    kills = 0
    while kills < KILLS:
        worker = spares.popleft()
        spares.append(Worker(database_url, tmp_path, mailbox))
        worker.go()
        alive = worker.wait_taken(rng.randrange(0, 20))
        time.sleep(rng.uniform(0, 0.005))  # … then at any point: parsing, committing, fetching, moving
        worker.proc.kill()
        worker.proc.wait()
        assert alive, "the ingest finished before it could be killed often enough"
        kills += 1
    last = spares.popleft()
    for idle in spares:
        idle.proc.kill()
        idle.proc.wait()
    last.go()
    out, err = last.proc.communicate(timeout=300)
    assert last.proc.returncode == 0 and out.strip().endswith("done"), err[-3000:]
    assert kills >= 10

    db.session.remove()
    inbound = db.session.scalars(select(Message).where(Message.direction == "inbound")).all()
    items = db.session.scalars(select(QuarantineItem)).all()
    # Exactly once: every mail's bytes are stored once, as a message or a quarantine record.
    assert Counter(norm_hash(m.raw) for m in inbound) + Counter(norm_hash(q.raw) for q in items) == \
        Counter(norm_hash(m) for m in mails)
    tickets = db.session.scalars(select(Ticket)).all()
    assert (len(tickets), len(inbound) - len(tickets), len(items)) == \
        (expect["ticket"], expect["message"], expect["quarantine"])
    # Each reply sits on the ticket of the mail it answers.
    by_key = {m.external_id: m for m in inbound}
    for message in inbound:
        parent = next((line.split(": ", 1)[1] for line in message.raw.decode().splitlines()
                       if line.startswith("In-Reply-To: ")), None)
        if parent:
            assert message.ticket_id == by_key[parent].ticket_id
    acks = Counter(o.ticket_id for o in db.session.scalars(select(OutboxItem).where(OutboxItem.kind == "ack")))
    assert acks == Counter({t.id: 1 for t in tickets})  # one acknowledgement per ticket, none twice
    assert (mailbox.count("INBOX"), mailbox.count("Processed") + mailbox.count("Quarantine")) == (0, MAILS)
