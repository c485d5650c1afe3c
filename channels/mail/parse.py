"""Raw RFC 5322 bytes → InboundMessage, with the standard ``email`` package (modern policy)."""
from __future__ import annotations

import hashlib
import html as htmllib
import re
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

import nh3

from channels.base import InboundAttachment, InboundMessage, ParseError, Sender, ThreadHints

TICKET_NUMBER = re.compile(r"\b([A-Z]{2,8}-\d{4}-\d{6})\b")
MSGID = re.compile(r"<[^<>\s]+>")
# Legacy names real mail uses for charsets Python knows under a wider name.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "ks_c_5601-1987": "cp949",
                   "iso-8859-8-i": "iso-8859-8", "x-sjis": "shift_jis", "unicode-1-1-utf-7": "utf-7",
                   "ascii": "cp1252", "us-ascii": "cp1252", "latin1": "cp1252", "iso-8859-1": "cp1252"}
AUTOMATED_SENDERS = ("mailer-daemon@", "postmaster@")


def parse_email(raw: bytes, *, received_at: datetime | None = None) -> InboundMessage:
    """Parse one mail; raises ParseError (with the reason) for what is not a mail."""
    if not raw or not raw.strip():
        raise ParseError("empty message")
    try:
        msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
        return _convert(msg, raw, received_at)
    except ParseError:
        raise
    except Exception as exc:  # the email package raises many types on hostile input
        raise ParseError(f"unreadable MIME: {type(exc).__name__}: {exc}") from exc


def _convert(msg: EmailMessage, raw: bytes, received_at: datetime | None) -> InboundMessage:
    from_hdr, msgid_hdr = _header(msg, "From"), _header(msg, "Message-ID")
    if not from_hdr and not msgid_hdr and not _header(msg, "Subject"):
        raise ParseError("no mail headers (From, Message-ID, Subject) found")
    name, address = _sender(msg)
    if not address:
        raise ParseError(f"no usable sender address in From/Reply-To ({from_hdr!r})")
    ids = MSGID.findall(msgid_hdr)
    external_id = ids[0] if ids else "sha256:" + hashlib.sha256(raw).hexdigest()
    subject = " ".join(_header(msg, "Subject").split())
    text, html, attachments = _body(msg)
    refs = MSGID.findall(_header(msg, "In-Reply-To")) + MSGID.findall(_header(msg, "References"))
    number = TICKET_NUMBER.search(subject.upper())
    return InboundMessage(
        channel="email", external_id=external_id, raw=raw,
        sender=Sender(name=name or None, email=address),
        received_at=received_at or _date(msg) or datetime.now(timezone.utc),
        subject=subject, text=text, html=html, attachments=tuple(attachments),
        thread=ThreadHints(in_reply_to=tuple(dict.fromkeys(reversed(refs))),
                           ticket_number=number.group(1) if number else None),
        automated=is_automated(msg, address))


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
        return str(value) if value is not None else ""
    except Exception:  # a header the policy cannot decode: fall back to its raw text
        return next((str(v) for k, v in msg.raw_items() if k.lower() == name.lower()), "")


def _sender(msg: EmailMessage) -> tuple[str, str]:
    from_pairs = getaddresses([_header(msg, "From")])
    reply_pairs = getaddresses([_header(msg, "Reply-To")])
    name = next((n for n, a in from_pairs if n), "")
    address = next((a for _, a in reply_pairs + from_pairs if "@" in a), "")
    return name.strip(), address.strip().lower()


def is_automated(msg: EmailMessage, address: str) -> bool:
    """Auto-replies, bounces and list mail: never acknowledged, never a new complaint."""
    auto = _header(msg, "Auto-Submitted").strip().lower()
    precedence = _header(msg, "Precedence").strip().lower()
    return bool(
        (auto and auto != "no")
        or precedence in ("bulk", "junk", "list")
        or _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond")
        or address.startswith(AUTOMATED_SENDERS)
        or msg.get_content_type() == "multipart/report")


def _date(msg: EmailMessage) -> datetime | None:
    try:
        value = parsedate_to_datetime(_header(msg, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and value.tzinfo else None


def decode_text(part) -> str:
    """A text part's content in any charset real mail uses, declared or not."""
    payload = part.get_payload(decode=True) or b""
    declared = (part.get_content_charset() or "").lower()
    for charset in filter(None, (CHARSET_ALIASES.get(declared, declared), "utf-8")):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("cp1252", errors="replace")


def html_to_text(html: str) -> str:
    """Readable text from HTML: block ends become line breaks, tags and scripts go."""
    html = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote)>", "\n", html)
    text = htmllib.unescape(nh3.clean(html, tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def sanitise_html(html: str) -> str:
    return nh3.clean(html)


def _body(msg: EmailMessage) -> tuple[str, str | None, list[InboundAttachment]]:
    texts, htmls, attachments = [], [], []
    for part in msg.walk() if msg.is_multipart() else [msg]:
        ctype = part.get_content_type()
        if part.is_multipart():
            continue
        disposition = (part.get_content_disposition() or "").lower()
        filename = part.get_filename()
        if ctype == "message/rfc822" or (filename or disposition == "attachment"):
            attachments.append(_attachment(part, filename))
        elif ctype == "text/plain":
            texts.append(decode_text(part))
        elif ctype == "text/html":
            htmls.append(decode_text(part))
        elif not ctype.startswith("multipart/"):
            attachments.append(_attachment(part, filename, inline=True))
    html = sanitise_html("\n".join(htmls)) if htmls else None
    text = "\n\n".join(t.strip() for t in texts if t.strip()) or (html_to_text(html) if html else "")
    return text, html, attachments


def _attachment(part, filename: str | None, inline: bool = False) -> InboundAttachment:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) else inner
        data = inner.as_bytes(policy=policy.default.clone(linesep="\r\n"))
        filename = filename or "pesan-diteruskan.eml"
    else:
        data = part.get_payload(decode=True) or b""
    return InboundAttachment(filename=filename or f"lampiran.{ctype.split('/')[-1]}",
                             content_type=ctype, data=data, inline=inline)
