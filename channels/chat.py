"""The channel-neutral shapes of a chat: what a reporter sent, and what the bot answers.

Telegram and WhatsApp adapters convert their payloads into :class:`ChatInbound` and render
:class:`ChatReply` with their own buttons; the guided conversation only sees these.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ChatEvent:
    """One input: kind is command | text | contact | choice | file | unsupported | edited."""

    kind: str
    text: str = ""  # the text, the command name (no slash), the phone, or the chosen value
    arg: str = ""  # a command's argument
    file: dict | None = None  # {"ref", "name", "type", "size"}: ref is the platform's file id


@dataclass(frozen=True)
class ChatReply:
    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (value, label)
    ask_contact: bool = False  # offer the platform's share-my-phone button

    def to_dict(self) -> dict:
        return {"text": self.text, "buttons": [list(b) for b in self.buttons], "ask_contact": self.ask_contact}

    @classmethod
    def from_dict(cls, d: dict) -> "ChatReply":
        return cls(d["text"], tuple(tuple(b) for b in d.get("buttons", ())), bool(d.get("ask_contact")))


@dataclass(frozen=True)
class ChatInbound:
    """One platform update in channel-neutral form; ``event`` is None for updates of no chat."""

    channel: str  # telegram | whatsapp
    key: str  # unique per channel: Telegram update id, WhatsApp message id
    chat_id: str | None
    event: ChatEvent | None
    received_at: datetime
    raw: bytes = b""
    name: str | None = None  # the platform's profile name
    seq: int | None = None  # Telegram update_id (the polling offset)
    note: str = ""  # why an update carries no event
    extra: dict = field(default_factory=dict)  # e.g. {"callback_id": …}
