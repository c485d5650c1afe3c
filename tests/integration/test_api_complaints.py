"""Filing a complaint through /api/v1 and reading its public status with the tracking token."""
from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from helpdesk.extensions import db
from helpdesk.tickets import operations
from helpdesk.tickets.models import Attachment, Message, Ticket
from tests.integration.api_support import complaint, key

WIB = ZoneInfo("Asia/Jakarta")


def recent() -> str:
    return (datetime.now(WIB).date() - timedelta(days=3)).isoformat()


def file(client, body=None, headers=None):
    return client.post("/api/v1/complaints", json=body if body is not None else complaint(service_received_on=recent()),
                       headers=headers if headers is not None else key())


def test_filing_opens_a_complaint_with_number_deadline_token_and_status_url(app):
    res = file(app.test_client())
    assert res.status_code == 201, res.json
    body = res.json
    assert body["number"].startswith("ADU-") and body["kind"] == "complaint"
    assert body["kind_reason"] and body["status"] == "received" and body["status_label"] == "Diterima"
    assert datetime.fromisoformat(body["due_at"]).utcoffset() == timedelta(hours=7)  # office zone
    assert body["tracking_token"] and body["status_url"].endswith(f"/api/v1/tickets/{body['number']}/status")
    ticket = db.session.scalar(select(Ticket).filter_by(number=body["number"]))
    assert ticket.channel == "api" and ticket.service.slug == "sertifikasi-industri-hijau"
    assert ticket.reporter.name == "Siti Rahma" and ticket.reporter.contact("phone") == "+6281234567890"
    message = ticket.messages[0]
    assert message.channel == "api" and json.loads(message.raw)["text"].startswith("Sertifikat")


def test_the_same_key_again_returns_the_same_ticket_without_the_token(app):
    client, headers, body = app.test_client(), key(), complaint(service_received_on=recent())
    first = file(client, body, headers)
    again = client.post("/api/v1/complaints", data=json.dumps(body, indent=2), headers=headers,
                        content_type="application/json")  # same content, other bytes
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["number"] == first.json["number"] and "tracking_token" not in again.json
    assert db.session.scalar(select(func.count(Ticket.id))) == 1
    other = file(client, complaint(text="Sesuatu yang sama sekali berbeda dari laporan pertama."), headers)
    assert other.status_code == 409 and other.json["error"] == "idempotency_key_reused"
    assert db.session.scalar(select(func.count(Ticket.id))) == 1


def test_late_and_anonymous_reports_are_suggestions_with_the_reason(app):
    late = file(app.test_client(), complaint(service_received_on=(date.today() - timedelta(days=60)).isoformat()))
    assert late.status_code == 201 and late.json["kind"] == "suggestion" and late.json["due_at"] is None
    assert "30 hari" in late.json["kind_reason"]
    anonymous = file(app.test_client(), complaint(reporter={}, service_received_on=recent()))
    assert anonymous.json["kind"] == "suggestion" and "Identitas" in anonymous.json["kind_reason"]


def test_validation_errors_list_every_field_and_write_nothing(app):
    res = file(app.test_client(), {"text": "", "reporter": {"email": "bukan-email", "phone": "abc"},
                                   "service": "tidak-ada", "colour": "red", "confidential": "ya"})
    assert res.status_code == 422 and res.json["error"] == "invalid_request"
    fields = {e["field"] for e in res.json["fields"]}
    assert {"text", "reporter.email", "reporter.phone", "colour", "confidential"} <= fields
    unknown_service = file(app.test_client(), complaint(service="tidak-ada"))
    assert unknown_service.status_code == 422 and unknown_service.json["fields"][0]["field"] == "service"
    future = file(app.test_client(), complaint(service_received_on="2999-01-01"))
    assert future.status_code == 422 and future.json["fields"][0]["field"] == "service_received_on"
    missing_key = file(app.test_client(), complaint(), headers={})
    assert missing_key.status_code == 422 and missing_key.json["fields"][0]["field"] == "Idempotency-Key"
    long_key = file(app.test_client(), complaint(), headers={"Idempotency-Key": "k" * 201})
    assert long_key.status_code == 422
    assert db.session.scalar(select(func.count(Ticket.id))) == 0


def test_malformed_json_is_a_400_and_oversized_bodies_a_413(app):
    client = app.test_client()
    for raw in (b"{not json", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b"1" * 5000):
        res = client.post("/api/v1/complaints", data=raw, headers=key(), content_type="application/json")
        assert res.status_code == 400 and res.json["error"] == "malformed_json", raw[:20]
    for body in (b"[]", b"null", b'"teks"'):
        res = client.post("/api/v1/complaints", data=body, headers=key(), content_type="application/json")
        assert res.status_code == 422
    app.config["API_MAX_BODY_BYTES"] = 2000
    try:
        res = file(client, complaint(text="panjang " * 400))
        assert res.status_code == 413 and res.json["error"] == "request_entity_too_large"
    finally:
        app.config["API_MAX_BODY_BYTES"] = 20 * 1024 * 1024
    res = file(client, complaint(text="x" * 20_001))
    assert res.status_code == 422 and res.json["fields"] == [
        {"field": "text", "message": "paling banyak 20000 karakter (at most 20000 characters)"}]


def test_hostile_text_is_stored_verbatim_and_never_breaks_the_database(app):
    hostile = ("<script>alert('x')</script> Robert'); DROP TABLE tickets;-- ' OR 1=1 -- "
               "permohonan izin saya ditolak tanpa alasan\x00\ud800 jelas")
    res = file(app.test_client(), complaint(text=hostile, subject="<img src=x onerror=alert(1)>",
                                            service_received_on=recent()))
    assert res.status_code == 201
    ticket = db.session.scalar(select(Ticket).filter_by(number=res.json["number"]))
    text = ticket.messages[0].text
    assert "<script>alert('x')</script>" in text and "DROP TABLE tickets" in text
    assert "\x00" not in text and "\ud800" not in text
    status = app.test_client().get(res.json["status_url"], headers={"X-Tracking-Token": res.json["tracking_token"]})
    assert status.headers["Content-Type"] == "application/json"
    assert status.headers["X-Content-Type-Options"] == "nosniff"


def test_attachments_are_checked_for_encoding_type_and_size(app):
    pdf = base64.b64encode(b"%PDF-1.4 surat keterangan").decode()
    ok = file(app.test_client(), complaint(attachments=[
        {"filename": "../../surat.pdf", "content_type": "application/pdf", "data": pdf}], service_received_on=recent()))
    assert ok.status_code == 201
    stored = db.session.scalar(select(Attachment))
    assert stored.filename == "surat.pdf" and stored.size == len(b"%PDF-1.4 surat keterangan")
    fake = base64.b64encode(b"MZ\x90\x00 not a png").decode()
    res = file(app.test_client(), complaint(attachments=[
        {"filename": "foto.png", "content_type": "image/png", "data": fake}]))
    assert res.status_code == 422 and res.json["fields"][0]["field"] == "attachments[0].data"
    res = file(app.test_client(), complaint(attachments=[
        {"filename": "a.exe", "content_type": "application/x-msdownload", "data": pdf}]))
    assert res.status_code == 422 and res.json["fields"][0]["field"] == "attachments[0].content_type"
    res = file(app.test_client(), complaint(attachments=[
        {"filename": "a.pdf", "content_type": "application/pdf", "data": "bukan base64!"}]))
    assert res.status_code == 422
    app.config["ATTACHMENT_MAX_BYTES"] = 10
    try:
        res = file(app.test_client(), complaint(attachments=[
            {"filename": "a.pdf", "content_type": "application/pdf", "data": pdf}]))
        assert res.status_code == 413 and res.json["fields"][0]["field"] == "attachments[0].data"
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = 10 * 1024 * 1024
    assert db.session.scalar(select(func.count(Ticket.id))) == 1


def test_public_status_needs_the_right_token_and_shows_only_public_history(app):
    filed = file(app.test_client(), complaint(service_received_on=recent())).json
    ticket = db.session.scalar(select(Ticket).filter_by(number=filed["number"]))
    operations.add_note(ticket, "Catatan internal: pelapor kerabat pejabat", user=None)
    operations.change_status(ticket, "verified", note="Berkas diverifikasi")
    db.session.commit()
    client, url = app.test_client(), filed["status_url"]
    for res in (client.get(url), client.get(url, headers={"X-Tracking-Token": "salah"}),
                client.get(url.replace(filed["number"], "ADU-1999-000001"),
                           headers={"X-Tracking-Token": filed["tracking_token"]})):
        assert res.status_code == 404 and res.json["error"] == "not_found"
    res = client.get(url + "?token=" + filed["tracking_token"])
    assert res.status_code == 200
    body = res.json
    assert body["status"] == "verified" and body["status_label"] == "Diverifikasi"
    assert [e["action"] for e in body["events"]] == ["created", "kind", "due", "status"]
    assert all("pejabat" not in m["text"] for m in body["messages"]) and len(body["messages"]) == 1
    assert "tracking_token_hash" not in json.dumps(body) and ticket.tracking_token_hash not in json.dumps(body)
    lower = client.get(url.replace(filed["number"], filed["number"].lower()),
                       headers={"X-Tracking-Token": filed["tracking_token"]})
    assert lower.status_code == 200


def test_held_messages_stay_out_of_the_public_status(app):
    filed = file(app.test_client(), complaint(service_received_on=recent())).json
    ticket = db.session.scalar(select(Ticket).filter_by(number=filed["number"]))
    db.session.add(Message(ticket_id=ticket.id, direction="inbound", channel="email", text="dari orang lain",
                           held=True, public=False))
    db.session.commit()
    res = app.test_client().get(filed["status_url"], headers={"X-Tracking-Token": filed["tracking_token"]})
    assert [m["text"] for m in res.json["messages"]] == [ticket.messages[0].text]
