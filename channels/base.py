"""The one shape every channel hands to the intake service, and the driver registry.

No library type (an e-mail ``Message``, a Telegram ``Update``) crosses this boundary:
adapters convert into these frozen dataclasses, and ticket code only sees them.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime

CHANNELS = ("email", "telegram", "whatsapp", "web", "api", "phone", "letter", "walk_in", "box")
STAFF_ENTERED = ("phone", "letter", "walk_in", "box")
# NUL, the other C0 controls but tab/newline/carriage return, and lone surrogates: no database stores them
# (PostgreSQL refuses NUL in text outright), and mail and chat both carry them now and then.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def storable(value):
    """``value`` without the characters no database stores: a string, a tuple, or a dataclass of them.

    Bytes (the raw original, attachment data) are kept as they are.
    """
    if isinstance(value, str):
        return UNSTORABLE.sub("", value) if UNSTORABLE.search(value) else value
    if isinstance(value, tuple):
        cleaned = tuple(storable(v) for v in value)
        return value if all(a is b for a, b in zip(cleaned, value)) else cleaned
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: storable(getattr(value, f.name)) for f in fields(value)}
        changes = {k: v for k, v in changes.items() if v is not getattr(value, k)}
        return replace(value, **changes) if changes else value
    return value


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class ThreadHints:
    """What ties a message to an earlier one: e-mail ids, a ticket number, a chat."""

    in_reply_to: tuple[str, ...] = ()  # Message-IDs this answers (In-Reply-To + References)
    ticket_number: str | None = None  # e.g. from "[ADU-2026-000123]" in a subject
    conversation: str | None = None  # chat id for chat channels


@dataclass(frozen=True)
class Sender:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    telegram: str | None = None
    whatsapp: str | None = None

    def contacts(self) -> list[tuple[str, str]]:
        """(kind, value) pairs that are set, e-mail first."""
        pairs = [("email", self.email), ("phone", self.phone),
                 ("telegram", self.telegram), ("whatsapp", self.whatsapp)]
        return [(k, v) for k, v in pairs if v]


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    external_id: str  # unique per channel: Message-ID, update id, wamid, client key
    sender: Sender
    received_at: datetime  # aware
    subject: str = ""
    text: str = ""
    html: str | None = None  # already sanitised by the adapter
    attachments: tuple[InboundAttachment, ...] = ()
    thread: ThreadHints = field(default_factory=ThreadHints)
    raw: bytes = b""  # the original as it arrived
    service_received_on: date | None = None  # when the reporter received the service
    service_slug: str | None = None  # when the reporter chose one (form, bot)
    expected_outcome: str = ""
    confidential: bool = False
    automated: bool = False  # auto-reply, bounce, list mail: never opens a complaint
    auto_reason: str = ""  # why it looks automated (kept when an officer takes it in after all)
    delivery_failure: str | None = None  # a bounce: which address failed and why
    returned_ids: tuple[str, ...] = ()  # a bounce: the Message-IDs of our mail that came back (not its thread)
    # E-mail: the From address, who wrote it. ``sender.email`` is where to answer (Reply-To when
    # given), which anyone may set: whether a reply is the reporter's own is decided by this one.
    from_address: str | None = None
    # What tells a copy of this message from other content under the same id (a hash); e-mail leaves
    # out the trace headers each receiving server adds. Defaults to the hash of ``raw``.
    content_sha256: str | None = None

    def __post_init__(self):
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}; expected one of {CHANNELS}")
        if not self.external_id:
            raise ValueError("an inbound message needs an external id (its key for exactly-once)")
        if self.received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")

    @property
    def raw_sha256(self) -> str | None:
        return hashlib.sha256(self.raw).hexdigest() if self.raw else None

    @property
    def content_hash(self) -> str | None:
        """The hash that identifies this message's content (``content_sha256``, else of ``raw``)."""
        return self.content_sha256 or self.raw_sha256


class ParseError(ValueError):
    """An adapter could not make sense of what arrived; it goes to the quarantine."""


@dataclass(frozen=True)
class OutboundMessage:
    """What the helpdesk sends: a reply, an answer, an acknowledgement, a staff notification."""

    channel: str
    recipient: str  # e-mail address, chat id, phone number
    text: str
    subject: str = ""
    html: str | None = None
    message_id: str | None = None  # our own id (e-mail Message-ID) so replies thread back
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    ticket_number: str | None = None
    kind: str = "reply"  # ack | reply | answer | notification | survey
    buttons: tuple[tuple[str, str], ...] = ()  # chat choices (value, label), e.g. "start the survey"


class DeliveryError(RuntimeError):
    """Sending failed; ``permanent`` failures are not retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


# channel name -> callable(OutboundMessage, config: Mapping) -> external id or None.
# Each adapter registers its sender; a channel without one cannot deliver (and says so).
SENDERS: dict = {}


def sender(channel: str):
    """Register the function that delivers outbound messages of ``channel``."""
    def decorate(fn):
        SENDERS[channel] = fn
        return fn
    return decorate
