"""Bytes to text in every charset real mail uses, declared, mislabelled or not declared at all."""
from __future__ import annotations

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
