"""The demo's reporters, and what reaches the office from them, shaped as each channel delivers it.

E-mail arrives as raw RFC 5322 mail through the e-mail intake; Telegram and WhatsApp reports
carry the chat id and the collected answers as the bot hands them over; the web form, the API
and the staff-entered channels (phone, letter, walk-in, box) fill what their forms fill.
Addresses are on reserved example domains: nothing here belongs to a real person.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from channels.base import STAFF_ENTERED, InboundMessage, Sender, ThreadHints
from helpdesk.intake.contacts import normalise_phone

NAMES = ["Budi Santoso", "Siti Aminah", "Dewi Lestari", "Andi Pratama", "Yusuf Hidayat", "Maya Sari",
         "Rudi Hartono", "Nur Aisyah", "Teguh Prasetyo", "Lina Marlina", "Fajar Nugroho", "Ratna Sari Dewi",
         "Hendra Gunawan", "Wulan Safitri", "Agus Salim", "Indah Permatasari", "Bayu Saputra", "Sri Rahayu",
         "Dimas Anggara", "Putri Handayani", "Eko Wahyudi", "Yuliana Putri", "Arif Rahman", "Fitri Lestari",
         "Joko Susilo", "Melati Kusuma", "Rizky Firmansyah", "Ayu Wandira", "Slamet Riyadi", "Novi Anggraeni"]
COMPANIES = ["PT Sinar Plastik Mandiri", "CV Karya Pipa Nusantara", "PT Purwa Polimer Indah",
             "PT Hijau Lestari Industri", "CV Mitra Talang Jaya", "PT Sriwijaya Kemas Abadi"]


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str | None = None
    phone: str | None = None  # as the reporter writes it: 0812-…
    chat_id: str | None = None  # Telegram chat id, or the WhatsApp number in digits
    company: str | None = None

    def sender(self, channel: str) -> Sender:
        chat = {"telegram": self.chat_id} if channel == "telegram" else \
            {"whatsapp": self.chat_id} if channel == "whatsapp" else {}
        return Sender(name=self.name, email=self.email, phone=self.phone, **chat)

    def conversation(self, channel: str) -> str | None:
        """The chat as the intake stores it: a Telegram chat id, a WhatsApp +62… number."""
        return normalise_phone(self.chat_id) if channel == "whatsapp" else self.chat_id


def person(rng, channel: str, n: int, *, anonymous: bool = False) -> Person:
    """A plausible reporter of this channel (n keeps contacts apart)."""
    if anonymous:
        return Person(None)
    name = NAMES[n % len(NAMES)]
    local = name.lower().replace(" ", ".")
    phone = f"08{rng.choice('1235')}{rng.randint(1, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    company = rng.choice(COMPANIES) if channel in ("email", "letter", "api") and rng.random() < 0.6 else None
    if channel == "email":
        return Person(name, email=f"{local}{n}@example.com", company=company)
    if channel == "telegram":
        return Person(name, phone=phone, chat_id=str(5_200_000_000 + n * 7919))
    if channel == "whatsapp":
        return Person(name, chat_id="62" + phone[1:].replace("-", ""))
    if channel in ("web", "api"):
        return Person(name, email=f"{local}{n}@example.net", phone=phone if rng.random() < 0.5 else None,
                      company=company)
    if channel == "letter":
        return Person(name, phone=phone, email=f"{local}{n}@example.org" if rng.random() < 0.5 else None,
                      company=company)
    return Person(name, phone=phone)  # phone, walk-in, a signed note in the box


def report(channel: str, key: str, who: Person, at: datetime, text: str, *, subject: str = "",
           service: str | None = None, served_on: date | None = None, expected: str = "",
           confidential: bool = False, mailbox: str = "") -> InboundMessage | bytes:
    """What the channel hands the intake for a new report (raw bytes for e-mail)."""
    if channel == "email":
        return mail(who, mailbox, subject, text, at, message_id=f"<{key}@example.com>")
    raw = text.encode()
    if channel in ("telegram", "whatsapp"):  # the guided conversation's collected answers
        raw = json.dumps({"collected": {"name": who.name, "what": text, "outcome": expected,
                                        "service_date": served_on.isoformat() if served_on else None}},
                         ensure_ascii=False, sort_keys=True).encode()
    external = {"web": f"web:{key}", "api": f"portal-lapor:{key}"}.get(channel, key)
    if channel in STAFF_ENTERED:
        external = f"{channel}:{key}"
    return InboundMessage(
        channel=channel, external_id=external, sender=who.sender(channel), received_at=at,
        subject={"api": subject, "telegram": "", "whatsapp": ""}.get(channel, text.splitlines()[0][:120]), text=text,
        raw=raw, service_received_on=served_on,
        service_slug=service if channel in ("web", "api", "telegram", "whatsapp") + STAFF_ENTERED else None,
        expected_outcome=expected, confidential=confidential)


def reply(channel: str, key: str, who: Person, at: datetime, text: str, *, number: str,
          subject: str = "", in_reply_to: str | None = None, mailbox: str = "") -> InboundMessage | bytes:
    """A later message of the reporter on the ticket, threaded as the channel threads it."""
    if channel == "email":
        return mail(who, mailbox, f"Re: [{number}] {subject}", text, at, message_id=f"<{key}@example.com>",
                    in_reply_to=in_reply_to)
    if channel in ("telegram", "whatsapp"):
        thread = ThreadHints(conversation=who.conversation(channel))
    else:  # the status page's "add information" form
        thread, channel, key = ThreadHints(ticket_number=number), "web", f"web:{key}"
    return InboundMessage(channel=channel, external_id=key, sender=who.sender(channel), received_at=at,
                          subject=f"Keterangan tambahan {number}" if channel == "web" else "", text=text,
                          raw=text.encode(), thread=thread)


def mail(who: Person, to: str, subject: str, text: str, at: datetime, *, message_id: str,
         in_reply_to: str | None = None, headers: dict[str, str] | None = None) -> bytes:
    """A plain-text mail as a mail client sends it."""
    msg = EmailMessage()
    msg["From"] = f"{who.name} <{who.email}>" if who.name else who.email
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        msg["In-Reply-To"] = msg["References"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    signature = f"\n\nSalam,\n{who.name}" + (f"\n{who.company}" if who.company else "")
    msg.set_content(text + signature)
    return msg.as_bytes()
