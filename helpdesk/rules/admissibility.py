"""Rule R3: is a report handled as a complaint or as a suggestion (saran/masukan)?

From the service standard of DPMPTSP Purwakarta: a report without the reporter's
identity, or without an object/material of complaint, is handled as a suggestion;
so is a complaint filed more than 30 calendar days after the service was received.
Suggestions carry no answer deadline. An officer may override the kind, with a reason.
Pure functions: dates come in as arguments, nothing here reads the clock.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"


COMPLAINT_WINDOW_DAYS = 30
MIN_OBJECT_WORDS = 3
MIN_OBJECT_CHARS = 10

KIND_LABELS: dict[Kind, tuple[str, str]] = {
    Kind.COMPLAINT: ("pengaduan", "complaint"),
    Kind.SUGGESTION: ("saran/masukan", "suggestion"),
}

# A "word" is a run of letters or digits in any script (underscore excluded).
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    code: str  # "ok", "no_identity", "no_object", "late", "officer_override"
    reason: str  # Indonesian, shown to the citizen and the officer
    reason_en: str


_REASONS: dict[str, tuple[Kind, str, str]] = {
    "ok": (Kind.COMPLAINT,
           "Laporan memenuhi syarat dan ditangani sebagai pengaduan.",
           "The report is admissible and handled as a complaint."),
    "no_identity": (Kind.SUGGESTION,
                    "Identitas pelapor tidak dicantumkan; laporan diperlakukan sebagai saran/masukan.",
                    "The reporter's identity is missing; the report is handled as a suggestion."),
    "no_object": (Kind.SUGGESTION,
                  "Objek atau materi pengaduan tidak jelas; laporan diperlakukan sebagai saran/masukan.",
                  "The object of the complaint is missing; the report is handled as a suggestion."),
    "late": (Kind.SUGGESTION,
             f"Pengaduan disampaikan lebih dari {COMPLAINT_WINDOW_DAYS} hari kalender setelah layanan "
             "diterima; laporan diperlakukan sebagai saran/koreksi.",
             f"The complaint was filed more than {COMPLAINT_WINDOW_DAYS} calendar days after the service "
             "was received; it is handled as a suggestion/correction."),
}


def _verdict(code: str) -> Verdict:
    kind, reason, reason_en = _REASONS[code]
    return Verdict(kind, code, reason, reason_en)


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def has_identity(name: str | None, contacts: Iterable[str | None]) -> bool:
    """True when there is a non-blank name and at least one non-blank contact."""
    return not _blank(name) and any(not _blank(c) for c in contacts)


def has_object(text: str | None) -> bool:
    """True when the text has at least 3 words and 10 letters/digits of real content."""
    words = _WORD.findall(text or "")
    return len(words) >= MIN_OBJECT_WORDS and sum(map(len, words)) >= MIN_OBJECT_CHARS


def is_late(service_received_on: date | None, filed_on: date) -> bool:
    """True when filed more than 30 days after the service; unknown or future dates are not late."""
    if service_received_on is None:
        return False
    return (filed_on - service_received_on).days > COMPLAINT_WINDOW_DAYS


def assess(*, name: str | None, contacts: Iterable[str | None], text: str | None,
           service_received_on: date | None, filed_on: date) -> Verdict:
    """Classify a new report; checks identity, then object, then the 30-day window."""
    if not has_identity(name, contacts):
        return _verdict("no_identity")
    if not has_object(text):
        return _verdict("no_object")
    if is_late(service_received_on, filed_on):
        return _verdict("late")
    return _verdict("ok")


def override(current: Verdict, kind: Kind, reason: str) -> Verdict:
    """An officer's change of kind; the reason is required and the kind must change."""
    kind = Kind(kind)
    if _blank(reason):
        raise ValueError("Alasan perubahan wajib diisi (a reason is required to override the kind).")
    if kind == current.kind:
        raise ValueError(f"Laporan sudah berjenis {KIND_LABELS[kind][0]} "
                         f"(the report is already a {KIND_LABELS[kind][1]}; kind unchanged).")
    reason = reason.strip()
    label_id, label_en = KIND_LABELS[kind]
    return Verdict(kind, "officer_override",
                   f"Diubah oleh petugas menjadi {label_id}: {reason}",
                   f"Changed by an officer to a {label_en}: {reason}")
