"""The citizen's side: filing, the receipt, the status page, adding information, confirming, statistics."""
from __future__ import annotations

import io
from datetime import date, timedelta

from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.outbox.service import send_to_reporter
from helpdesk.tickets import operations
from helpdesk.tickets.models import Attachment, Message, Ticket
from tests.web.conftest import file_complaint, receipt_link, ticket_number, token_field


def test_a_complaint_with_an_attachment_gets_a_receipt_with_number_kind_due_date_and_secret_link(app):
    client = app.test_client()
    response = file_complaint(client, attachments=(io.BytesIO(b"%PDF-1.4 bukti"), "bukti.pdf"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    ticket = db.session.scalars(db.select(Ticket)).one()
    assert ticket.channel == "web" and ticket.kind == "complaint" and ticket.due_at is not None
    assert ticket.number in html and "Pengaduan" in html and 'id="due"' in html
    link = receipt_link(html)
    assert "/status/" + ticket.number + "?t=" in link
    assert ticket.tracking_token_hash not in html  # only the secret, never its hash
    assert [a.filename for a in db.session.scalars(db.select(Attachment))] == ["bukti.pdf"]
    assert ticket.messages[0].raw and b"Siti Aminah" in ticket.messages[0].raw


def test_a_report_without_identity_is_a_suggestion_and_the_receipt_says_why(app):
    html = file_complaint(app.test_client(), name="", email="").get_data(as_text=True)
    assert "Saran/masukan" in html and "Identitas pelapor tidak dicantumkan" in html
    assert 'id="due"' not in html


def test_a_late_complaint_is_a_suggestion(app):
    html = file_complaint(app.test_client(), service_date=(date.today() - timedelta(days=60)).isoformat())
    assert "lebih dari 30 hari" in html.get_data(as_text=True)


def test_a_double_submit_gives_one_ticket_and_the_same_receipt(app):
    client = app.test_client()
    token = token_field(client.get("/lapor").get_data(as_text=True))
    first = file_complaint(client, token=token)
    second = file_complaint(client, token=token)
    assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 1
    assert ticket_number(first.get_data(as_text=True)) == ticket_number(second.get_data(as_text=True))
    assert second.status_code == 200


def test_the_honeypot_sends_the_report_to_quarantine_not_to_the_queue(app):
    response = file_complaint(app.test_client(), website="http://spam.example")
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 0
    assert "honeypot" in db.session.scalars(db.select(QuarantineItem)).one().reason


def test_missing_consent_and_text_are_refused_with_the_reasons(app):
    response = file_complaint(app.test_client(), consent="", text="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Persetujuan pemrosesan data pribadi" in html and "Ceritakan apa yang terjadi" in html
    assert db.session.scalar(db.select(db.func.count(Ticket.id))) == 0


def test_the_receipt_is_not_shown_to_another_visitor(app):
    number = ticket_number(file_complaint(app.test_client()).get_data(as_text=True))
    assert app.test_client().get(f"/lapor/tanda-terima/{number}").status_code == 404


def test_the_status_page_needs_the_secret_or_the_contact(app):
    link = receipt_link(file_complaint(app.test_client()).get_data(as_text=True))
    number = ticket_number(link)
    stranger = app.test_client()
    assert stranger.get(f"/status/{number}").status_code == 404
    assert stranger.get(f"/status/{number}?t=wrong-secret-value").status_code == 404
    assert stranger.post("/status", data={"number": number, "secret": "orang@lain.id"}).status_code == 404
    by_contact = app.test_client()
    assert by_contact.post("/status", data={"number": number, "secret": "SITI@contoh.id"}).status_code == 303
    assert "Diterima" in by_contact.get(f"/status/{number}").get_data(as_text=True)
    by_link = app.test_client()
    assert by_link.get(link).status_code == 303
    assert number in by_link.get(f"/status/{number}").get_data(as_text=True)


def test_the_reporter_adds_information_then_sees_the_answer_and_reopens_then_confirms(app):
    client = app.test_client()
    link = receipt_link(file_complaint(client, email="", phone="0812 3456 7890").get_data(as_text=True))
    number = ticket_number(link)
    client.get(link)
    page = client.get(f"/status/{number}").get_data(as_text=True)
    client.post(f"/status/{number}/tambah", data={"text": "Nomor berkas saya 123/ABC.", "token": token_field(page)})
    ticket = db.session.scalar(db.select(Ticket).filter_by(number=number))
    added = db.session.scalars(db.select(Message).filter_by(ticket_id=ticket.id).order_by(Message.id)).all()[-1]
    assert added.text == "Nomor berkas saya 123/ABC." and not added.held and added.public
    for status in ("verified", "in_analysis"):
        operations.change_status(ticket, status)
    send_to_reporter(ticket, "Izin Anda telah terbit hari ini.", kind="answer")
    operations.change_status(ticket, "answered")
    db.session.commit()
    html = client.get(f"/status/{number}").get_data(as_text=True)
    assert "Izin Anda telah terbit hari ini." in html and "Dijawab" in html
    client.post(f"/status/{number}/tanggapan", data={"choice": "reopen", "reason": ""})
    db.session.refresh(ticket)
    assert ticket.status == "answered"  # a reopen needs a reason
    client.post(f"/status/{number}/tanggapan", data={"choice": "reopen", "reason": "Izin belum saya terima."})
    db.session.refresh(ticket)
    assert ticket.status == "reopened"
    operations.change_status(ticket, "answered")
    db.session.commit()
    client.post(f"/status/{number}/tanggapan", data={"choice": "confirm"})
    db.session.refresh(ticket)
    assert ticket.status == "closed"


def test_internal_notes_never_reach_the_status_page(app, staff):
    client = app.test_client()
    link = receipt_link(file_complaint(client).get_data(as_text=True))
    ticket = db.session.scalars(db.select(Ticket)).one()
    operations.add_note(ticket, "Catatan rahasia internal", user=staff["officer"])
    db.session.commit()
    client.get(link)
    assert "Catatan rahasia internal" not in client.get(f"/status/{ticket.number}").get_data(as_text=True)


def test_statistics_count_without_personal_data_and_channels_come_from_settings(app):
    file_complaint(app.test_client())
    file_complaint(app.test_client(), name="", email="")
    html = app.test_client().get("/statistik").get_data(as_text=True)
    assert "siti@contoh.id" not in html and "Siti" not in html
    assert "web" in html and ">2<" in html
    app.config["COMPLAINT_CHANNELS"] = "Telepon: (0264) 123456\nSurat: Jl. Veteran 1"
    html = app.test_client().get("/kanal-pengaduan").get_data(as_text=True)
    assert "(0264) 123456" in html and "Jl. Veteran 1" in html


def test_english_is_available_through_the_language_switch(app):
    client = app.test_client()
    assert 'lang="id"' in client.get("/lapor").get_data(as_text=True)
    response = client.get("/bahasa/en?next=/lapor")
    assert response.headers["Location"] == "/lapor"
    html = client.get("/lapor").get_data(as_text=True)
    assert '<html lang="en">' in html and "Complaint form" in html
    assert client.get("/bahasa/en?next=//evil.example").headers["Location"] == "/"
    for target in ("/\\evil.example", "/%09/evil.example", "/%0d%0a/evil.example"):  # browsers read '//evil'
        response = client.get(f"/bahasa/en?next={target}")
        assert response.status_code == 302 and response.headers["Location"] == "/", target


def test_many_reports_from_one_browser_keep_the_session_cookie_small(app):
    client = app.test_client()
    for i in range(8):
        response = file_complaint(client, text=f"Laporan nomor {i} tentang antrean loket yang panjang.")
        assert response.status_code == 200
    with client.session_transaction() as session:
        assert len(session["receipts"]) == 5
    assert len(client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value) < 1500


def test_a_merged_report_shows_the_ticket_it_was_merged_into(app, staff):
    from helpdesk.triage.operations import merge
    file_complaint(app.test_client(), text="Laporan pertama tentang izin usaha yang terlambat terbit.")
    client = app.test_client()
    link = receipt_link(file_complaint(client).get_data(as_text=True))
    first, second = db.session.scalars(db.select(Ticket).order_by(Ticket.id)).all()
    merge(second, first, user=staff["officer"])
    db.session.commit()
    client.get(link)
    html = client.get(f"/status/{second.number}").get_data(as_text=True)
    assert first.number in html
    page = client.get(f"/status/{second.number}").get_data(as_text=True)
    response = client.post(f"/status/{first.number}/tambah", data={"text": "Tambahan", "token": token_field(page)})
    assert response.status_code == 303


def test_a_report_merged_into_someone_elses_shows_its_state_not_their_conversation(app, staff):
    from helpdesk.triage.operations import merge
    file_complaint(app.test_client(), name="Budi Santoso", email="budi@contoh.id",
                   text="Rahasia Budi: izin usaha saya terlambat terbit, sudah dua bulan menunggu.")
    client = app.test_client()
    link = receipt_link(file_complaint(client).get_data(as_text=True))  # Siti Aminah, another reporter
    first, second = db.session.scalars(db.select(Ticket).order_by(Ticket.id)).all()
    assert first.reporter_id != second.reporter_id
    merge(second, first, user=staff["officer"])
    db.session.commit()
    client.get(link)
    html = client.get(f"/status/{second.number}").get_data(as_text=True)
    assert first.number in html and 'id="merged-into"' in html
    assert "Rahasia Budi" not in html and "budi@contoh.id" not in html
    assert client.get(f"/status/{first.number}").status_code == 404  # no access to the other report
    assert client.post(f"/status/{first.number}/tambah", data={"text": "x", "token": "t" * 20}).status_code == 404
