"""A mail's body: readable text, sanitised HTML, attachments, forwarded mail, TNEF, bounce parts."""
from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from channels.base import InboundAttachment
from channels.mail import tnef
from channels.mail.headers import filename_of, header
from channels.mail.text import decode_bytes, html_to_text, sanitise_html, unflow

MAX_DEPTH = 4  # forwarded mail inside forwarded mail …
CRLF = policy.default.clone(linesep="\r\n")
MACHINE_PARTS = ("message/disposition-notification", "message/feedback-report", "message/global-delivery-status")


@dataclass
class Body:
    text: str = ""
    html: str | None = None
    attachments: list[InboundAttachment] = field(default_factory=list)
    status_parts: list[Message] = field(default_factory=list)  # message/delivery-status (bounces)
    returned: list[Message] = field(default_factory=list)  # the original a bounce sends back (headers at least)


@dataclass
class _Parts:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    tnef_texts: list[str] = field(default_factory=list)
    forwards: list[Message] = field(default_factory=list)
    body: Body = field(default_factory=Body)


@dataclass(frozen=True)
class PartInfo:
    """A part's Content-Type and Content-Disposition, each parsed once (the modern policy is slow at it)."""

    ctype: str
    params: dict
    disposition: str
    filename: str | None

    @classmethod
    def of(cls, part: Message) -> "PartInfo":
        ct, cd = _parsed(part, "Content-Type"), _parsed(part, "Content-Disposition")
        ctype = getattr(ct, "content_type", None) or part.get_default_type()
        if ctype.count("/") != 1:
            ctype = "text/plain"
        params = {k.lower(): str(v) for k, v in (getattr(ct, "params", None) or {}).items()}
        dparams = {k.lower(): str(v) for k, v in (getattr(cd, "params", None) or {}).items()}
        disposition = (getattr(cd, "content_disposition", None) or "").lower()
        name = dparams.get("filename") or params.get("name")
        filename = filename_of(part, name) if name else (filename_of(part) if cd is not None else None)
        return cls(ctype.lower(), params, disposition, filename)


def _parsed(part: Message, name: str):
    if name not in part:
        return None
    try:
        return part.get(name)
    except Exception:
        return None


def read_body(msg: Message, *, depth: int = 0, report: bool = False, info: PartInfo | None = None) -> Body:
    """Walk the MIME tree once; a report (bounce) keeps its returned original out of the text."""
    parts = _Parts()
    _walk(msg, parts, depth, info)
    body = parts.body
    html = sanitise_html("\n".join(parts.htmls)) if parts.htmls else None
    own = "\n\n".join(t.strip() for t in parts.texts if t.strip())
    body.text = own or (html_to_text(html) if html else "") or "\n\n".join(parts.tnef_texts)
    body.html = html
    if report:
        body.returned.extend(parts.forwards)
        return body
    for inner in parts.forwards:
        forwarded = read_body(inner, depth=depth + 1)
        body.text = (body.text + "\n\n" + forward_block(inner, forwarded.text)).strip()
        body.attachments.extend(forwarded.attachments)
    return body


def _walk(part: Message, parts: _Parts, depth: int, info: PartInfo | None = None) -> None:
    info = info or PartInfo.of(part)
    ctype = info.ctype
    if ctype.startswith("multipart/") and part.is_multipart():
        for child in part.iter_parts():
            _walk(child, parts, depth)
        return
    if ctype.startswith("multipart/"):  # no boundary (or none found): what is there is the text
        parts.texts.append(decode_text(part, info))
        return
    disposition, filename = info.disposition, info.filename
    body = parts.body
    if ctype == "message/rfc822":
        inner = _inner(part)
        if inner is not None:
            body.attachments.append(InboundAttachment(
                filename=filename or _eml_name(inner), content_type=ctype, data=inner.as_bytes(policy=CRLF)))
            if depth < MAX_DEPTH:
                parts.forwards.append(inner)
        return
    if ctype == "message/delivery-status":
        body.status_parts.append(part)
        return
    if ctype in MACHINE_PARTS:  # read receipts and feedback reports: machine data, kept in the raw mail
        return
    if ctype in ("text/rfc822-headers", "message/rfc822-headers"):
        body.returned.append(BytesHeaderParser(policy=policy.default).parsebytes(_payload(part)))
        return
    if ctype == "application/ms-tnef" or (filename or "").lower() == "winmail.dat":
        data = _payload(part)
        body.attachments.append(InboundAttachment(filename or "winmail.dat", "application/ms-tnef", data))
        text, files = tnef.unpack(data)
        body.attachments.extend(files)
        if text:
            parts.tnef_texts.append(text)
        return
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        (parts.texts if ctype == "text/plain" else parts.htmls).append(decode_text(part, info))
        return
    inline = disposition == "inline" or (not disposition and bool(part.get("Content-ID")))
    body.attachments.append(InboundAttachment(
        filename=filename or "lampiran" + (mimetypes.guess_extension(ctype) or ".bin"), content_type=ctype,
        data=_payload(part), inline=inline))


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # an undecodable transfer encoding: keep what is there
        data = None
    if data is None:
        raw = part.get_payload()
        if isinstance(raw, str):
            data = raw.encode("utf-8", "surrogateescape")
        else:  # a message/* part the parser split into blocks: keep it as it was sent
            data = b"".join(m.as_bytes(policy=CRLF) for m in raw if isinstance(m, Message)) if raw else b""
    return data


def _inner(part: Message) -> Message | None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else payload
    return inner if isinstance(inner, Message) else None


def _eml_name(inner: Message) -> str:
    subject = re.sub(r"[^\w\- ]+", "", header(inner, "Subject"))[:60].strip()
    return f"{subject or 'pesan-diteruskan'}.eml"


def forward_block(inner: Message, text: str) -> str:
    """A forwarded mail as mail clients show it, so officers read it in place."""
    lines = ["---------- Pesan terusan ----------"]
    for label, name in (("Dari", "From"), ("Tanggal", "Date"), ("Perihal", "Subject"), ("Kepada", "To")):
        value = " ".join(header(inner, name).split())
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines) + "\n\n" + text.strip()


def decode_text(part: Message, info: PartInfo | None = None) -> str:
    """A text part's content in any charset real mail uses, declared or not, with \n line ends."""
    params = (info or PartInfo.of(part)).params
    text = decode_bytes(_payload(part), params.get("charset")).replace("\r\n", "\n").replace("\r", "\n")
    if params.get("format", "").lower() == "flowed":
        text = unflow(text, delsp=params.get("delsp", "").lower() == "yes")
    return text
