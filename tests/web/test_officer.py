"""Officers: login and lockout, the queue, the ticket page and its actions, staff entry."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from helpdesk.catalog.models import Service, Unit
from helpdesk.extensions import db
from helpdesk.outbox.models import OutboxItem
from helpdesk.tickets.models import Event, Message, Ticket
from helpdesk.timeutil import utcnow
from helpdesk.triage.models import ApipRequest
from tests.web.conftest import PASSWORD, file_complaint, login, token_field


def act(client, number, action, **data):
    return client.post(f"/petugas/tiket/{number}/aksi/{action}", data=data, follow_redirects=True)


def actions_of(ticket) -> list[str]:
    return [e.action for e in db.session.scalars(db.select(Event).filter_by(ticket_id=ticket.id).order_by(Event.id))]


def test_login_logout_and_password_change(app, staff):
    client = app.test_client()
    assert client.get("/petugas/").status_code == 302
    assert login(client, "officer@kantor.go.id", "salah-sekali-ya").status_code == 401
    response = login(client, "OFFICER@kantor.go.id")
    assert response.status_code == 302 and response.headers["Location"].endswith("/petugas/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/petugas/").status_code == 200
    client.post("/sandi", data={"current": PASSWORD, "new": "sandi-baru-yang-panjang", "again": "sandi-baru-yang-panjang"})
    client.post("/keluar")
    assert client.get("/petugas/").status_code == 302
    assert login(client, "officer@kantor.go.id").status_code == 401
    assert login(client, "officer@kantor.go.id", "sandi-baru-yang-panjang").status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(app, staff):
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "officer@kantor.go.id", "salah-salah-salah")
    response = login(client, "officer@kantor.go.id")
    assert response.status_code == 401 and "dikunci" in response.get_data(as_text=True)
    staff["officer"].locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login(client, "officer@kantor.go.id").status_code == 302


def test_login_refuses_an_open_redirect(app, staff):
    client = app.test_client()
    response = client.post("/masuk?next=//evil.example/", data={"email": "officer@kantor.go.id", "password": PASSWORD})
    assert response.headers["Location"] == "/petugas/"


@pytest.mark.parametrize("target", ["/\\evil.example/", "/%09/evil.example/", "/%0a/evil.example/",
                                    "/\\/evil.example/", "https://evil.example/"])
def test_login_refuses_redirects_that_browsers_read_as_another_host(app, staff, target):
    """Browsers read a backslash as a slash and drop tabs and newlines: '/\\x' and '/\t/x' are '//x'."""
    client = app.test_client()
    response = client.post(f"/masuk?next={target}", data={"email": "officer@kantor.go.id", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/petugas/"


def test_the_queue_filters_searches_and_pages_by_keyset(app, client_for):
    for i in range(7):
        file_complaint(app.test_client(), text=f"Pengaduan nomor {i} tentang loket {'parkir' if i == 3 else 'izin'}",
                       email=f"warga{i}@contoh.id")
    file_complaint(app.test_client(), name="", email="", text="Saran agar ruang tunggu diberi kipas angin")
    officer = client_for("officer")
    app.config["QUEUE_PAGE_SIZE"] = 3
    try:
        seen, url = [], "/petugas/"
        while url:
            html = officer.get(url).get_data(as_text=True)
            seen += [n for n in re.findall(r">(ADU-\d{4}-\d{6})</a>", html)]
            nxt = re.search(r'href="([^"]+)" rel="next"', html)
            url = nxt.group(1).replace("&amp;", "&") if nxt else None
        numbers = [t.number for t in db.session.scalars(db.select(Ticket).order_by(Ticket.id.desc()))]
        assert seen == numbers  # newest first, each exactly once
    finally:
        app.config["QUEUE_PAGE_SIZE"] = 50
    html = officer.get("/petugas/?q=parkir").get_data(as_text=True)
    assert html.count(">ADU-") == 1 and "parkir" in html
    html = officer.get("/petugas/?kind=suggestion").get_data(as_text=True)
    assert "kipas angin" in html and "loket" not in html
    html = officer.get("/petugas/?sort=due&due=overdue").get_data(as_text=True)
    assert "Tidak ada tiket." in html
    assert officer.get("/petugas/?after=rusak|x&sort=due&status=nonsense").status_code == 200


def test_an_officer_classifies_routes_answers_and_the_superior_gets_the_result(app, client_for, staff):
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    unit = Unit(name="Bidang Perizinan", lead_id=staff["supervisor"].id)
    db.session.add(unit)
    db.session.commit()
    service = db.session.scalars(db.select(Service)).first()
    officer = client_for("officer")
    n = ticket.number
    act(officer, n, "classify", service=str(service.id), component="jangka_waktu")
    act(officer, n, "assign", assignee=str(staff["officer"].id))
    act(officer, n, "route", tier="internal", unit=str(unit.id))
    act(officer, n, "status", target="verified")
    act(officer, n, "status", target="in_analysis")
    act(officer, n, "analysis", core_problem="Izin terlambat", regulation_ref="SP Perizinan",
        handling_plan="klarifikasi", actions_taken="Menghubungi bidang")
    act(officer, n, "note", text="Sudah ditelepon")
    act(officer, n, "reply", text="Mohon kirim nomor berkas.")
    page = act(officer, n, "answer", text="Izin Anda telah terbit.").get_data(as_text=True)
    db.session.refresh(ticket)
    assert ticket.status == "answered" and ticket.component == "jangka_waktu" and ticket.service_id == service.id
    assert ticket.classification_confirmed and ticket.unit_id == unit.id and ticket.core_problem == "Izin terlambat"
    assert ticket.assignee_id == staff["officer"].id
    for action in ("component", "service", "assign", "tier", "status", "analysis_core_problem", "note",
                   "sent_reply", "sent_answer", "result_report"):
        assert action in actions_of(ticket), action
    outbox = {(o.kind, o.recipient) for o in db.session.scalars(db.select(OutboxItem))}
    assert ("answer", "siti@contoh.id") in outbox and ("result_report", "supervisor@kantor.go.id") in outbox
    assert "Izin Anda telah terbit." in page and "Sudah ditelepon" in page
    report = db.session.scalars(db.select(OutboxItem).filter_by(kind="result_report")).one()
    assert "Jawaban kepada pelapor:\nIzin Anda telah terbit." in report.text  # R8: the final answer, not a reply
    assert "Mohon kirim nomor berkas." not in report.text
    act(officer, n, "reply", text="Terima kasih atas konfirmasinya.")  # a message after the answer
    act(officer, n, "report", summary="laporan ulang")
    again = db.session.scalars(db.select(OutboxItem).filter_by(kind="result_report").order_by(OutboxItem.id)).all()
    assert len(again) == 2 and "Jawaban kepada pelapor:\nIzin Anda telah terbit." in again[-1].text


def test_refused_transitions_and_routes_become_messages_not_errors(app, client_for):
    file_complaint(app.test_client())
    n = db.session.scalars(db.select(Ticket)).one().number
    officer = client_for("officer")
    response = act(officer, n, "answer", text="Terlalu cepat")
    assert response.status_code == 200 and "Tidak dapat mengubah status" in response.get_data(as_text=True)
    response = act(officer, n, "route", tier="technical", forwarded_to="")
    assert "tim teknis" in response.get_data(as_text=True)
    response = act(officer, n, "kind", kind="suggestion", reason="")
    assert response.status_code == 200
    assert db.session.scalars(db.select(Ticket)).one().kind == "complaint"
    response = act(officer, n, "merge", target=n)
    assert "dirinya sendiri" in response.get_data(as_text=True)


def test_kind_change_needs_a_reason_and_is_in_the_history(app, client_for):
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    act(client_for("officer"), ticket.number, "kind", kind="suggestion", reason="Hanya usulan perbaikan")
    db.session.refresh(ticket)
    assert ticket.kind == "suggestion" and ticket.due_at is None
    assert db.session.scalars(db.select(Event).filter_by(ticket_id=ticket.id, action="kind")).all()[-1].note \
        == "Hanya usulan perbaikan"


def test_merging_a_duplicate_moves_its_messages(app, client_for):
    file_complaint(app.test_client())
    file_complaint(app.test_client(), text="Izin usaha saya belum terbit juga, ini laporan kedua.")
    first, second = db.session.scalars(db.select(Ticket).order_by(Ticket.id)).all()
    act(client_for("officer"), second.number, "merge", target=first.number)
    db.session.refresh(second)
    db.session.refresh(first)
    assert second.status == "merged" and second.merged_into_id == first.id
    assert len(first.messages) == 2 and "merged_from" in actions_of(first)


def test_apip_referral_waits_for_the_heads_approval(app, client_for):
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    act(client_for("officer"), ticket.number, "route", tier="apip", reason="Dugaan pungli",
        forwarded_to="Inspektorat")
    db.session.refresh(ticket)
    assert ticket.tier is None
    request = db.session.scalars(db.select(ApipRequest)).one()
    assert client_for("supervisor").post(f"/atasan/persetujuan-apip/{request.id}",
                                         data={"decision": "approve"}).status_code == 403
    head = client_for("head")
    assert "Dugaan pungli" in head.get("/atasan/persetujuan-apip").get_data(as_text=True)
    head.post(f"/atasan/persetujuan-apip/{request.id}", data={"decision": "approve", "note": "Setuju"})
    db.session.refresh(ticket)
    assert ticket.tier == "apip" and ticket.apip_approved_by_id is not None and ticket.forwarded_to == "Inspektorat"


def test_held_messages_wait_until_an_officer_accepts_them(app, client_for):
    from helpdesk.intake.service import ingest
    from channels.base import ThreadHints
    from tests.factories import inbound
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    result = ingest(inbound("Saya juga mau menambahkan.", channel="email", email="orang@asing.id",
                            thread=ThreadHints(ticket_number=ticket.number)))
    assert result.message.held
    act(client_for("officer"), ticket.number, "accept", message=str(result.message.id))
    message = db.session.get(Message, result.message.id)
    db.session.refresh(message)
    assert not message.held and message.public and "accept_held" in actions_of(ticket)


def test_staff_enter_a_walk_in_report_with_its_channel(app, client_for):
    officer = client_for("officer")
    token = token_field(officer.get("/petugas/catat").get_data(as_text=True))
    response = officer.post("/petugas/catat", data={
        "token": token, "channel": "walk_in", "name": "Pak Darto", "phone": "0812-1111-2222",
        "text": "Datang ke loket, berkas IMB hilang.", "received_at": "2026-03-02T09:15",
        "attachments": (io.BytesIO(b"\x89PNG\r\n\x1a\nfoto"), "foto.png")},
        content_type="multipart/form-data", follow_redirects=True)
    ticket = db.session.scalars(db.select(Ticket)).one()
    assert ticket.channel == "walk_in" and ticket.reporter.name == "Pak Darto"
    assert "entered_by" in actions_of(ticket) and "Kode rahasia" in response.get_data(as_text=True)
    assert officer.post("/petugas/catat", data={"token": token, "channel": "email", "text": "x"}).status_code == 400


def test_attachments_download_as_files_never_inline(app, client_for):
    file_complaint(app.test_client(), attachments=(io.BytesIO(b"%PDF-1.4 <script>alert(1)</script>"), "bukti.pdf"))
    message = db.session.scalars(db.select(Message)).one()
    response = client_for("officer").get(f"/petugas/lampiran/{message.attachments[0].id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.mimetype == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    raw = client_for("officer").get(f"/petugas/pesan/{message.id}/asli")
    assert raw.headers["Content-Disposition"].startswith("attachment") and b"Siti Aminah" in raw.data


def test_a_confidential_reports_files_are_refused_like_its_raw_original(app, client_for):
    """A scanned ID card or a signed letter names the reporter: same rule as the raw message."""
    file_complaint(app.test_client(), confidential="1",
                   attachments=(io.BytesIO(b"%PDF-1.4 KTP Siti Aminah"), "ktp.pdf"))
    message = db.session.scalars(db.select(Message)).one()
    url = f"/petugas/lampiran/{message.attachments[0].id}"
    assert client_for("admin").get(url).status_code == 403
    assert client_for("admin").get(f"/petugas/pesan/{message.id}/asli").status_code == 403
    assert client_for("officer").get(url).status_code == 200


def test_supervisor_sees_overdue_and_team_load_and_admin_pages_save(app, client_for, staff):
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    ticket.due_at = utcnow() - timedelta(days=1)
    ticket.assignee_id = staff["officer"].id
    db.session.commit()
    html = client_for("supervisor").get("/atasan/").get_data(as_text=True)
    assert ticket.number in html and "officer@kantor.go.id" in html
    admin = client_for("admin")
    admin.post("/admin/unit", data={"name": "Bidang A", "kind": "internal"})
    parent = db.session.scalars(db.select(Unit).filter_by(name="Bidang A")).one()
    admin.post("/admin/unit", data={"name": "Seksi B", "kind": "internal", "parent": str(parent.id)})
    child = db.session.scalars(db.select(Unit).filter_by(name="Seksi B")).one()
    admin.post("/admin/unit", data={"id": str(parent.id), "name": "Bidang A", "parent": str(child.id)})
    db.session.refresh(parent)
    assert parent.parent_id is None  # a loop is refused
    admin.post("/admin/pengguna", data={"email": "baru@kantor.go.id", "role": "officer", "password": "sandi-panjang-sekali", "active": "1"})
    admin.post("/admin/layanan", data={"name": "Izin Reklame", "active": "1"})
    admin.post("/admin/kalender", data={"day": "2026-12-24", "closed": "1", "name": "Cuti bersama tambahan"})
    from helpdesk.catalog.models import CalendarChange
    from helpdesk.users.models import User
    assert db.session.scalars(db.select(User).filter_by(email="baru@kantor.go.id")).one().role == "officer"
    assert db.session.scalars(db.select(Service).filter_by(slug="izin-reklame")).one()
    assert db.session.get(CalendarChange, __import__("datetime").date(2026, 12, 24)).closed
    from helpdesk.channels_state import record_poll, set_enabled
    set_enabled("telegram", True, "bot @kantor_bot")
    record_poll("telegram", "HTTP 502 dari server")
    html = admin.get("/admin/kanal").get_data(as_text=True)
    assert "HTTP 502 dari server" in html and "bot @kantor_bot" in html


def test_postgresql_searches_through_gin_indexes(app, backend):
    if backend != "postgresql":
        return  # SQLite searches with LIKE
    names = set(db.session.scalars(db.text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin%'")))
    assert {"ix_tickets_subject_fts", "ix_messages_text_fts"} <= names


def test_a_paused_ticket_past_its_old_due_date_is_not_overdue_anywhere(app, client_for, staff):
    """Waiting for the reporter: the queue filter and badge, the dashboard and the report leave it out."""
    from helpdesk.tickets import operations
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    ticket.assignee_id = staff["officer"].id
    operations.pause(ticket)
    ticket.due_at = utcnow() - timedelta(days=1)  # the date stored before the clock stopped has passed
    db.session.commit()
    officer = client_for("officer")
    assert "Tidak ada tiket." in officer.get("/petugas/?sort=due&due=overdue").get_data(as_text=True)
    assert 'class="badge late"' not in officer.get("/petugas/").get_data(as_text=True)
    supervisor = client_for("supervisor")
    assert ticket.number not in supervisor.get("/atasan/").get_data(as_text=True)
    report = supervisor.get("/laporan/").get_data(as_text=True)
    assert re.search(r'id="n-overdue-now">0<', report)
    operations.resume(ticket)  # the clock runs again: now it is counted (the stored date has passed)
    ticket.due_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert ticket.number in officer.get("/petugas/?sort=due&due=overdue").get_data(as_text=True)
    assert ticket.number in supervisor.get("/atasan/").get_data(as_text=True)


def test_an_admin_closure_moves_the_open_complaints_due_date(app, client_for):
    from helpdesk.office_calendar import office_calendar
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    before, cal = ticket.due_at, office_calendar()
    closed = cal.next_working_day(cal.local(ticket.clock_started_at).date())  # working day 1 of the clock
    html = client_for("admin").post("/admin/kalender", data={"day": closed.isoformat(), "closed": "1",
                                                              "name": "Banjir"}, follow_redirects=True)
    assert "Batas jawaban 1 pengaduan terbuka disesuaikan" in html.get_data(as_text=True)
    db.session.refresh(ticket)
    assert ticket.due_at > before
    assert office_calendar().working_days_between(before, ticket.due_at) == 1


def test_the_status_control_refuses_answered_or_closed_without_an_answer(app, client_for):
    file_complaint(app.test_client())
    ticket = db.session.scalars(db.select(Ticket)).one()
    officer = client_for("officer")
    act(officer, ticket.number, "status", target="verified")
    act(officer, ticket.number, "status", target="in_analysis")
    page = officer.get(f"/petugas/tiket/{ticket.number}").get_data(as_text=True)
    assert '<option value="answered">' not in page  # the answer action sets it
    html = act(officer, ticket.number, "status", target="answered").get_data(as_text=True)
    assert "hanya ditetapkan dengan mengirim jawaban akhir" in html
    html = act(officer, ticket.number, "close").get_data(as_text=True)
    assert "Pengaduan belum dijawab" in html
    db.session.refresh(ticket)
    assert ticket.status == "in_analysis" and ticket.answered_at is None
    act(officer, ticket.number, "answer", text="Izin Anda terbit hari ini.")
    act(officer, ticket.number, "close")
    db.session.refresh(ticket)
    assert ticket.status == "closed"


def test_the_admin_channel_page_says_when_the_public_address_is_missing(app, client_for, monkeypatch):
    admin = client_for("admin")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    assert "HELPDESK_PUBLIC_URL) belum diatur" in admin.get("/admin/kanal").get_data(as_text=True)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://pengaduan.kantor.go.id")
    html = admin.get("/admin/kanal").get_data(as_text=True)
    assert "belum diatur" not in html and "https://pengaduan.kantor.go.id" in html
