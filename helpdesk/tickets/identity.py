"""Who may see a confidential reporter's identity, and masking it inside free text.

One rule for the officer pages and the JSON API: the roles that handle the complaint see it
(supervisors and the head always, officers unless another officer holds the ticket);
administrators run the system, they do not handle complaints, and never see it.
"""
from __future__ import annotations

import re

HANDLERS = ("officer", "supervisor", "head")


def can_see_identity(user, ticket) -> bool:
    """True unless the ticket is confidential and ``user`` neither handles nor supervises it."""
    if not ticket.confidential:
        return True
    if user.role not in HANDLERS:
        return False
    return user.role != "officer" or ticket.assignee_id in (None, user.id)


class Redactor:
    """Replaces the reporter's name (and each part of it) and contacts inside free text with ``mask``."""

    def __init__(self, ticket, masked: bool, mask: str):
        parts = []
        if masked and ticket.reporter is not None:
            name = (ticket.reporter.name or "").strip()
            words = {name, *name.split()} | {c.value for c in ticket.reporter.contacts
                                             if c.kind not in ("phone", "whatsapp")}
            parts = [re.escape(w) for w in sorted(words, key=len, reverse=True) if len(w) >= 3]
            parts += [_phone_pattern(c.value) for c in ticket.reporter.contacts
                      if c.kind in ("phone", "whatsapp") and len(c.value) >= 8]
        self.mask = mask
        self.pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def __call__(self, text: str | None) -> str | None:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(self.mask, text)


def _phone_pattern(value: str) -> str:
    """A stored +62… number as people write it: 0812-3456 7890, +62 812…, 62812…"""
    digits = value.lstrip("+")
    national = digits[2:] if digits.startswith("62") else digits
    return r"(?:\+?62|0)[\s.-]*" + r"[\s.-]*".join(national)
