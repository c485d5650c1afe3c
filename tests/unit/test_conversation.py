"""The guided complaint conversation as a pure state machine: no app, no database, no clock."""
from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from channels.chat import ChatEvent as E
from helpdesk.chat import conversation as c

TODAY = date(2026, 3, 10)
SERVICES = [("1", "Sertifikasi Industri Hijau"), ("2", "Sertifikat Standar KBLI 22210")]


def run(*events, state=c.IDLE, data=None, lang="id"):
    data = data or {}
    out = None
    for event in events:
        out = c.step(state, data, lang, event, services=SERVICES, today=TODAY, max_bytes=1000)
        state, data, lang = out.state, out.data, out.lang
    return out


def test_the_happy_path_collects_every_field_then_asks_to_submit():
    out = run(E("command", "lapor"), E("text", "Siti Aminah"), E("text", "siti@contoh.id"), E("choice", "svc:2"),
              E("text", "01/03/2026"), E("text", "Petugas meminta biaya tambahan."), E("text", "Biaya dikembalikan"),
              E("file", file={"ref": "f1", "name": "kuitansi.jpg", "type": "image/jpeg", "size": 10}),
              E("choice", "files:done"))
    assert out.state == c.CONFIRM and "Sertifikat Standar KBLI 22210" in out.replies[0].text
    assert out.data == {"name": "Siti Aminah", "email": "siti@contoh.id", "service_key": "2",
                        "service_name": "Sertifikat Standar KBLI 22210", "service_date": "2026-03-01",
                        "what": "Petugas meminta biaya tambahan.", "outcome": "Biaya dikembalikan",
                        "files": [{"ref": "f1", "name": "kuitansi.jpg", "type": "image/jpeg", "size": 10}]}
    done = c.step(out.state, out.data, "id", E("choice", "confirm:yes"), services=SERVICES, today=TODAY,
                  max_bytes=1000)
    assert done.action == "submit" and done.replies == []


def test_bad_answers_repeat_the_question_and_keep_the_state():
    assert run(E("text", "12"), state=c.NAME).state == c.NAME
    bad = run(E("text", "hubungi saya nanti"), state=c.CONTACT)
    assert bad.state == c.CONTACT and bad.replies[0].ask_contact
    assert run(E("text", "Layanan lain entah apa"), state=c.SERVICE).state == c.SERVICE
    assert run(E("text", "11-03-2026"), state=c.SERVICE_DATE).state == c.SERVICE_DATE  # the future
    big = run(E("file", file={"ref": "x", "name": "a.pdf", "type": "application/pdf", "size": 5000}),
              state=c.ATTACHMENTS)
    assert big.data.get("files") == [] and "terlalu besar" in big.replies[0].text


def test_service_by_typed_number_or_other_and_date_words():
    assert run(E("text", "2"), state=c.SERVICE).data["service_key"] == "2"
    other = run(E("choice", "svc:-"), state=c.SERVICE)
    assert other.data["service_key"] is None and other.state == c.SERVICE_DATE
    assert c.parse_service_date("hari ini", TODAY) == TODAY
    assert c.parse_service_date("-", TODAY) is None
    assert c.parse_service_date("31-02-2026", TODAY) == "bad"


def test_commands_work_in_any_state():
    assert run(E("command", "batal"), state=c.WHAT, data={"name": "A"}).state == c.IDLE
    status = run(E("command", "status", arg="adu-2026-000001 extra"))
    assert status.action == "status" and status.arg == "ADU-2026-000001"
    switched = run(E("command", "language"), state=c.OUTCOME)
    assert switched.lang == "en" and switched.replies[-1].text == "What outcome do you expect?"
    assert run(E("text", "halo")).action == "free"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([c.IDLE, c.NAME, c.CONTACT, c.SERVICE, c.SERVICE_DATE, c.WHAT, c.OUTCOME,
                        c.ATTACHMENTS, c.CONFIRM]),
       st.sampled_from(["text", "choice", "contact", "file", "unsupported", "edited", "command"]),
       st.text(max_size=40))
@example(c.SERVICE, "text", "¹")  # isdigit() is true for it, int() refuses it
def test_any_input_in_any_state_gets_an_answer_or_an_action(state, kind, text):
    event = E(kind, text, file={"ref": "r", "name": "n", "type": "t", "size": 1} if kind == "file" else None)
    out = c.step(state, {}, "id", event, services=SERVICES, today=TODAY, max_bytes=1000)
    assert out.replies or out.action
    assert out.state in (c.IDLE, c.NAME, c.CONTACT, c.SERVICE, c.SERVICE_DATE, c.WHAT, c.OUTCOME,
                         c.ATTACHMENTS, c.CONFIRM)
