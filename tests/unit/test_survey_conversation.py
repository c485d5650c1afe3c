"""The survey inside the chat conversation, as a pure state machine."""
from __future__ import annotations

from datetime import date

from channels.chat import ChatEvent
from helpdesk.chat import conversation

KW = dict(services=[("1", "Sertifikasi Industri Hijau")], today=date(2026, 3, 2), max_bytes=1000)


def step(state, data, event, lang="id"):
    return conversation.step(state, data, lang, event, **KW)


def choice(value):
    return ChatEvent("choice", text=value)


def test_the_start_button_asks_the_caller_to_check_the_invitation():
    out = step("idle", {}, choice("sv:start:42"))
    assert (out.action, out.arg, out.replies) == ("survey_start", "42", [])
    busy = step("what", {"name": "Budi"}, choice("sv:start:42"))
    assert busy.action is None and busy.state == "what" and "Selesaikan atau batalkan" in busy.replies[0].text


def test_nine_scores_then_a_comment_then_submit():
    out = conversation.Outcome("idle", {}, "id")
    conversation.survey.begin(out, 42)
    first = out.replies[-1]
    assert first.text.startswith("Pertanyaan 1/9 — Persyaratan")
    assert [v for v, _ in first.buttons] == ["sv:1:1", "sv:1:2", "sv:1:3", "sv:1:4"]
    assert first.buttons[3][1] == "4 · Sangat baik"
    state, data = out.state, out.data
    for i, score in enumerate([4, 3, 3, 4, 2, 4, 4, 3, 1], 1):
        out = step(state, data, choice(f"sv:{i}:{score}") if i % 2 else ChatEvent("text", text=str(score)))
        state, data = out.state, out.data
    assert state == "survey_comment" and data["scores"] == [4, 3, 3, 4, 2, 4, 4, 3, 1]
    assert out.replies[-1].buttons == (("sv:skip", "Lewati"),)
    done = step(state, data, ChatEvent("text", text="Petugas sangat membantu."))
    assert done.action == "survey_submit" and done.data["comment"] == "Petugas sangat membantu."
    skipped = step(state, data, choice("sv:skip"))
    assert skipped.action == "survey_submit" and skipped.data["comment"] == ""


def test_a_double_press_does_not_record_a_score_twice():
    out = conversation.Outcome("idle", {}, "id")
    conversation.survey.begin(out, 7)
    once = step(out.state, out.data, choice("sv:1:4"))
    twice = step(once.state, once.data, choice("sv:1:4"))
    assert twice.data["scores"] == [4]
    assert twice.replies[0].text.startswith("Pertanyaan itu sudah dijawab")
    assert twice.replies[1].text.startswith("Pertanyaan 2/9")


def test_bad_scores_and_stale_buttons_get_a_clear_answer():
    out = conversation.Outcome("idle", {}, "en")
    conversation.survey.begin(out, 7)
    bad = step(out.state, out.data, ChatEvent("text", text="5"), lang="en")
    assert bad.data["scores"] == [] and bad.replies[0].text.startswith("Please choose a score")
    stale = step("idle", {}, choice("sv:3:4"))
    assert stale.action is None and stale.replies[0].text == "Tidak ada survei yang sedang diisi."


def test_cancel_and_language_switch_during_the_survey():
    out = conversation.Outcome("idle", {}, "id")
    conversation.survey.begin(out, 7)
    cancelled = step(out.state, out.data, ChatEvent("command", text="batal"))
    assert cancelled.state == "idle" and cancelled.replies[0].text.startswith("Dibatalkan")
    switched = step(out.state, out.data, ChatEvent("command", text="language"))
    assert switched.lang == "en" and switched.replies[-1].text.startswith("Question 1/9 — Requirements")
