"""Header values and file names as real mail writes them: RFC 2047/2231, or raw 8-bit in any charset."""
from __future__ import annotations

from email import policy
from email.message import Message

from channels.mail.text import decode_bytes

REPLACEMENT = "\ufffd"


def header(msg: Message, name: str) -> str:
    """The decoded value of a header ('' when absent); raw 8-bit text is read as UTF-8 or cp1252."""
    if name not in msg:  # cheap: most headers asked about are absent, and parsing one is not
        return ""
    try:
        value = msg.get(name)
        text = str(value) if value is not None else ""
    except Exception:  # a header the policy cannot parse at all: fall back to its raw text
        text = ""
        value = None
    if value is not None and REPLACEMENT not in text:
        return text
    raw = raw_header(msg, name)
    if raw is None:
        return text
    return _reparse(name, raw) or text


def raw_header(msg: Message, name: str) -> str | None:
    """The header as it was sent, unparsed (None when absent)."""
    name = name.lower()
    return next((v for k, v in msg.raw_items() if k.lower() == name), None)


def token(msg: Message, name: str) -> str:
    """An ASCII header (ids, dates, flags like Auto-Submitted) without the cost of parsing it: '' when absent."""
    value = raw_header(msg, name)
    return " ".join(str(value).split()) if value is not None else ""


def _reparse(name: str, raw: str) -> str:
    """Decode a header whose bytes were not ASCII: find their charset, then let the policy parse it."""
    fixed = _unescape(raw)
    try:
        return str(policy.default.header_factory(name, fixed))
    except Exception:
        return fixed.strip()


def _unescape(raw) -> str:
    """The parser keeps non-ASCII header bytes as surrogates; give them back their characters."""
    if not isinstance(raw, str):
        return str(raw)
    try:
        data = raw.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:  # already real characters
        return raw
    return decode_bytes(data, "")


def filename_of(part: Message, name: str | None = None) -> str | None:
    """The attachment's file name from Content-Disposition or Content-Type, decoded.

    ``name`` is what the parsed headers already gave; it is repaired when its bytes were 8-bit.
    """
    if name is None:
        try:
            name = part.get_filename()
        except Exception:
            name = None
    if name and REPLACEMENT not in name:
        return name.strip() or None
    for hname, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        raw = raw_header(part, hname)
        if raw is None:
            continue
        try:
            value = policy.default.header_factory(hname, _unescape(raw)).params.get(param)
        except Exception:
            continue
        if value:
            return str(value).strip() or None
    return name
