"""Whole numbers from what visitors type or send: query strings, form fields, chat messages.

``str.isdigit`` is true for superscripts and other digits ``int`` refuses ("²"), and a long run of
digits is beyond what a database integer holds; both once turned a typo into a server error.
"""
from __future__ import annotations

MAX_DIGITS = 18  # below 2**63: every id column and SQLite INTEGER holds it


def whole_number(value: object) -> int | None:
    """The number in ``value`` (ASCII digits only, surrounding spaces allowed), else None."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
