"""WhatsApp end to end: signed webhooks in, Graph API calls out to a loopback stand-in."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from helpdesk.catalog.models import Service
from helpdesk.chat.models import ChatSession, ChatUpdate
from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.outbox.models import OutboxItem
from helpdesk.outbox.service import deliver_pending, send_to_reporter
from helpdesk.tickets.models import Message, Ticket
from helpdesk.timeutil import utcnow
from tests.integration import whatsapp_standin as was

SECRET = "app-secret-123"
NUMBER = "6281234567890"


@pytest.fixture
def wa(app, monkeypatch):
    with was.WhatsAppStandin() as standin:
        for key, value in {"WHATSAPP_TOKEN": standin.token, "WHATSAPP_PHONE_NUMBER_ID": was.PHONE_ID,
                           "WHATSAPP_API_BASE": standin.base, "WHATSAPP_APP_SECRET": SECRET,
                           "WHATSAPP_VERIFY_TOKEN": "verify-me", "WHATSAPP_TEMPLATE_NAME": "",
                           "WHATSAPP_TEMPLATE_LANG": "id"}.items():
            monkeypatch.setitem(app.config, key, value)
        yield standin


def post(app, payload, *, secret=SECRET, body: bytes | None = None):
    body = body if body is not None else json.dumps(payload).encode()
    return app.test_client().post("/webhooks/whatsapp", data=body, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": was.sign(secret, body)})


def say(app, wa, *messages):
    before = len(wa.messages)
    for m in messages:
        assert post(app, was.webhook(NUMBER, m)).status_code == 200
    return wa.messages[before:]


def test_the_verification_handshake(app, wa):
    client = app.test_client()
    ok = client.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
    assert ok.status_code == 200 and ok.data == b"1158201444"
    assert client.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1").status_code == 403


def test_a_whole_conversation_with_buttons_and_a_list(app, wa):
    wa.media["img-1"] = (b"\xff\xd8\xff foto loket", "image/jpeg")
    svc = db.session.scalar(select(Service).order_by(Service.name))
    day = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%d")
    sent = say(app, wa, was.text("lapor"), was.text("Budi Santoso"))
    assert sent[-1]["type"] == "interactive"  # "use this number" as a reply button
    assert sent[-1]["interactive"]["action"]["buttons"][0]["reply"] == {"id": "contact", "title": "Pakai nomor ini"}
    sent = say(app, wa, was.button("contact"))
    action = sent[-1]["interactive"]["action"]
    assert sent[-1]["interactive"]["type"] == "button" and len(action["buttons"]) == 3  # 2 services + other
    sent = say(app, wa, was.button(f"svc:{svc.id}"), was.text(day),
               was.text("Petugas meminta biaya di luar tarif resmi untuk sertifikat."),
               was.text("Biaya dikembalikan"), was.media("image", "img-1", "image/jpeg"), was.button("files:done"))
    assert "Mohon periksa pengaduan Anda" in sent[-1]["interactive"]["body"]["text"]
    sent = say(app, wa, was.button("confirm:yes"))
    ticket = db.session.scalar(select(Ticket))
    assert f"Nomor tiket Anda: {ticket.number}" in sent[-1]["text"]["body"]
    assert ticket.channel == "whatsapp" and ticket.kind == "complaint" and ticket.service_id == svc.id
    assert {(c.kind, c.value) for c in ticket.reporter.contacts} == {("phone", "+" + NUMBER),
                                                                     ("whatsapp", "+" + NUMBER)}
    (att,) = ticket.messages[0].attachments
    assert att.content_type == "image/jpeg" and att.size == len(wa.media["img-1"][0])
    (status,) = [m["text"]["body"] for m in say(app, wa, was.text(f"status {ticket.number}"))]
    assert status.startswith(f"Tiket {ticket.number}: Diterima")


def test_more_than_three_choices_come_as_a_list(app, wa):
    for i in range(3):
        db.session.add(Service(slug=f"layanan-{i}", name=f"Layanan Nomor {i}"))
    db.session.commit()
    sent = say(app, wa, was.text("lapor"), was.text("Budi Santoso"), was.text("budi@contoh.id"))
    inter = sent[-1]["interactive"]
    assert inter["type"] == "list" and len(inter["action"]["sections"][0]["rows"]) == 6
    say(app, wa, was.list_reply(inter["action"]["sections"][0]["rows"][0]["id"]))
    assert db.session.scalar(select(ChatSession.state)) == "service_date"


def test_officer_replies_inside_the_window_and_a_template_outside(app, wa, monkeypatch):
    say(app, wa, was.text("lapor"), was.text("Budi Santoso"), was.button("contact"), was.button("svc:-"),
        was.text("-"), was.text("Antrean sangat panjang dan nomor antrean tidak ada."), was.text("Ada nomor"),
        was.text("selesai"), was.text("ya"))
    ticket = db.session.scalar(select(Ticket))
    send_to_reporter(ticket, "Kami sedang memeriksa antrean.")
    db.session.commit()
    assert deliver_pending(worker="w")["sent"] == 1
    assert wa.messages[-1]["type"] == "text" and wa.messages[-1]["to"] == NUMBER
    assert wa.messages[-1]["text"]["body"].endswith("Kami sedang memeriksa antrean.")
    # the reporter's answer joins the ticket
    say(app, wa, was.text("Antrean di loket 3 pada hari Senin.", wamid="wamid.ANSWER"))
    joined = db.session.scalar(select(Message).filter_by(channel="whatsapp", external_id="wamid.ANSWER"))
    assert joined.ticket_id == ticket.id
    # more than 24 hours later: without a template the send fails for good, visibly
    db.session.execute(update(ChatSession).values(last_inbound_at=utcnow() - timedelta(hours=25)))
    send_to_reporter(ticket, "Jawaban akhir")
    db.session.commit()
    assert deliver_pending(worker="w")["failed"] == 1
    assert "24-hour window" in db.session.scalars(select(OutboxItem.last_error)).all()[-1]
    monkeypatch.setitem(app.config, "WHATSAPP_TEMPLATE_NAME", "pengaduan_diperbarui")
    send_to_reporter(ticket, "Jawaban akhir")
    db.session.commit()
    assert deliver_pending(worker="w")["sent"] == 1
    tpl = wa.messages[-1]["template"]
    assert tpl["name"] == "pengaduan_diperbarui" and tpl["components"][0]["parameters"][0]["text"] == ticket.number


def test_a_wrong_signature_is_refused(app, wa):
    payload = was.webhook(NUMBER, was.text("lapor"))
    assert post(app, payload, secret="not-the-secret").status_code == 403
    body = json.dumps(payload).encode()
    resp = app.test_client().post("/webhooks/whatsapp", data=body, headers={"Content-Type": "application/json"})
    assert resp.status_code == 403 and wa.messages == []
    for junk in ("sha256=\u00e9t\u00e9", "sha256=" + "\u00ff" * 64):  # not hex, not even ASCII: refused, no 500
        resp = app.test_client().post("/webhooks/whatsapp", data=body, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": junk})
        assert resp.status_code == 403, junk


def test_bad_inputs_answer_or_are_kept_never_crash(app, wa):
    assert post(app, None, body=b"{not json").status_code == 400
    assert post(app, {"object": "x"}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(QuarantineItem)) == 2
    far = was.webhook(NUMBER, was.text("lapor"))
    far["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(10 ** 20)
    assert post(app, far).status_code == 400  # kept in the quarantine, not a 500
    assert db.session.scalar(select(func.count()).select_from(QuarantineItem)) == 3
    assert post(app, was.statuses("wamid.OUT1")).status_code == 200 and wa.messages == []
    sticker = {"id": "wamid.ST", "type": "sticker", "sticker": {"id": "st1", "mime_type": "image/webp"}}
    location = {"id": "wamid.LOC", "type": "location", "location": {"latitude": -6.2, "longitude": 106.8}}
    voice = {"id": "wamid.VO", "type": "audio", "audio": {"id": "au1", "mime_type": "audio/ogg", "voice": True}}
    texts = [m["text"]["body"] for m in say(app, wa, sticker, location, voice)]
    assert texts == ["Maaf, jenis pesan ini tidak dapat kami proses. Kirim teks, foto, atau dokumen."] * 3
    assert say(app, wa, was.text("halo")) and wa.texts()[-1].startswith("Anda belum memiliki tiket")


def test_an_oversized_file_is_refused_at_once(app, wa, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1000)
    wa.media["big-1"] = (b"x" * 5000, "application/pdf")
    say(app, wa, was.text("lapor"), was.text("Budi Santoso"), was.button("contact"), was.button("svc:-"),
        was.text("-"), was.text("Antrean sangat panjang dan nomor antrean tidak ada."), was.text("Ada nomor"))
    (reply,) = say(app, wa, was.media("document", "big-1", "application/pdf", filename="besar.pdf"))
    assert reply["text"]["body"] == "Berkas besar.pdf terlalu besar (5000 bita; batas 1000 bita) dan tidak disimpan."


def test_a_flood_from_one_number_is_rate_limited(app, wa, monkeypatch):
    monkeypatch.setitem(app.config, "CHAT_RATE_LIMIT", 2)
    say(app, wa, *[was.text("mulai") for _ in range(5)])
    assert len(wa.messages) == 3 and wa.texts()[-1].startswith("Terlalu banyak pesan")


def test_a_retried_webhook_is_taken_in_once(app, wa):
    payload = was.webhook(NUMBER, was.text("lapor", wamid="wamid.SAME"))
    assert post(app, payload).status_code == 200
    assert post(app, payload).status_code == 200
    assert wa.texts() == ["Siapa nama lengkap Anda?"]


def test_a_failed_reply_is_kept_and_sent_once_later(app, wa):
    from helpdesk.chat.jobs import send_pending_chat_replies

    wa.fail = 1
    payload = was.webhook(NUMBER, was.text("lapor", wamid="wamid.RETRY"))
    resp = post(app, payload)
    assert resp.status_code == 200 and resp.json["result"] == "replies pending"
    assert wa.messages == [] and db.session.scalar(select(ChatSession.state)) == "name"
    assert post(app, payload).status_code == 200  # Meta retries: the pending answer goes out once
    assert send_pending_chat_replies() == {"telegram": "off", "whatsapp": "ok"}
    assert wa.texts() == ["Siapa nama lengkap Anda?"]


def test_a_number_the_platform_refuses_does_not_hold_up_the_others(app, wa):
    """A reply refused for good (4xx) is given up, not retried ahead of every later answer."""
    wa.refuse.add("6289999999999")
    assert post(app, was.webhook("6289999999999", was.text("lapor"))).status_code == 200
    assert say(app, wa, was.text("lapor"))  # another reporter is answered at once
    assert wa.texts() == ["Siapa nama lengkap Anda?"]
    refused = db.session.scalar(select(ChatUpdate).filter_by(chat_id="6289999999999"))
    assert refused.replies_sent and "not delivered" in refused.outcome
