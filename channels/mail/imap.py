"""IMAP intake with imapclient: TLS, STARTTLS or plain; fetch by UID without marking; file mail away.

Knows nothing of the database: the poller decides when a mail may be filed away (after its
commit). Mail is never deleted: taken-in mail is flagged \\Seen and moved to the processed
folder, unreadable mail to the quarantine folder.
"""
from __future__ import annotations

import logging
import socket
import ssl
from dataclasses import dataclass, fields
from datetime import datetime, timezone

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

logger = logging.getLogger(__name__)
SEEN, DELETED = b"\\Seen", b"\\Deleted"
# What a broken connection or server looks like; the poller backs off and tries again later.
CONNECTION_ERRORS = (IMAPClientError, OSError, socket.timeout, ssl.SSLError, EOFError)
# UIDs per FETCH of sizes: imapclient lists every UID in the command, and servers cap its length
# (Dovecot at 64 KiB), so a mailbox with thousands of waiting mails is asked in slices.
SIZE_CHUNK = 500


@dataclass(frozen=True)
class Mailbox:
    key: str
    state: str  # its row in channel_states, "email:pengaduan@kantor.go.id"
    address: str
    host: str
    port: int
    security: str  # ssl | starttls | plain
    user: str
    password: str
    folder: str
    processed_folder: str
    quarantine_folder: str
    ca_file: str = ""
    timeout: int = 60

    @classmethod
    def from_settings(cls, settings: dict) -> "Mailbox":
        return cls(**{f.name: settings[f.name] for f in fields(cls)})

    def __repr__(self) -> str:  # never the password
        return f"<Mailbox {self.address} {self.host}:{self.port} {self.security}>"


def plan(sizes: dict[int, int], *, count: int, max_bytes: int, too_big: int) -> tuple[list[list[int]], list[int]]:
    """UID batches in arrival order (≤ count mails, ≤ max_bytes unless one mail is larger) and the UIDs over too_big."""
    batches, current, current_bytes, oversized = [], [], 0, []
    for uid in sorted(sizes):
        size = sizes[uid]
        if size > too_big:
            oversized.append(uid)
            continue
        if current and (len(current) >= count or current_bytes + size > max_bytes):
            batches.append(current)
            current, current_bytes = [], 0
        current.append(uid)
        current_bytes += size
    if current:
        batches.append(current)
    return batches, oversized


class MailboxSession:
    """One logged-in connection with the mailbox's folder selected."""

    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox
        self.client: IMAPClient | None = None
        self.can_move = self.can_idle = self.can_uidplus = False

    def open(self) -> "MailboxSession":
        box = self.mailbox
        ctx = ssl.create_default_context(cafile=box.ca_file or None)
        client = IMAPClient(box.host, port=box.port, ssl=box.security == "ssl", ssl_context=ctx,
                            timeout=box.timeout)
        self.client = client
        if box.security == "starttls":
            client.starttls(ctx)
        client.login(box.user, box.password)
        client.normalise_times = False  # INTERNALDATE as an aware datetime
        for folder in (box.processed_folder, box.quarantine_folder):
            if not client.folder_exists(folder):
                client.create_folder(folder)
        client.select_folder(box.folder)
        self.can_move, self.can_idle, self.can_uidplus = (client.has_capability(c) for c in ("MOVE", "IDLE", "UIDPLUS"))
        return self

    def pending(self) -> dict[int, int]:
        """Size of every mail still waiting in the folder, by UID (asked SIZE_CHUNK UIDs at a time)."""
        uids = sorted(self.client.search(["NOT", "DELETED"]))
        sizes = {}
        for start in range(0, len(uids), SIZE_CHUNK):
            chunk = uids[start:start + SIZE_CHUNK]
            sizes.update((uid, data.get(b"RFC822.SIZE", 0)) for uid, data in
                         self.client.fetch(chunk, ["RFC822.SIZE"]).items())
        return sizes

    def fetch(self, uids: list[int]) -> dict[int, tuple[bytes, datetime | None]]:
        """Raw bytes and arrival time; BODY.PEEK leaves the mail unread (RFC822 would mark it \\Seen)."""
        out = {}
        for uid, data in self.client.fetch(uids, ["BODY.PEEK[]", "INTERNALDATE"]).items():
            raw = data.get(b"BODY[]")
            if raw is None:
                continue
            arrived = data.get(b"INTERNALDATE")
            if isinstance(arrived, datetime) and arrived.tzinfo is None:
                arrived = arrived.replace(tzinfo=timezone.utc)
            out[uid] = (raw, arrived if isinstance(arrived, datetime) else None)
        return out

    def fetch_headers(self, uid: int) -> bytes:
        data = self.client.fetch([uid], ["BODY.PEEK[HEADER]"]).get(uid, {})
        return data.get(b"BODY[HEADER]", b"")

    def file_away(self, uids: list[int], folder: str) -> None:
        """Mark read and move; without MOVE, copy and flag the original deleted (expunged only by UID)."""
        if not uids:
            return
        self.client.add_flags(uids, [SEEN], silent=True)
        if self.can_move:
            self.client.move(uids, folder)
            return
        self.client.copy(uids, folder)
        self.client.add_flags(uids, [DELETED], silent=True)
        if self.can_uidplus:
            self.client.uid_expunge(uids)

    def idle_start(self) -> None:
        self.client.idle()

    def idle_poll(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds in IDLE; True when the server announced new mail."""
        responses = self.client.idle_check(timeout=timeout)
        return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)

    def idle_stop(self) -> None:
        self.client.idle_done()

    def close(self) -> None:
        if self.client is None:
            return
        client, self.client = self.client, None
        try:
            client.logout()
        except CONNECTION_ERRORS as exc:  # the server is gone already; nothing to give back
            logger.debug("logout from %s failed: %s", self.mailbox.address, exc)
            try:
                client.shutdown()
            except CONNECTION_ERRORS:
                pass
