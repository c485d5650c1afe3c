"""The survey inside the chat conversation: nine rating buttons, then a comment. Pure.

Called by ``helpdesk.chat.conversation.step`` for survey buttons and the survey states. Button
values: ``sv:start:<invitation id>`` (in the invitation), ``sv:<question>:<score>`` and
``sv:skip``. A button of a question already answered (pressed twice, or an old message) is
recognised by its question number and answered with the current question, so a double press
never records a score twice. Typed digits 1-4 work too (WhatsApp users often type).
"""
from __future__ import annotations

from channels.chat import ChatReply
from helpdesk.inputs import whole_number
from helpdesk.survey.elements import ELEMENTS, SCALE, text
from helpdesk.survey.texts import t

SURVEY, SURVEY_COMMENT = "survey", "survey_comment"
STATES = (SURVEY, SURVEY_COMMENT)
IDLE = "idle"


def _say(out, key: str, buttons=(), **values):
    out.replies.append(ChatReply(t(out.lang, key, **values), tuple(buttons)))
    return out


def prompt(out):
    """Ask the current question (or for the comment) again."""
    if out.state == SURVEY_COMMENT:
        return _say(out, "ask_comment", buttons=[("sv:skip", t(out.lang, "skip"))])
    i = len(out.data.get("scores", [])) + 1
    element = ELEMENTS[i - 1]
    buttons = [(f"sv:{i}:{score}", f"{score} · {text(label, out.lang)}") for score, label in SCALE.items()]
    return _say(out, "question", buttons=buttons, i=i, n=len(ELEMENTS), label=text(element.label, out.lang),
                question=text(element.question, out.lang))


def begin(out, invitation_id: int):
    """Start the questions of an invitation the caller has checked."""
    out.state, out.data = SURVEY, {"survey": invitation_id, "scores": []}
    return prompt(out)


def step(out, event):
    """One survey input; asks the caller to check an invitation (survey_start) or to store (survey_submit)."""
    value = event.text.strip()
    if value.startswith("sv:start:"):
        if out.state in STATES:
            return prompt(out)
        if out.state != IDLE:
            return _say(out, "busy")
        out.action, out.arg = "survey_start", value[len("sv:start:"):]
        return out
    if out.state not in STATES:
        return _say(out, "inactive")
    if out.state == SURVEY_COMMENT:
        return _comment(out, event, value)
    scores = out.data.setdefault("scores", [])
    current = len(scores) + 1
    score = value
    if value.startswith("sv:"):
        parts = value.split(":")
        asked = whole_number(parts[1]) if len(parts) == 3 else None
        if asked is None:
            return prompt(_say(out, "bad_score"))
        if asked != current:
            return prompt(_say(out, "stale"))
        score = parts[2]
    if score not in ("1", "2", "3", "4"):
        return prompt(_say(out, "bad_score"))
    scores.append(int(score))
    if len(scores) == len(ELEMENTS):
        out.state = SURVEY_COMMENT
    return prompt(out)


def _comment(out, event, value: str):
    if value == "sv:skip":
        comment = ""
    elif value.startswith("sv:"):
        return prompt(_say(out, "stale"))
    elif event.kind == "text" and value:
        comment = value
    else:
        return prompt(out)
    out.data["comment"], out.action = comment[:2000], "survey_submit"
    return out
