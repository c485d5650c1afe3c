"""Our own Message-IDs: unique, carrying the ticket number, and recognisable when they come back."""
from __future__ import annotations

import secrets
import time

MARK = ".helpdesk@"  # the local part of every Message-ID we make ends in ".helpdesk"


def make_message_id(domain: str, ticket_number: str | None = None) -> str:
    """'<1772421000.3f9a….ADU-2026-000123.helpdesk@kantor.go.id>'."""
    tag = f".{ticket_number}" if ticket_number else ""
    return f"<{int(time.time())}.{secrets.token_hex(8)}{tag}{MARK}{domain}>"


def is_own_message_id(value: str, domain: str | None) -> bool:
    """True for a Message-ID this helpdesk made (a staff member's own mail on the same domain is not)."""
    return bool(domain) and value.lower().endswith(f"{MARK}{domain.lower()}>")
