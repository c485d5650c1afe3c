"""Text out of mail: bytes in every charset real mail uses (declared, mislabelled or not at all),
flowed lines, HTML made safe and readable."""
from __future__ import annotations

import html as htmllib
import re

import nh3

# Legacy names real mail uses for charsets Python knows under a wider name: GB2312 mail holds
# GBK characters, and "ISO-8859-1" mail from Windows holds cp1252 quotes and dashes.
ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030",
           "ks_c_5601-1987": "cp949", "iso-8859-8-i": "iso-8859-8", "x-sjis": "shift_jis",
           "unicode-1-1-utf-7": "utf-7", "latin1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
           "windows-874": "cp874", "utf8": "utf-8", "x-unknown": ""}
# Labels that promise plain ASCII: 8-bit bytes under them are almost always UTF-8 sent undeclared.
UNDECLARED = {"", "ascii", "us-ascii", "ansi_x3.4-1968", "unknown-8bit", "x-unknown", "default"}


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Text from ``data``: the declared charset, else UTF-8, else cp1252 (which reads any byte)."""
    declared = (declared or "").strip().strip('"').lower()
    if declared in UNDECLARED:
        candidates = ["utf-8"]
    else:
        candidates = [ALIASES.get(declared, declared), "utf-8"]
    for charset in filter(None, candidates):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed: a line ending in a space continues on the next one."""
    out, pending = [], ""
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        body = line[depth:]
        body = body[1:] if body.startswith(" ") else body  # space-stuffing
        if body.endswith(" ") and body != "-- ":
            pending += body[:-1] if delsp else body
            continue
        out.append(">" * depth + (" " if depth else "") + pending + body)
        pending = ""
    if pending:
        out.append(pending)
    return "\n".join(out)


def html_to_text(html: str) -> str:
    """Readable text from HTML: block ends become line breaks, tags and scripts go."""
    html = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote|table)>", "\n", html)
    text = htmllib.unescape(nh3.clean(html, tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def sanitise_html(html: str) -> str:
    return nh3.clean(html)
