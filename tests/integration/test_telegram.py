"""Telegram end to end: the real python-telegram-bot against a loopback Bot API stand-in."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from telegram import Update

from channels.telegram import runtime as tg_runtime
from helpdesk.catalog.models import Service
from helpdesk.chat import service as chat_service
from helpdesk.chat import telegram as chat_tg
from helpdesk.chat.models import ChatUpdate
from helpdesk.extensions import db
from helpdesk.intake.models import QuarantineItem
from helpdesk.outbox.service import deliver_pending, send_to_reporter
from helpdesk.tickets.models import Message, Ticket
from helpdesk.timeutil import utcnow
from tests.integration import telegram_standin as tgs

CHAT = 5551


@pytest.fixture
def tg(app, monkeypatch):
    with tgs.TelegramStandin() as standin:
        monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", standin.token)
        monkeypatch.setitem(app.config, "TELEGRAM_API_BASE", standin.base)
        monkeypatch.setitem(app.config, "TELEGRAM_MODE", "polling")
        monkeypatch.setitem(app.config, "TELEGRAM_WEBHOOK_SECRET", "s3cret-token")
        monkeypatch.setattr(chat_tg, "POLL_TIMEOUT", 0)
        yield standin
        tg_runtime.stop_all()


def poll(tg, *updates):
    before = len(tg.sent())
    tg.push(*updates)
    result = chat_tg.poll_telegram()
    assert "error" not in result, result
    return [m["text"] for m in tg.sent()[before:]]


def file_in(tg, file_id, data):
    tg.files[file_id] = data
    return len(data)


def file_a_complaint(tg, chat=CHAT, first_id=1):
    """The whole guided conversation; returns the texts the bot sent."""
    svc = db.session.scalar(select(Service).order_by(Service.name))
    day = (utcnow() - timedelta(days=3)).strftime("%d-%m-%Y")
    size = file_in(tg, "pdf1", b"%PDF-1.4 surat pengantar")
    psize = file_in(tg, "ph1", b"\xff\xd8\xff jpeg bytes")
    steps = [tgs.text(0, chat, "/start"), tgs.text(0, chat, "/lapor"), tgs.text(0, chat, "Budi Santoso"),
             tgs.contact(0, chat, "+62 812-3456-7890"), tgs.choice(0, chat, f"svc:{svc.id}"),
             tgs.text(0, chat, day),
             tgs.text(0, chat, "Berkas izin saya sudah tiga minggu belum diproses oleh petugas loket."),
             tgs.text(0, chat, "Berkas diproses minggu ini"), tgs.document(0, chat, "pdf1", "surat.pdf", size),
             tgs.photo(0, chat, "ph1", psize), tgs.choice(0, chat, "files:done"), tgs.choice(0, chat, "confirm:yes")]
    for i, update in enumerate(steps):
        update["update_id"] = first_id + i
    return poll(tg, *steps)


def test_a_whole_conversation_from_start_to_the_ticket_number(app, tg):
    texts = file_a_complaint(tg)
    ticket = db.session.scalar(select(Ticket))
    assert texts[0].startswith("Selamat datang") and "/lapor" in texts[0]
    assert texts[1] == "Siapa nama lengkap Anda?"
    assert f"Nomor tiket Anda: {ticket.number}" in texts[-1]
    assert "pengaduan" in texts[-1] and "Batas waktu jawaban" in texts[-1]
    assert "Mohon periksa pengaduan Anda" in texts[-2] and "surat.pdf" in texts[-2]
    # the contact question offers Telegram's share-contact button; services come as buttons
    contact_q = tg.sent()[2]
    assert json.loads(contact_q["reply_markup"])["keyboard"][0][0]["request_contact"] is True
    service_buttons = json.loads(tg.sent()[3]["reply_markup"])["inline_keyboard"]
    assert {row[0]["text"] for row in service_buttons} >= {s.name[:64] for s in db.session.scalars(select(Service))}
    assert ticket.channel == "telegram" and ticket.kind == "complaint" and ticket.service_id is not None
    assert ticket.expected_outcome == "Berkas diproses minggu ini" and ticket.service_received_on is not None
    assert {(c.kind, c.value) for c in ticket.reporter.contacts} == {("telegram", str(CHAT)),
                                                                     ("phone", "+6281234567890")}
    (msg,) = ticket.messages
    assert sorted(a.filename for a in msg.attachments) == ["foto-uph1.jpg", "surat.pdf"]
    assert len(tg.calls_of("getFile")) == 2 and len(tg.calls_of("answerCallbackQuery")) == 3


def test_status_shows_only_the_reporters_own_ticket(app, tg):
    file_a_complaint(tg)
    number = db.session.scalar(select(Ticket.number))
    (own,) = poll(tg, tgs.text(100, CHAT, f"/status {number.lower()}"))
    assert own.startswith(f"Tiket {number}: Diterima") and "Jenis laporan: pengaduan" in own
    (other,) = poll(tg, tgs.text(101, 7777, f"/status {number}"))
    assert other == f"Tiket {number} tidak ditemukan di antara tiket Anda."
    assert poll(tg, tgs.text(102, CHAT, "/status")) == ["Tulis: /status NOMOR, mis. /status ADU-2026-000123"]


def test_officer_reply_reaches_the_chat_and_the_answer_comes_back(app, tg):
    file_a_complaint(tg)
    ticket = db.session.scalar(select(Ticket))
    send_to_reporter(ticket, "Mohon kirimkan nomor berkas Anda.")
    db.session.commit()
    assert deliver_pending(worker="w1")["sent"] == 1
    last = tg.sent(CHAT)[-1]
    assert last["text"] == f"[{ticket.number}]\nMohon kirimkan nomor berkas Anda."
    (ack,) = poll(tg, tgs.text(200, CHAT, "Nomor berkas saya 12345"))
    assert ack == f"Pesan Anda ditambahkan ke tiket {ticket.number}."
    reply = db.session.scalar(select(Message).filter_by(channel="telegram", external_id="200"))
    assert reply.ticket_id == ticket.id and reply.direction == "inbound" and not reply.held


def test_a_crash_mid_poll_loses_and_doubles_nothing(app, tg, monkeypatch):
    real = chat_tg.handle_update
    crash = {"at": 3}

    def crashing(update):
        if update.update_id == crash["at"]:
            raise RuntimeError("worker killed")
        return real(update)

    monkeypatch.setattr(chat_tg, "handle_update", crashing)
    tg.push(*[tgs.text(i, CHAT, body) for i, body in ((1, "/lapor"), (2, "Budi Santoso"), (3, "budi@contoh.id"))])
    assert "worker killed" in chat_tg.poll_telegram()["error"]
    assert [m["text"][:16] for m in tg.sent()] == ["Siapa nama lengk", "Bagaimana kami m"]
    monkeypatch.setattr(chat_tg, "handle_update", real)
    assert chat_tg.poll_telegram() == {"updates": 1}  # only update 3: 1 and 2 were confirmed
    assert tg.calls_of("getUpdates")[-1]["offset"] == "3"
    assert tg.sent()[-1]["text"].startswith("Layanan apa")
    # Telegram re-delivers update 3 (e.g. the offset was never confirmed): nothing happens twice.
    assert chat_tg.handle_update(Update.de_json(tgs.text(3, CHAT, "budi@contoh.id"), chat_tg.runtime().bot))
    assert len(tg.sent()) == 3
    assert db.session.scalar(select(func.count()).select_from(ChatUpdate)) == 3


def test_a_crash_between_intake_and_the_conversation_commit_opens_one_ticket(app, tg, monkeypatch):
    real_finish, crashed = chat_service._finish, []

    def finish(inbound, replies, outcome):
        if outcome == "submit" and not crashed:
            crashed.append(inbound.key)
            raise RuntimeError("power cut")
        return real_finish(inbound, replies, outcome)

    monkeypatch.setattr(chat_service, "_finish", finish)
    svc = db.session.scalar(select(Service))
    updates = [tgs.text(0, CHAT, "/lapor"), tgs.text(0, CHAT, "Budi Santoso"), tgs.text(0, CHAT, "budi@contoh.id"),
               tgs.choice(0, CHAT, f"svc:{svc.id}"), tgs.text(0, CHAT, "-"),
               tgs.text(0, CHAT, "Petugas loket meminta biaya tambahan yang tidak resmi."),
               tgs.text(0, CHAT, "Pungutan dihentikan"), tgs.text(0, CHAT, "selesai"), tgs.text(0, CHAT, "ya")]
    for i, u in enumerate(updates, 1):
        u["update_id"] = i
    tg.push(*updates)
    assert "power cut" in chat_tg.poll_telegram()["error"]
    assert chat_tg.poll_telegram() == {"updates": 1}
    (ticket,) = db.session.scalars(select(Ticket)).all()
    assert len(ticket.messages) == 1
    done = [m["text"] for m in tg.sent() if "Nomor tiket" in m["text"]]
    assert done == [done[0]] and ticket.number in done[0]


def test_an_unsent_answer_goes_out_once_on_the_next_round(app, tg):
    tg.fail["sendMessage"] = 1
    tg.push(tgs.text(1, CHAT, "/start"))
    assert "error" in chat_tg.poll_telegram()
    assert tg.sent() and len(tg.sent()) == 1  # the failed attempt
    chat_tg.poll_telegram()
    chat_tg.poll_telegram()
    assert [m["text"][:14] for m in tg.sent()] == ["Selamat datang", "Selamat datang"]  # failed, then once


def test_bad_inputs_get_a_clear_answer_and_never_crash(app, tg, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1000)
    sticker = tgs.message(1, CHAT, sticker={"file_id": "st", "file_unique_id": "st", "width": 512, "height": 512,
                                            "is_animated": False, "is_video": False, "type": "regular"})
    location = tgs.message(2, CHAT, location={"latitude": -6.2, "longitude": 106.8})
    voice = tgs.message(3, CHAT, voice={"file_id": "v", "file_unique_id": "v", "duration": 3})
    edited = {"update_id": 4, "edited_message": {**tgs.text(0, CHAT, "ubah")["message"], "edit_date": 1}}
    unknown = {"update_id": 5, "my_chat_member": {
        "chat": {"id": CHAT, "type": "private"}, "from": {"id": CHAT, "is_bot": False, "first_name": "B"},
        "date": 1, "old_chat_member": {"status": "member", "user": tgs.BOT_USER},
        "new_chat_member": {"status": "kicked", "user": tgs.BOT_USER, "until_date": 0}}}
    texts = poll(tg, sticker, location, voice, edited, unknown)
    assert texts[:3] == ["Maaf, jenis pesan ini tidak dapat kami proses. Kirim teks, foto, atau dokumen."] * 3
    assert texts[3].startswith("Pesan yang diubah tidak diproses") and len(texts) == 4
    assert db.session.scalar(select(ChatUpdate.outcome).filter_by(external_id="5")).startswith("update of a kind")
    # an oversized file during the attachment step is refused with its size and the limit
    steps = ["/lapor", "Budi Santoso", "budi@contoh.id"]
    poll(tg, *[tgs.text(10 + i, CHAT, s) for i, s in enumerate(steps)], tgs.choice(13, CHAT, "svc:-"),
         tgs.text(14, CHAT, "-"), tgs.text(15, CHAT, "Antrean sangat panjang dan tidak ada nomor antrean."),
         tgs.text(16, CHAT, "Ada nomor antrean"))
    (big,) = poll(tg, tgs.document(17, CHAT, "huge", "besar.pdf", 5000))
    assert big == "Berkas besar.pdf terlalu besar (5000 bita; batas 1000 bita) dan tidak disimpan."
    assert "huge" not in [c.get("file_id") for c in tg.calls_of("getFile")]


def test_a_flood_from_one_chat_is_rate_limited(app, tg, monkeypatch):
    monkeypatch.setitem(app.config, "CHAT_RATE_LIMIT", 3)
    texts = poll(tg, *[tgs.text(i, CHAT, "/start") for i in range(1, 9)])
    assert len(texts) == 4 and texts[-1].startswith("Terlalu banyak pesan")
    assert db.session.scalar(select(func.count()).select_from(ChatUpdate)
                             .filter_by(outcome="rate_limited")) == 5
    assert poll(tg, tgs.text(20, 8888, "/start"))  # other chats are not affected


def test_english_on_language(app, tg):
    texts = poll(tg, tgs.text(1, CHAT, "/lapor"), tgs.text(2, CHAT, "/language"))
    assert texts[1].startswith("Language: English") and texts[2] == "What is your full name?"


def test_webhook_checks_the_secret_token_and_answers(app, tg, monkeypatch):
    monkeypatch.setitem(app.config, "TELEGRAM_MODE", "webhook")
    client = app.test_client()
    update = tgs.text(42, CHAT, "/start")
    assert client.post("/webhooks/telegram", json=update).status_code == 403
    assert client.post("/webhooks/telegram", json=update,
                       headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}).status_code == 403
    good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
    bad = client.post("/webhooks/telegram", data=b"{not json", headers={**good, "Content-Type": "application/json"})
    assert bad.status_code == 400
    assert db.session.scalar(select(QuarantineItem.reason)) == "malformed Telegram webhook body"
    broken = {"update_id": 41, "message": {"text": "no chat, no date, no id"}}
    assert client.post("/webhooks/telegram", json=broken, headers=good).status_code == 400
    assert db.session.scalar(select(QuarantineItem).filter_by(external_id="update:41")) is not None
    assert client.post("/webhooks/telegram", json=update, headers=good).status_code == 200
    assert client.post("/webhooks/telegram", json=update, headers=good).status_code == 200  # retried by Telegram
    assert [m["text"][:14] for m in tg.sent()] == ["Selamat datang"]
    assert chat_tg.poll_telegram() == {"skipped": "telegram polling is off"}


def test_a_blocked_bot_is_a_permanent_delivery_failure(app, tg):
    from channels.base import DeliveryError, OutboundMessage
    with pytest.raises(DeliveryError) as info:
        chat_tg.send(OutboundMessage(channel="telegram", recipient="403403", text="Halo"), app.config)
    assert info.value.permanent


def test_a_chat_that_blocked_the_bot_does_not_hold_up_the_others(app, tg):
    """Answers Telegram refuses for good (bot blocked) are given up; later chats still get theirs."""
    poll(tg, tgs.text(1, 403403, "/start"), tgs.text(2, CHAT, "/start"))  # poll() asserts: no error
    assert [m["text"][:14] for m in tg.sent(CHAT)] == ["Selamat datang"]
    assert len(tg.sent(403403)) == 1  # tried once, refused for good, not retried
    blocked = db.session.scalar(select(ChatUpdate).filter_by(external_id="1"))
    assert blocked.replies_sent and "not delivered" in blocked.outcome
    assert poll(tg, tgs.text(3, CHAT, "/bantuan"))  # the next round reaches getUpdates again
    assert len(tg.sent(403403)) == 1
