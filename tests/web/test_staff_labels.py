"""Staff pages speak the visitor's language: job descriptions and schedules, history actions and values, codes."""
from __future__ import annotations

import re
from pathlib import Path

from helpdesk.catalog.models import Service, Unit
from helpdesk.extensions import db
from helpdesk.jobs import PERIODIC_JOBS
from helpdesk.scheduler.labels import DESCRIPTIONS
from helpdesk.triage.operations import ANALYSIS_FIELDS
from helpdesk.web.setup import EVENT_LABELS, event_value, value_label
from tests.web.conftest import file_complaint

ROOT = Path(__file__).resolve().parents[2]


def _row(page: str, job_id: str) -> str:
    return re.search(rf'<tr id="job-{re.escape(job_id)}">(.*?)</tr>', page, re.S).group(1)


def test_every_job_is_described_with_a_human_schedule_in_both_languages(app, client_for):
    assert set(PERIODIC_JOBS) <= set(DESCRIPTIONS)  # a new job brings its Indonesian description
    admin = client_for("admin")
    page = admin.get("/admin/penjadwal").get_data(as_text=True)
    assert "tiap 60 detik" in _row(page, "sla-sweep") and "tiap 15 menit" in _row(page, "morning-digest")
    assert "setiap hari pukul 01.15" in _row(page, "reminders-resync")
    assert "Mengirim pengingat yang jatuh tempo" in _row(page, "sla-sweep")
    assert "every " not in page and "cron " not in page and "send due reminders" not in page
    admin.get("/bahasa/en")
    page = admin.get("/admin/penjadwal").get_data(as_text=True)
    assert "every 60 seconds" in _row(page, "sla-sweep") and "every 15 minutes" in _row(page, "morning-digest")
    assert "daily at 02:30" in _row(page, "retrain-classifier")
    assert "Sends the reminders that are due" in _row(page, "sla-sweep")


def test_every_recorded_action_has_words():
    """Each action the code records (literal, and the families built from a kind or a field) has a label."""
    source = "\n".join(p.read_text() for p in (ROOT / "helpdesk").rglob("*.py"))
    literal = set(re.findall(r"record\([^,()]+, \"([a-z_]+)\"", source))
    built = {f"sent_{k}" for k in ("ack", "answer", "reply")} | {f"analysis_{f}" for f in ANALYSIS_FIELDS}
    intake = {"reply", "held_message", "auto_reply", "delivery_failure"}  # helpdesk/intake/service.py
    assert {"assign", "tier", "escalate", "sla_reminder", "apip_requested"} <= literal
    assert literal | built | intake <= set(EVENT_LABELS)


def test_values_and_actors_in_words(app):
    service = db.session.scalars(db.select(Service)).first()
    with app.test_request_context():
        from flask import g
        g.lang = "id"
        assert value_label("answer_wd7", "reminder") == "jawaban, hari kerja ke-7"
        assert event_value("answer_wd12,answer_due", "sla_reminder") == \
            "jawaban, hari kerja ke-12, hari tenggat jawaban"
        assert event_value("escalate_head", "sla_escalation") == "naik ke Kepala Kantor"
        assert event_value("2026-11-20T09:00:00+00:00", "due") == "20-11-2026 16:00"
        assert event_value("email:budi@contoh.id", "sent_answer") == "e-mail budi@contoh.id"
        assert event_value("web", "sent_answer") == "halaman status"
        assert event_value("biaya", "component") == "Biaya/tarif"
        assert event_value(str(service.id), "service") == service.name
        assert event_value("walk_in", "entered_by") == "datang langsung"
        assert [value_label(a, "actor") for a in ("system", "classifier", "email", "budi@kantor.go.id")] == \
            ["sistem", "klasifikasi otomatis", "e-mail", "budi@kantor.go.id"]
        g.lang = "en"
        assert value_label("answer_wd7", "reminder") == "answer, working day 7"
        assert event_value("biaya", "component") == "Fees/tariffs (incl. illegal levies)"
        assert value_label("head", "role") == "head of office"


def test_the_staff_history_shows_no_action_codes(app, client_for, staff):
    file_complaint(app.test_client())
    from helpdesk.tickets.models import Ticket
    ticket = db.session.scalars(db.select(Ticket)).one()
    unit = Unit(name="Bidang Perizinan")
    db.session.add(unit)
    db.session.commit()
    officer = client_for("officer")
    page = f"/petugas/tiket/{ticket.number}"
    officer.post(f"{page}/aksi/assign", data={"assignee": str(staff["officer"].id)})
    officer.post(f"{page}/aksi/classify", data={"component": "jangka_waktu"})
    officer.post(f"{page}/aksi/route", data={"tier": "internal", "unit": str(unit.id)})
    officer.post(f"{page}/aksi/escalate", data={"note": "perlu keputusan"})
    html = officer.get(page).get_data(as_text=True)
    history = re.search(r'<ol id="history">(.*?)</ol>', html, re.S).group(1)
    for code in ("assign", "component", "classification_confirmed", "tier", "escalate", "system", "jangka_waktu"):
        assert not re.search(rf"\b{code}\b", history), code
    assert "Ditugaskan kepada petugas" in history and "Jangka waktu penyelesaian" in history
    assert "Pelaksana → Kepala Kantor" in history and "sistem" in history  # a unit without a parent: its head is next


def test_admin_tables_name_kinds_and_roles(app, client_for, staff):
    db.session.add(Unit(name="Tim Teknis Dinas PUPR", kind="technical"))
    db.session.commit()
    admin = client_for("admin")
    units = admin.get("/admin/unit").get_data(as_text=True)
    assert "<td>tim teknis / instansi lain</td>" in units and "<td>technical</td>" not in units
    assert '<option value="apip">APIP</option>' in units
    users = admin.get("/admin/pengguna").get_data(as_text=True)
    assert "<td>kepala kantor</td>" in users and "<td>head</td>" not in users and "<td>True</td>" not in users
    admin.get("/bahasa/en")
    assert "<td>technical team / other agency</td>" in admin.get("/admin/unit").get_data(as_text=True)


def test_public_statistics_name_channels_and_kinds(app):
    file_complaint(app.test_client())
    page = app.test_client().get("/statistik").get_data(as_text=True)
    assert "formulir web" in page and "pengaduan" in page
    assert not re.search(r'<th scope="row">(web|complaint)</th>', page)
