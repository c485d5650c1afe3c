"""The ticket state machine.

Main path:   received -> verified -> in_analysis -> in_follow_up -> answered -> closed
             (in_analysis -> answered when no follow-up is needed; verified -> answered is not allowed)
Suggestion:  received/verified -> acknowledged -> closed (acknowledged -> verified turns it into a complaint)
Rejected:    spam/out of scope, from received/verified; may be reopened
Reopened:    from answered, closed or rejected; then -> in_analysis / in_follow_up / answered
Merged:      a duplicate merged into another ticket, from any state still being worked on.

"Terminal" here means graph-terminal: no way out. Only MERGED is terminal; CLOSED and
REJECTED are finished but can still be reopened, so they are not terminal (and a closed or
rejected ticket must be reopened before it can be merged).
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    VERIFIED = "verified"
    IN_ANALYSIS = "in_analysis"
    IN_FOLLOW_UP = "in_follow_up"
    ANSWERED = "answered"
    CLOSED = "closed"
    ACKNOWLEDGED = "acknowledged"
    REJECTED = "rejected"
    MERGED = "merged"
    REOPENED = "reopened"


S = Status

# Statuses where the 14-working-day clock runs for complaints.
OPEN_STATUSES: frozenset[Status] = frozenset({S.RECEIVED, S.VERIFIED, S.IN_ANALYSIS, S.IN_FOLLOW_UP, S.REOPENED})

# Graph-terminal statuses: no transition leaves them (see the module docstring).
TERMINAL: frozenset[Status] = frozenset({S.MERGED})

LABELS: dict[Status, tuple[str, str]] = {
    S.RECEIVED: ("Diterima", "Received"),
    S.VERIFIED: ("Diverifikasi", "Verified"),
    S.IN_ANALYSIS: ("Dalam analisis", "In analysis"),
    S.IN_FOLLOW_UP: ("Dalam tindak lanjut", "In follow-up"),
    S.ANSWERED: ("Dijawab", "Answered"),
    S.CLOSED: ("Selesai", "Closed"),
    S.ACKNOWLEDGED: ("Dicatat sebagai saran", "Recorded as a suggestion"),
    S.REJECTED: ("Ditolak", "Rejected"),
    S.MERGED: ("Digabung", "Merged"),
    S.REOPENED: ("Dibuka kembali", "Reopened"),
}

_TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.VERIFIED, S.ACKNOWLEDGED, S.REJECTED, S.MERGED}),
    S.VERIFIED: frozenset({S.IN_ANALYSIS, S.ACKNOWLEDGED, S.REJECTED, S.MERGED}),
    S.IN_ANALYSIS: frozenset({S.IN_FOLLOW_UP, S.ANSWERED, S.MERGED}),
    S.IN_FOLLOW_UP: frozenset({S.ANSWERED, S.MERGED}),
    S.ANSWERED: frozenset({S.CLOSED, S.REOPENED, S.MERGED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.ACKNOWLEDGED: frozenset({S.CLOSED, S.VERIFIED, S.MERGED}),
    S.REJECTED: frozenset({S.REOPENED}),
    S.MERGED: frozenset(),
    S.REOPENED: frozenset({S.IN_ANALYSIS, S.IN_FOLLOW_UP, S.ANSWERED, S.MERGED}),
}


def _ordered(statuses: frozenset[Status]) -> list[Status]:
    return [s for s in Status if s in statuses]


class TransitionError(ValueError):
    """A status change the state machine forbids; str() is Indonesian, .message_en English."""

    def __init__(self, current: Status, target: Status, allowed: frozenset[Status]):
        self.current, self.target, self.allowed = current, target, allowed
        names_id = ", ".join(LABELS[s][0] for s in _ordered(allowed)) or "tidak ada"
        names_en = ", ".join(LABELS[s][1] for s in _ordered(allowed)) or "none"
        self.message_en = (f"Cannot change the status from '{LABELS[current][1]}' to "
                           f"'{LABELS[target][1]}'. Allowed: {names_en}.")
        super().__init__(f"Tidak dapat mengubah status dari '{LABELS[current][0]}' ke "
                         f"'{LABELS[target][0]}'. Yang diizinkan: {names_id}.")


def allowed(current: Status) -> frozenset[Status]:
    """The statuses reachable from current in one step."""
    return _TRANSITIONS[Status(current)]


def check(current: Status, target: Status) -> Status:
    """Return target if current -> target is allowed, else raise TransitionError."""
    current, target = Status(current), Status(target)
    if target not in _TRANSITIONS[current]:
        raise TransitionError(current, target, _TRANSITIONS[current])
    return target


def is_open(status: Status | str) -> bool:
    """True when the complaint clock runs in this status; unknown values raise ValueError."""
    return Status(status) in OPEN_STATUSES
