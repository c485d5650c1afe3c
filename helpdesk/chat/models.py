"""Chat conversation state and the platform updates already processed (exactly once)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.extensions import db
from helpdesk.timeutil import UTCDateTime, utcnow


class ChatSession(db.Model):
    """Where one chat stands in the guided conversation; survives restarts, shared by workers."""

    __tablename__ = "chat_sessions"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)  # telegram | whatsapp
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # Telegram chat id, WhatsApp number
    state: Mapped[str] = mapped_column(String(20), default="idle")
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the fields collected so far
    lang: Mapped[str] = mapped_column(String(5), default="id")
    name: Mapped[str | None] = mapped_column(String(200))  # the platform's profile name
    rate_window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rate_count: Mapped[int] = mapped_column(Integer, default=0)
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # WhatsApp's 24-hour window
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ChatSession {self.channel}:{self.chat_id} {self.state}>"


class ChatUpdate(db.Model):
    """One platform update (Telegram update id, WhatsApp wamid) taken in, with our answers.

    Written in the same transaction as the conversation step, so a replayed update is
    recognised; the answers are kept until sent, so a crash before sending resends them once.
    """

    __tablename__ = "chat_updates"
    __table_args__ = (UniqueConstraint("channel", "external_id"),
                      Index("ix_chat_updates_channel_seq", "channel", "seq"))
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int | None] = mapped_column(BigInteger)  # Telegram update_id: the polling offset
    chat_id: Mapped[str | None] = mapped_column(String(64))
    replies: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of replies to deliver
    replies_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(200), default="")  # what was done, for the log
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ChatUpdate {self.channel}/{self.external_id} {self.outcome!r}>"
