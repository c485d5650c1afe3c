"""Builders for inbound messages used across the tests."""
from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from channels.base import InboundAttachment, InboundMessage, Sender, ThreadHints

WIB = ZoneInfo("Asia/Jakarta")
_ids = itertools.count(1)


def inbound(text: str = "Berkas izin saya sudah tiga minggu belum diproses oleh petugas loket.",
            *, channel: str = "web", external_id: str | None = None, name: str | None = "Budi Santoso",
            email: str | None = "budi@contoh.id", phone: str | None = None,
            received_at: datetime = datetime(2026, 3, 2, 10, 0, tzinfo=WIB),
            service_received_on: date | None = None, subject: str = "Berkas belum diproses",
            attachments: tuple[InboundAttachment, ...] = (), thread: ThreadHints | None = None,
            raw: bytes = b"", automated: bool = False, service_slug: str | None = None,
            delivery_failure: str | None = None) -> InboundMessage:
    return InboundMessage(
        channel=channel, external_id=external_id or f"test-{next(_ids)}",
        sender=Sender(name=name, email=email, phone=phone), received_at=received_at,
        subject=subject, text=text, attachments=attachments, thread=thread or ThreadHints(), raw=raw,
        service_received_on=service_received_on, automated=automated, service_slug=service_slug,
        auto_reason="bounce" if delivery_failure else ("auto-reply" if automated else ""),
        delivery_failure=delivery_failure)
