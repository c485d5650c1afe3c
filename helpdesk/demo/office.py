"""The demo office's structure: units and their chain, staff accounts, and who handles what."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select

from helpdesk.catalog.models import Service, Unit
from helpdesk.extensions import db
from helpdesk.survey.population import save_counts
from helpdesk.tickets.models import Ticket
from helpdesk.users.models import User

DEMO_PASSWORD = "demo-sandi-2026"
KBLI, GREEN = "sertifikat-standar-kbli-22210", "sertifikasi-industri-hijau"
HEAD_UNIT, LICENSING = "Kepala Kantor", "Bidang Pelayanan Perizinan"
CERTIFICATION = "Bidang Standardisasi dan Sertifikasi"
DESK, GENERAL = "Seksi Pengaduan dan Informasi", "Subbagian Umum dan Kepegawaian"
UNITS = [  # name, kind, parent, e-mail (where forwarded cases go)
    (HEAD_UNIT, "internal", None, None),
    (LICENSING, "internal", HEAD_UNIT, None),
    (CERTIFICATION, "internal", HEAD_UNIT, None),
    (GENERAL, "internal", HEAD_UNIT, None),
    (DESK, "internal", LICENSING, None),
    ("Tim Teknis Dinas Perindustrian", "technical", None, "timteknis.disperin@demo.go.id"),
    ("Lembaga Sertifikasi Industri Hijau", "technical", None, "lsih@demo.go.id"),
    ("Inspektorat Daerah", "apip", None, "inspektorat@demo.go.id"),
]
USERS = [  # email, name, role, unit; the first of a unit's supervisors or head leads it
    ("admin@demo.go.id", "Admin Sistem", "admin", HEAD_UNIT),
    ("kepala@demo.go.id", "Drs. Hendra Wijaya", "head", HEAD_UNIT),
    ("kabid@demo.go.id", "Sri Wahyuni, S.T.", "supervisor", LICENSING),
    ("kabid.sertifikasi@demo.go.id", "Ir. Bambang Sutrisno", "supervisor", CERTIFICATION),
    ("petugas1@demo.go.id", "Rina Marlina", "officer", DESK),
    ("petugas2@demo.go.id", "Agus Setiawan", "officer", DESK),
    ("petugas3@demo.go.id", "Dewi Anggraini", "officer", CERTIFICATION),
]
SERVICE_UNITS = {KBLI: LICENSING, GREEN: CERTIFICATION}
TECHNICAL_TEAM = {KBLI: "Tim Teknis Dinas Perindustrian", GREEN: "Lembaga Sertifikasi Industri Hijau"}
# Components the general affairs unit answers for when no service is named.
GENERAL_AFFAIRS = {"sarana_prasarana", "keamanan_keselamatan", "jumlah_pelaksana", "kompetensi_pelaksana",
                   "evaluasi_kinerja", "pengawasan_internal"}
SERVED_PER_MONTH = {KBLI: (70, 110), GREEN: (9, 16)}  # applicants served, the range of a month


class DemoRefused(RuntimeError):
    """The office is not empty: the demo only fills a fresh one."""


def refuse_unless_empty() -> None:
    emails = [u[0] for u in USERS]
    if db.session.scalar(select(exists().where(Ticket.id.is_not(None)))):
        raise DemoRefused("the office already has tickets; the demo only fills an empty office")
    if db.session.scalar(select(exists().where(User.email.in_(emails)))):
        raise DemoRefused("the demo accounts exist already; the demo only fills an empty office")


class Office:
    """The units, the staff and the services of the demo office, by name."""

    def __init__(self):
        units = {u.name: u for u in db.session.scalars(select(Unit))}
        for name, kind, parent, email in UNITS:
            if name not in units:
                units[name] = Unit(name=name, kind=kind, parent=units.get(parent), email=email)
                db.session.add(units[name])
        db.session.flush()
        self.units = units
        self.users: dict[str, User] = {}
        for email, name, role, unit in USERS:
            user = User(email=email, name=name, role=role, unit_id=units[unit].id)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            self.users[email] = user
            if role in ("head", "supervisor") and units[unit].lead_id is None:
                db.session.flush()
                units[unit].lead_id = user.id
        self.services = {s.slug: s for s in db.session.scalars(select(Service))}
        for slug, unit in SERVICE_UNITS.items():
            if slug in self.services:
                self.services[slug].unit_id = units[unit].id
        db.session.flush()

    def officers(self, service: str | None) -> list[User]:
        """Who handles complaints about a service: its unit's officers, else the complaint desk."""
        unit = self.units[SERVICE_UNITS.get(service, DESK)]
        own = [u for u in self.users.values() if u.role == "officer" and u.unit_id == unit.id]
        return own or [u for u in self.users.values() if u.role == "officer" and u.unit_id == self.units[DESK].id]

    def unit_for(self, service: str | None, component: str) -> Unit:
        """The internal unit a complaint is routed to."""
        if service in SERVICE_UNITS:
            return self.units[SERVICE_UNITS[service]]
        return self.units[GENERAL if component in GENERAL_AFFAIRS else DESK]

    def user(self, email: str) -> User:
        return self.users[email]

    def record_served(self, month: date, rng, share: float = 1.0) -> None:
        """The head enters a month's served applicants from the service register (``share``: so far)."""
        values = {(month, self.services[slug].id): round(rng.randint(*span) * min(share, 1.0))
                  for slug, span in SERVED_PER_MONTH.items() if slug in self.services}
        save_counts(values, user_email="kepala@demo.go.id")
