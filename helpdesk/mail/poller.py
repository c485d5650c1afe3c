"""The IMAP poller: one round per mailbox, then IDLE for new mail, bounded in time.

Exactly once: each mail is committed by the intake (keyed by its Message-ID, or a hash of its
bytes) before it is flagged \\Seen and moved out of the folder. A crash between the two leaves
it in the folder; the next round fetches it again and the intake recognises it. A mail that
cannot be taken in goes to the quarantine and its folder; the mail behind it goes on.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser

from flask import current_app
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

from channels.mail.imap import CONNECTION_ERRORS, Mailbox, MailboxSession, plan
from channels.mail.parse import message_key
from config.mail import POLL_SECONDS
from helpdesk.channels_state import record_poll
from helpdesk.extensions import db
from helpdesk.intake.email import ingest_raw_email
from helpdesk.intake.service import quarantine
from helpdesk.jobs import periodic
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
DATABASE_DOWN = (OperationalError, InterfaceError, DisconnectionError)
TRANSIENT = CONNECTION_ERRORS + DATABASE_DOWN
BACKOFF_BASE, BACKOFF_MAX = timedelta(seconds=30), timedelta(minutes=15)
_failures: dict[str, tuple[int, datetime]] = {}  # mailbox -> (failures in a row, next try)


def configured_mailboxes() -> list[Mailbox]:
    return [Mailbox.from_settings(b) for b in current_app.config["IMAP_BOXES"] if not b["missing"]]


@periodic("poll-email", seconds=POLL_SECONDS, description="take in new mail from every IMAP mailbox, then IDLE briefly")
def poll_email() -> dict:
    """One round on every configured mailbox, then wait for new mail (IMAP_IDLE_SECONDS)."""
    boxes = configured_mailboxes()
    if not boxes:
        return {"skipped": "no IMAP mailbox configured"}
    return poll(boxes, idle_seconds=current_app.config["IMAP_IDLE_SECONDS"])


def poll(boxes: list[Mailbox], *, idle_seconds: float = 0, now: datetime | None = None) -> dict:
    """Drain each mailbox; with ``idle_seconds``, keep the connections in IDLE that long."""
    results, idling = {}, []
    for box in boxes:
        results[box.address], session = _round(box, now or utcnow())
        if session is not None:
            if idle_seconds > 0 and session.can_idle:
                idling.append((box, session))
            else:
                session.close()
    if idling:
        db.session.close()  # hold no transaction (nor pooled connection) while waiting
        _idle(idling, idle_seconds, results)
    return results


def _round(box: Mailbox, now: datetime) -> tuple[dict, MailboxSession | None]:
    retry_at = _failures.get(box.state, (0, now))[1]
    if retry_at > now:
        return {"backoff_until": retry_at.isoformat()}, None
    session = MailboxSession(box)
    try:
        session.open()
        counts = drain(session)
    except Exception as exc:  # recorded for the admin; the next round starts again from the folder
        session.close()
        return _failed(box, exc, now), None
    _failures.pop(box.state, None)
    record_poll(box.state)
    return dict(counts), session


def _failed(box: Mailbox, exc: Exception, now: datetime) -> dict:
    db.session.rollback()
    if not isinstance(exc, TRANSIENT):  # not an outage: a bug worth its traceback
        logger.exception("mailbox %s: round failed", box.address, exc_info=exc)
    failures = _failures.get(box.state, (0, now))[0] + 1
    wait = min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX)
    _failures[box.state] = (failures, now + wait)
    error = f"{type(exc).__name__}: {exc}"
    logger.warning("mailbox %s: %s; trying again in %ds", box.address, error, wait.total_seconds())
    try:
        record_poll(box.state, error, now=now)
    except DATABASE_DOWN:
        db.session.rollback()
    return {"error": error, "retry_in": int(wait.total_seconds())}


def drain(session: MailboxSession) -> Counter:
    """Take in every mail waiting in the folder, batch by batch; filed away after each batch's commits."""
    box, cfg = session.mailbox, current_app.config
    counts = Counter()
    sizes = session.pending()
    batches, oversized = plan(sizes, count=cfg["IMAP_BATCH"], max_bytes=cfg["IMAP_BATCH_BYTES"],
                              too_big=cfg["IMAP_MAX_MESSAGE_BYTES"])
    for uid in oversized:
        _quarantine_oversized(session, uid, sizes[uid])
        counts["quarantine"] += 1
    for batch in batches:
        taken, quarantined = [], []
        fetched = session.fetch(batch)
        for uid in (u for u in batch if u in fetched):  # in arrival order: a report before its replies
            outcome = take_in(*fetched.pop(uid))
            counts[outcome] += 1
            (quarantined if outcome == "quarantine" else taken).append(uid)
        session.file_away(taken, box.processed_folder)
        session.file_away(quarantined, box.quarantine_folder)
    return counts


def take_in(raw: bytes, arrived: datetime | None) -> str:
    """One mail through the intake; anything but an outage quarantines it instead of stopping the round."""
    try:
        return ingest_raw_email(raw, received_at=arrived, brief=True)["outcome"]
    except DATABASE_DOWN:
        raise
    except Exception as exc:  # a bug, or data the store refuses: keep the mail, go on with the next
        db.session.rollback()
        logger.exception("mail could not be taken in; quarantined")
        quarantine("email", None, raw, f"could not be taken in: {type(exc).__name__}: {exc}"[:2000],
                   received_at=arrived)
        return "quarantine"


def _quarantine_oversized(session: MailboxSession, uid: int, size: int) -> None:
    """Only the headers of a mail over IMAP_MAX_MESSAGE_BYTES are fetched; the mail stays on the server."""
    box, limit = session.mailbox, current_app.config["IMAP_MAX_MESSAGE_BYTES"]
    headers = session.fetch_headers(uid)
    msgid = str(BytesHeaderParser().parsebytes(headers).get("Message-ID") or "")
    quarantine("email", message_key(msgid, headers), headers,
               f"too large to take in: {size} bytes (limit {limit}); the whole mail stays on the "
               f"server in folder {box.quarantine_folder!r} of {box.address}")
    session.file_away([uid], box.quarantine_folder)


def _idle(idling: list[tuple[Mailbox, MailboxSession]], seconds: float, results: dict) -> None:
    """Wait in IDLE on every connection until the deadline; new mail is taken in at once."""
    deadline = time.monotonic() + seconds
    active = []
    for box, session in idling:
        try:
            session.idle_start()
            active.append((box, session))
        except CONNECTION_ERRORS as exc:
            session.close()
            results[box.address] = _failed(box, exc, utcnow())
    while active and (left := deadline - time.monotonic()) > 0:
        for box, session in list(active):
            step = left if len(active) == 1 else min(left, 1.0)
            try:
                if not session.idle_poll(step):
                    continue
                session.idle_stop()
                counts = drain(session)
                record_poll(box.state)
                db.session.close()
                merged = Counter(results.get(box.address) or {})
                merged.update(counts)
                merged["idle_wakeups"] += 1
                results[box.address] = dict(merged)
                session.idle_start()
            except Exception as exc:
                active.remove((box, session))
                session.close()
                results[box.address] = _failed(box, exc, utcnow())
    for box, session in active:
        try:
            session.idle_stop()
        except CONNECTION_ERRORS:
            pass
        session.close()
