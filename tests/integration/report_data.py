"""A fixed office history in the fourth quarter of 2025 whose every report number is worked out by hand.

Working days (Monday-Friday; no holidays fall in October or November 2025):
  T1  email     A persyaratan   internal U1  Mon 6 Oct 10:00 -> answered Fri 10 Oct      4  on time
  T2  web       A biaya         internal U1  Mon 6 Oct 09:00 -> answered Fri 24 Oct     14  on time
  T3  telegram  B jangka_waktu  technical U2 Mon 6 Oct 09:00 -> answered Mon 27 Oct     15  late
  T4  whatsapp  B jangka_waktu  internal U2  Mon 13 Oct 09:00, paused Tue 14 -> Fri 17 Oct
                                             (15, 16, 17 Oct left out) -> answered Mon 3 Nov: 15 - 3 = 12
  T5  phone     A prosedur      internal U1  Mon 20 Oct 18:00 (after hours: clock starts Tue 21 Oct)
                                             -> answered Tue 21 Oct 15:00                0  on time
  T6  email     B biaya         apip U2      Mon 3 Nov 09:00, open; due Fri 21 Nov: overdue on 15 Dec
  T7  web       A, unclassified              Mon 8 Dec 09:00, open and still within its time on 15 Dec
  T8  web       suggestion (no identity)     Wed 8 Oct
  T9  email     suggestion (no identity)     Wed 12 Nov
  T10 email     complaint merged into T1     (left out of every count)
  T11 email     A, Tue 30 Sep 2025 (Q3), answered Thu 2 Oct: 2 days (only in the September trend)
  T12 letter    B complaint, rejected        Thu 9 Oct
  T13 email     A, Mon 1 Sep 2025 (Q3), still open: overdue now, outside the quarter
Escalations: T3 on 15 Oct, T4 on 20 and 22 Oct (3 steps, 2 tickets); T13 on 10 Sep (outside).
APIP referral: T6 on 5 Nov. Survey answers (scores U1..U9), all submitted in the quarter:
  T1 444444444, T2 333433333, T4 233432332, T5 434433433.
Served applicants: service A 100 + 120 + 80, service B 10 + 10 + 10 (Oct, Nov, Dec).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from channels.base import InboundMessage, Sender
from helpdesk.catalog.models import Service, Unit
from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.rules.lifecycle import Status
from helpdesk.survey.models import ServedCount
from helpdesk.survey.operations import invitation_of, submit
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket
from helpdesk.triage.operations import merge

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 12, 15, 10, 0, tzinfo=WIB)  # when the report is looked at
SCORES = {"T1": (4,) * 9, "T2": (3, 3, 3, 4, 3, 3, 3, 3, 3), "T4": (2, 3, 3, 4, 3, 2, 3, 3, 2),
          "T5": (4, 3, 4, 4, 3, 4, 4, 3, 3)}
CONTACTS = {"telegram": ("telegram", "5551"), "whatsapp": ("whatsapp", "+6281234500004"),
            "phone": ("phone", "+6281234500005")}


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def _file(key: str, channel: str, received: datetime, *, identity: bool = True) -> Ticket:
    extra = dict([CONTACTS[channel]]) if channel in CONTACTS else {}
    sender = Sender(name=f"Pelapor {key}", email=f"{key.lower()}@contoh.id", **extra) if identity else Sender()
    result = ingest(InboundMessage(channel=channel, external_id=f"report-data-{key}", sender=sender,
                                   received_at=received, subject=f"Pengaduan {key}",
                                   text=f"Laporan {key}: berkas izin belum diproses sesuai standar pelayanan."))
    return result.ticket


def _answer(ticket: Ticket, when: datetime) -> None:
    for target in (Status.VERIFIED, Status.IN_ANALYSIS):
        operations.change_status(ticket, target, now=when)
    operations.change_status(ticket, Status.ANSWERED, now=when)


def build() -> dict:
    """Create the history (committed); returns the tickets by key, the services and the units."""
    svc = {s.slug: s for s in db.session.scalars(select(Service))}
    a, b = svc["sertifikasi-industri-hijau"], svc["sertifikat-standar-kbli-22210"]
    u1, u2 = Unit(name="Bidang Pelayanan"), Unit(name="Tim Teknis Dinas PUPR", kind="technical")
    db.session.add_all([u1, u2])
    db.session.flush()
    plan = [  # key, channel, received, service, component, tier, unit
        ("T1", "email", at(10, 6), a, "persyaratan", "internal", u1),
        ("T2", "web", at(10, 6, 9), a, "biaya", "internal", u1),
        ("T3", "telegram", at(10, 6, 9), b, "jangka_waktu", "technical", u2),
        ("T4", "whatsapp", at(10, 13, 9), b, "jangka_waktu", "internal", u2),
        ("T5", "phone", at(10, 20, 18), a, "prosedur", "internal", u1),
        ("T6", "email", at(11, 3, 9), b, "biaya", "internal", u2),
        ("T7", "web", at(12, 8, 9), a, None, None, None),
        ("T10", "email", at(10, 7), a, None, None, None),
        ("T11", "email", at(9, 30), a, None, None, None),
        ("T12", "letter", at(10, 9), b, None, None, None),
        ("T13", "email", at(9, 1), a, None, None, None),
    ]
    t: dict[str, Ticket] = {}
    for key, channel, received, service, component, tier, unit in plan:
        ticket = t[key] = _file(key, channel, received)
        operations.classify(ticket, service_id=service.id, component=component)
        if tier:
            operations.route(ticket, tier, unit=unit, forwarded_to="Dinas PUPR" if tier == "technical" else None)
    t["T8"] = _file("T8", "web", at(10, 8), identity=False)
    t["T9"] = _file("T9", "email", at(11, 12), identity=False)
    for key in ("T8", "T9"):
        operations.change_status(t[key], Status.ACKNOWLEDGED)
    operations.pause(t["T4"], now=at(10, 14))
    operations.resume(t["T4"], now=at(10, 17))
    for key, when in (("T1", at(10, 10, 11)), ("T2", at(10, 24)), ("T3", at(10, 27)), ("T4", at(11, 3)),
                      ("T5", at(10, 21, 15)), ("T11", at(10, 2))):
        _answer(t[key], when)
    for key in ("T6", "T7", "T13"):
        operations.change_status(t[key], Status.VERIFIED)
    operations.change_status(t["T6"], Status.IN_ANALYSIS)
    t["T6"].tier = "apip"  # referred with the head's approval on 5 Nov (the event below)
    operations.change_status(t["T12"], Status.REJECTED)
    merge(t["T10"], t["T1"], user=None)
    for key, before, after, when in (("T3", 0, 1, at(10, 15)), ("T4", 0, 1, at(10, 20)), ("T4", 1, 2, at(10, 22)),
                                     ("T13", 0, 1, at(9, 10))):
        operations.record(t[key], "escalate", before, after, at=when)
    operations.record(t["T6"], "tier", "internal", "apip", at=at(11, 5))
    for i, (key, scores) in enumerate(SCORES.items()):
        submit(invitation_of(t[key]), scores, f"komentar {key}", source="web", now=at(11, 10 + i))
    for month, (na, nb) in zip((10, 11, 12), ((100, 10), (120, 10), (80, 10))):
        db.session.add_all([ServedCount(month=date(2025, month, 1), service_id=a.id, served=na),
                            ServedCount(month=date(2025, month, 1), service_id=b.id, served=nb)])
    db.session.commit()
    return {"tickets": t, "a": a, "b": b, "u1": u1, "u2": u2}


def now_utc() -> datetime:
    return NOW.astimezone(timezone.utc)
