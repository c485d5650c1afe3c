"""Rule R6: the tier at which a complaint is resolved.

(a) INTERNAL: resolved inside the office, escalated level by level along the unit's chain
    from staff (level 0) to the head of office (the last level), each level reporting in
    writing to the one above;
(b) TECHNICAL: forwarded to a named technical team or other regional agency whose answer
    is tracked;
(c) APIP: the internal government supervisor (e.g. Inspektorat), only with the head of
    office's recorded approval.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum


class Tier(StrEnum):
    INTERNAL = "internal"
    TECHNICAL = "technical"
    APIP = "apip"


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    HEAD = "head"
    ADMIN = "admin"


class RoutingError(ValueError):
    """A routing decision R6 forbids; str() is 'Indonesian (English)', .message_en English."""

    def __init__(self, message_id: str, message_en: str):
        self.message_id, self.message_en = message_id, message_en
        super().__init__(f"{message_id} ({message_en})")


@dataclass(frozen=True)
class Approval:
    approver_id: int
    approver_role: Role
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Route:
    tier: Tier
    level: int = 0
    forwarded_to: str | None = None
    approval: Approval | None = None


def needs_head_approval(tier: Tier | str) -> bool:
    """True for the APIP tier, which requires the head of office's approval."""
    return Tier(tier) == Tier.APIP


def route(tier: Tier | str, *, forwarded_to: str | None = None, approval: Approval | None = None) -> Route:
    """Decide the route for a tier; INTERNAL starts at level 0 and drops any party/approval."""
    tier = Tier(tier)
    party = (forwarded_to or "").strip() or None
    if tier == Tier.INTERNAL:
        return Route(Tier.INTERNAL, 0)
    if tier == Tier.TECHNICAL:
        if party is None:
            raise RoutingError("Nama tim teknis atau instansi tujuan wajib diisi.",
                               "the technical team or agency to forward to is required")
        return Route(Tier.TECHNICAL, forwarded_to=party)
    if approval is None:
        raise RoutingError("Penerusan ke APIP memerlukan persetujuan Kepala Kantor.",
                           "referral to the APIP needs the head of office's approval")
    if Role(approval.approver_role) != Role.HEAD:
        raise RoutingError(
            f"Persetujuan penerusan ke APIP harus dari Kepala Kantor, bukan peran '{approval.approver_role}'.",
            f"the APIP referral must be approved by the head of office, not by role "
            f"'{approval.approver_role}'")
    return Route(Tier.APIP, forwarded_to=party, approval=approval)


def escalate(current: Route, chain_length: int) -> Route:
    """Move an internal route one level up a chain of chain_length levels (staff .. head)."""
    if current.tier != Tier.INTERNAL:
        raise RoutingError("Hanya penanganan internal yang dapat dinaikkan ke atasan.",
                           f"only internal handling can be escalated, not tier '{current.tier}'")
    if chain_length < 1:
        raise ValueError("chain_length must be at least 1")
    if current.level >= chain_length - 1:
        raise RoutingError("Sudah di tingkat Kepala Kantor; tidak dapat dinaikkan lagi.",
                           "already at the head of office")
    return replace(current, level=current.level + 1)


def level_name(level: int, chain_length: int, lang: str = "id") -> str:
    """Label of a chain level: staff at 0, head of office at the top, unit heads between."""
    if not 0 <= level < chain_length:
        raise ValueError(f"level {level} is outside a chain of {chain_length}")
    en = lang == "en"
    if level == chain_length - 1:
        return "Head of office" if en else "Kepala Kantor"
    if level == 0:
        return "Staff" if en else "Pelaksana"
    if level == 1:
        return "Head of unit" if en else "Kepala Unit"
    return f"Superior, level {level}" if en else f"Atasan tingkat {level}"
