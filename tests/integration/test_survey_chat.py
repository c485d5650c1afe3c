"""Survey buttons in Telegram and WhatsApp, against the loopback stand-ins: one answer per ticket."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from channels.base import InboundMessage, Sender
from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.outbox.models import OutboxItem
from helpdesk.outbox.service import deliver_pending
from helpdesk.rules.lifecycle import Status
from helpdesk.survey.models import SurveyInvitation, SurveyResponse
from helpdesk.tickets import operations
from helpdesk.timeutil import utcnow
from tests.integration import telegram_standin as tgs
from tests.integration import whatsapp_standin as was
from tests.integration.test_telegram import CHAT, poll, tg  # noqa: F401  (fixture)
from tests.integration.test_whatsapp import NUMBER, post, say, wa  # noqa: F401  (fixture)

SCORES = [4, 3, 3, 4, 2, 4, 4, 3, 1]


def answered_ticket(channel: str, **contact):
    ticket = ingest(InboundMessage(channel=channel, external_id=f"{channel}-survey-1",
                                   sender=Sender(name="Budi Santoso", **contact), received_at=utcnow(),
                                   text="Berkas izin saya sudah tiga minggu belum diproses oleh petugas loket.")).ticket
    for target in (Status.VERIFIED, Status.IN_ANALYSIS, Status.ANSWERED):
        operations.change_status(ticket, target)
    db.session.commit()
    return ticket


def test_telegram_invitation_button_nine_questions_and_one_answer(app, tg):  # noqa: F811
    ticket = answered_ticket("telegram", telegram=str(CHAT))
    assert deliver_pending(worker="w1")["sent"] == 1
    invite = tg.sent(CHAT)[-1]
    invitation = db.session.scalar(select(SurveyInvitation))
    assert f"Pengaduan {ticket.number} telah dijawab" in invite["text"] and "/survei/" in invite["text"]
    assert json.loads(invite["reply_markup"])["inline_keyboard"] == [
        [{"text": "Isi survei", "callback_data": f"sv:start:{invitation.id}"}]]

    (first,) = poll(tg, tgs.choice(1, CHAT, f"sv:start:{invitation.id}"))
    assert first.startswith("Pertanyaan 1/9 — Persyaratan")
    keyboard = json.loads(tg.sent(CHAT)[-1]["reply_markup"])["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["sv:1:1", "sv:1:2", "sv:1:3", "sv:1:4"]
    poll(tg, tgs.choice(2, CHAT, "sv:1:4"))
    stale, again = poll(tg, tgs.choice(3, CHAT, "sv:1:4"))  # the same button pressed twice
    assert stale.startswith("Pertanyaan itu sudah dijawab") and again.startswith("Pertanyaan 2/9")
    for i, score in enumerate(SCORES[1:], 2):
        texts = poll(tg, tgs.choice(10 + i, CHAT, f"sv:{i}:{score}"))
    assert texts[-1].startswith("Terima kasih. Ada saran atau komentar?")
    (thanks,) = poll(tg, tgs.text(30, CHAT, "Petugas cepat tanggap."))
    assert thanks == f"Terima kasih, penilaian Anda untuk {ticket.number} telah kami terima."
    assert poll(tg, tgs.choice(31, CHAT, "sv:skip")) == ["Tidak ada survei yang sedang diisi."]
    assert poll(tg, tgs.choice(32, CHAT, f"sv:start:{invitation.id}")) == [
        f"Survei untuk {ticket.number} sudah diisi sebelumnya. Terima kasih."]
    (response,) = db.session.scalars(select(SurveyResponse)).all()
    assert response.scores == tuple(SCORES) and response.source == "telegram"
    assert response.comment == "Petugas cepat tanggap."


def test_telegram_a_stranger_cannot_answer_someone_elses_survey(app, tg):  # noqa: F811
    answered_ticket("telegram", telegram=str(CHAT))
    invitation = db.session.scalar(select(SurveyInvitation))
    assert poll(tg, tgs.choice(1, 7777, f"sv:start:{invitation.id}")) == [
        "Survei ini tidak ditemukan atau bukan untuk percakapan ini."]
    assert poll(tg, tgs.choice(2, CHAT, "sv:start:999")) == [
        "Survei ini tidak ditemukan atau bukan untuk percakapan ini."]


def test_whatsapp_invitation_list_of_scores_and_a_replayed_webhook(app, wa):  # noqa: F811
    say(app, wa, was.text("halo"))  # the reporter wrote today: the 24-hour window is open
    ticket = answered_ticket("whatsapp", whatsapp="+" + NUMBER)
    assert deliver_pending(worker="w1")["sent"] == 1
    invite = wa.messages[-1]
    invitation = db.session.scalar(select(SurveyInvitation))
    assert invite["type"] == "interactive" and invite["interactive"]["type"] == "button"
    assert invite["interactive"]["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": f"sv:start:{invitation.id}", "title": "Isi survei"}}]
    (question,) = say(app, wa, was.button(f"sv:start:{invitation.id}"))
    assert question["interactive"]["type"] == "list"  # four scores: more than three reply buttons
    rows = question["interactive"]["action"]["sections"][0]["rows"]
    assert [(r["id"], r["title"]) for r in rows] == [("sv:1:1", "1 · Tidak baik"), ("sv:1:2", "2 · Kurang baik"),
                                                     ("sv:1:3", "3 · Baik"), ("sv:1:4", "4 · Sangat baik")]
    for i, score in enumerate(SCORES, 1):
        say(app, wa, was.list_reply(f"sv:{i}:{score}") if i % 2 else was.text(str(score)))  # typed digits too
    comment = was.text("Terima kasih atas bantuannya", wamid="wamid.SURVEY-END")
    (thanks,) = say(app, wa, comment)
    assert thanks["text"]["body"] == f"Terima kasih, penilaian Anda untuk {ticket.number} telah kami terima."
    assert post(app, was.webhook(NUMBER, comment)).status_code == 200  # Meta retries the same message
    (response,) = db.session.scalars(select(SurveyResponse)).all()
    assert response.scores == tuple(SCORES) and response.source == "whatsapp"
    assert db.session.scalar(select(func.count()).select_from(OutboxItem).filter_by(kind="survey")) == 1


def test_a_survey_started_in_chat_can_still_be_answered_once_on_the_web(app, tg):  # noqa: F811
    from helpdesk.survey.tokens import make_token
    answered_ticket("telegram", telegram=str(CHAT))
    invitation = db.session.scalar(select(SurveyInvitation))
    poll(tg, tgs.choice(1, CHAT, f"sv:start:{invitation.id}"),
         *[tgs.choice(2 + i, CHAT, f"sv:{i + 1}:3") for i in range(9)])
    app.test_client().post(f"/survei/{make_token(invitation.id)}", data={f"u{i}": "2" for i in range(1, 10)})
    (late,) = poll(tg, tgs.choice(20, CHAT, "sv:skip"))
    assert late.startswith("Survei untuk") and "sudah diisi" in late
    (response,) = db.session.scalars(select(SurveyResponse)).all()
    assert response.source == "web" and response.scores == (2,) * 9
