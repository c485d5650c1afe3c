"""Outlook's TNEF (winmail.dat): the files and the body packed inside, read with tnefparse."""
from __future__ import annotations

import logging

from tnefparse import TNEF

from channels.base import InboundAttachment

logger = logging.getLogger(__name__)
MAX_FILES = 50


def unpack(data: bytes) -> tuple[str, list[InboundAttachment]]:
    """(body text, files) found in a winmail.dat; nothing when it cannot be read (it is kept whole anyway)."""
    try:
        tnef = TNEF(data, do_checksum=False)
    except Exception as exc:  # tnefparse raises plain ValueError/IndexError/struct.error on bad input
        logger.info("winmail.dat not readable as TNEF: %s", exc)
        return "", []
    files = []
    for att in tnef.attachments[:MAX_FILES]:
        try:
            name, payload = att.long_filename() or att.name, att.data
        except Exception as exc:
            logger.info("TNEF attachment skipped: %s", exc)
            continue
        if isinstance(payload, bytes) and payload:
            files.append(InboundAttachment(filename=_text(name) or "lampiran-winmail",
                                           content_type="application/octet-stream", data=payload))
    return _text(tnef.body).strip(), files


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.rstrip(b"\x00")
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("cp1252", errors="replace")
    return str(value or "").rstrip("\x00")
