"""Contact normalisation, so one person's e-mail or phone always matches the same reporter."""
from __future__ import annotations

import re

from channels.base import Sender


def normalise_phone(raw: str | None) -> str | None:
    """Indonesian numbers to +62…: '0812-3456 789', '62812…', '+62 812…' all match."""
    if not raw:
        return None
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return None
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return "+" + digits


def normalise_email(raw: str | None) -> str | None:
    if not raw or "@" not in raw:
        return None
    return raw.strip().lower()


def normalise_contacts(sender: Sender) -> list[tuple[str, str]]:
    """(kind, value) pairs, normalised; empty values dropped."""
    out = []
    for kind, value in sender.contacts():
        if kind == "email":
            value = normalise_email(value)
        elif kind in ("phone", "whatsapp"):
            value = normalise_phone(value)
        else:
            value = str(value).strip()
        if value:
            out.append((kind, value))
    return out
