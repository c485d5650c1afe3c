"""A small realistic office for trying the helpdesk out (``flask --app wsgi demo``)."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from channels.base import InboundMessage, Sender
from helpdesk.catalog.models import Service, Unit
from helpdesk.catalog.seed import seed_reference_data
from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.rules.lifecycle import Status
from helpdesk.tickets import operations
from helpdesk.users.models import User

DEMO_PASSWORD = "demo-sandi-2026"
UNITS = [  # name, kind, parent
    ("Kepala Kantor", "internal", None),
    ("Bidang Pelayanan Perizinan", "internal", "Kepala Kantor"),
    ("Seksi Pengaduan dan Informasi", "internal", "Bidang Pelayanan Perizinan"),
    ("Tim Teknis Dinas PUPR", "technical", None),
    ("Inspektorat Daerah", "apip", None),
]
USERS = [  # email, name, role, unit
    ("admin@demo.go.id", "Admin Sistem", "admin", "Kepala Kantor"),
    ("kepala@demo.go.id", "Drs. Hendra Wijaya", "head", "Kepala Kantor"),
    ("kabid@demo.go.id", "Sri Wahyuni, S.T.", "supervisor", "Bidang Pelayanan Perizinan"),
    ("petugas1@demo.go.id", "Rina Marlina", "officer", "Seksi Pengaduan dan Informasi"),
    ("petugas2@demo.go.id", "Agus Setiawan", "officer", "Seksi Pengaduan dan Informasi"),
]
REPORTS = [
    ("Berkas sertifikat standar belum diproses", "Sudah 3 minggu berkas sertifikat standar KBLI 22210 kami "
     "belum ada kabar, padahal di standar pelayanan 7 hari kerja.", "sertifikat-standar-kbli-22210"),
    ("Diminta biaya tambahan", "Petugas loket meminta uang Rp500.000 agar berkas cepat diproses. "
     "Bukankah layanan ini gratis?", "sertifikat-standar-kbli-22210"),
    ("Persyaratan tidak jelas", "Daftar persyaratan sertifikasi industri hijau di website berbeda dengan "
     "yang diminta auditor, mohon kejelasan.", "sertifikasi-industri-hijau"),
    ("Petugas tidak ramah", "Saat konsultasi di ruang layanan, petugas menjawab dengan ketus dan tidak "
     "menjelaskan prosedur audit tahap 1.", "sertifikasi-industri-hijau"),
    ("AC ruang tunggu mati", "Ruang tunggu pelayanan sangat panas, AC mati dan antrian panjang.", None),
    ("Sertifikat salah ketik", "Nama perusahaan di sertifikat salah ketik, mohon diperbaiki segera.",
     "sertifikasi-industri-hijau"),
    ("Aplikasi perizinan error", "Aplikasi OSS tidak bisa upload dokumen lingkungan sejak kemarin, "
     "selalu gagal di tahap akhir.", "sertifikat-standar-kbli-22210"),
]
NAMES = ["Budi Santoso", "Siti Aminah", "Dewi Lestari", "Andi Pratama", "Yusuf Hidayat", "Maya Sari",
         "Rudi Hartono", "Nur Aisyah", "Teguh Prasetyo", "Lina Marlina"]
CHANNELS = ["email", "telegram", "whatsapp", "web", "phone", "letter", "walk_in", "box"]


def seed_demo(count: int = 40, *, seed: int = 7, now: datetime | None = None) -> dict:
    """Create the demo office; safe to run twice (existing rows are kept)."""
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    seed_reference_data()
    units = _units()
    users = _users(units)
    services = {s.slug: s for s in db.session.scalars(select(Service))}
    for s in services.values():
        s.unit_id = s.unit_id or units["Bidang Pelayanan Perizinan"].id
    officers = [u for u in users.values() if u.role == "officer"]
    created = 0
    for i in range(count):
        subject, text, slug = rng.choice(REPORTS)
        name = rng.choice(NAMES)
        channel = CHANNELS[i % len(CHANNELS)]
        received = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8))
        anonymous = i % 13 == 5
        sender = Sender(name=None if anonymous else name,
                        email=None if anonymous else f"{name.split()[0].lower()}{i}@contoh.id",
                        phone=None if anonymous else f"0812{rng.randint(10_000_000, 99_999_999)}")
        served = (received - timedelta(days=rng.choice([2, 5, 10, 35]))).date()
        result = ingest(InboundMessage(
            channel=channel, external_id=f"demo-{seed}-{i}", sender=sender, received_at=received,
            subject=subject, text=text, service_slug=slug, service_received_on=served))
        if not result.created:
            continue
        created += 1
        _advance(result.ticket, rng, officers, services, received)
    db.session.commit()
    return {"tickets_created": created, "users": sorted(users), "password": DEMO_PASSWORD}


def _units() -> dict[str, Unit]:
    units = {u.name: u for u in db.session.scalars(select(Unit))}
    for name, kind, parent in UNITS:
        if name not in units:
            units[name] = Unit(name=name, kind=kind, parent=units.get(parent))
            db.session.add(units[name])
    db.session.flush()
    return units


def _users(units: dict[str, Unit]) -> dict[str, User]:
    users = {u.email: u for u in db.session.scalars(select(User))}
    for email, name, role, unit in USERS:
        if email not in users:
            user = User(email=email, name=name, role=role, unit_id=units[unit].id)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            users[email] = user
    db.session.flush()
    units["Kepala Kantor"].lead_id = users["kepala@demo.go.id"].id
    units["Bidang Pelayanan Perizinan"].lead_id = users["kabid@demo.go.id"].id
    return users


def _advance(ticket, rng: random.Random, officers, services, received: datetime) -> None:
    """Walk a ticket part of the way along its lifecycle, as officers would."""
    if ticket.kind != "complaint":
        return
    steps = [Status.VERIFIED, Status.IN_ANALYSIS, Status.IN_FOLLOW_UP, Status.ANSWERED, Status.CLOSED]
    officer = rng.choice(officers)
    at = received
    for status in steps[: rng.randint(0, len(steps))]:
        at = at + timedelta(days=rng.randint(0, 3))
        if status == Status.VERIFIED:
            operations.assign(ticket, officer, user=officer)
            operations.classify(ticket, service_id=ticket.service_id,
                                component=rng.choice(["jangka_waktu", "biaya", "persyaratan",
                                                      "kompetensi_pelaksana", "sarana_prasarana"]),
                                user=officer)
        if status == Status.IN_ANALYSIS:
            operations.route(ticket, "internal", user=officer, unit=officer.unit)
        operations.change_status(ticket, status, user=officer, now=min(at, datetime.now(timezone.utc)))
