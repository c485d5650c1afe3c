"""The guided complaint conversation, once for every chat channel: a pure state machine.

``step`` takes the stored state, the collected fields, the language and one input event, and
returns the replies and the next state. No Flask, no database, no clock: the caller passes
``today``, the service catalogue and the size limit, and performs the ``action`` it asks for
(submit the report, show a ticket's status, or treat a free message as a reply).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from channels.chat import ChatEvent as Event
from channels.chat import ChatReply as Reply
from helpdesk.chat.texts import t
from helpdesk.inputs import whole_number
from helpdesk.survey import conversation as survey

IDLE, NAME, CONTACT, SERVICE, SERVICE_DATE, WHAT, OUTCOME, ATTACHMENTS, CONFIRM = (
    "idle", "name", "contact", "service", "service_date", "what", "outcome", "attachments", "confirm")
MAX_FILES = 5
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


@dataclass
class Outcome:
    state: str
    data: dict
    lang: str
    replies: list[Reply] = field(default_factory=list)
    action: str | None = None  # submit | status | free | survey_start | survey_submit
    arg: str = ""


def step(state: str, data: dict, lang: str, event: Event, *, services: list[tuple[str, str]],
         today: date, max_bytes: int, office: str = "") -> Outcome:
    """Advance the conversation by one event."""
    out = Outcome(state, dict(data), lang)
    if event.kind == "edited":
        return _say(out, "edited")
    if event.kind == "unsupported":
        return _say(out, "unsupported")
    if event.kind == "command":
        return _command(out, event, services, office)
    if state in survey.STATES or (event.kind == "choice" and event.text.startswith("sv:")):
        return survey.step(out, event)
    if state == IDLE or state not in _STEPS:
        out.state, out.action = IDLE, "free"
        return out
    return _STEPS[state](out, event, services, today, max_bytes)


def _say(out: Outcome, key: str, *, buttons=(), ask_contact=False, **values) -> Outcome:
    out.replies.append(Reply(t(out.lang, key, **values), tuple(buttons), ask_contact))
    return out


def _command(out: Outcome, event: Event, services, office: str) -> Outcome:
    name = event.text.lower()
    if name in ("start", "help", "mulai", "bantuan"):
        return _say(out, "intro", office=office or "kami")
    if name in ("lapor", "report"):
        out.state, out.data = NAME, {}
        return _say(out, "ask_name")
    if name in ("batal", "cancel"):
        key = "cancelled" if out.state != IDLE else "nothing_to_cancel"
        out.state, out.data = IDLE, {}
        return _say(out, key)
    if name == "status":
        if not event.arg.strip():
            return _say(out, "status_usage")
        out.action, out.arg = "status", event.arg.strip().split()[0].upper()
        return out
    if name in ("language", "bahasa"):
        out.lang = "en" if out.lang == "id" else "id"
        _say(out, "language")
        return _prompt_again(out, services)
    return _say(out, "intro", office=office or "kami")


def _prompt_again(out: Outcome, services) -> Outcome:
    """After a language switch, repeat the current question in the new language."""
    prompts = {NAME: lambda: _say(out, "ask_name"), CONTACT: lambda: _ask_contact(out),
               SERVICE: lambda: _ask_service(out, services), SERVICE_DATE: lambda: _say(out, "ask_date"),
               WHAT: lambda: _say(out, "ask_what"), OUTCOME: lambda: _say(out, "ask_outcome"),
               ATTACHMENTS: lambda: _ask_files(out), CONFIRM: lambda: _summary(out),
               survey.SURVEY: lambda: survey.prompt(out), survey.SURVEY_COMMENT: lambda: survey.prompt(out)}
    return prompts.get(out.state, lambda: out)()


def _ask_contact(out, *, key="ask_contact"):
    return _say(out, key, ask_contact=True, buttons=[("contact", t(out.lang, "share_phone"))])


def _ask_service(out, services):
    buttons = [(f"svc:{key}", label) for key, label in services] + [("svc:-", t(out.lang, "other_service"))]
    return _say(out, "ask_service", buttons=buttons)


def _ask_files(out):
    return _say(out, "ask_files", buttons=[("files:done", t(out.lang, "done_files"))])


def _summary(out: Outcome) -> Outcome:
    d, unknown = out.data, t(out.lang, "unknown")
    files = ", ".join(f["name"] for f in d.get("files", [])) or t(out.lang, "none")
    return _say(out, "summary", name=d.get("name"), contact=d.get("email") or d.get("phone"),
                service=d.get("service_name") or unknown, date=d.get("service_date") or unknown,
                what=d.get("what"), outcome=d.get("outcome") or "-", files=files,
                buttons=[("confirm:yes", t(out.lang, "confirm")), ("confirm:no", t(out.lang, "cancel_button"))])


def _on_name(out, event, services, today, max_bytes):
    name = " ".join(event.text.split()) if event.kind == "text" else ""
    if not 2 <= len(name) <= 200 or not re.search(r"[^\W\d_]", name):
        return _say(out, "bad_name")
    out.data["name"], out.state = name, CONTACT
    return _ask_contact(out)


def _on_contact(out, event, services, today, max_bytes):
    value = event.text.strip()
    if event.kind == "contact" and value:
        out.data["phone"] = value
    elif event.kind == "text" and _EMAIL.match(value):
        out.data["email"] = value.lower()
    elif event.kind == "text" and 8 <= len(re.sub(r"\D", "", value)) <= 15 and not re.search(r"[^\d\s+\-()]", value):
        out.data["phone"] = value
    else:
        return _ask_contact(out, key="bad_contact")
    out.state = SERVICE
    return _ask_service(out, services)


def _on_service(out, event, services, today, max_bytes):
    names = dict(services)
    value = event.text.strip()
    if value.startswith("svc:"):
        key = value[4:]
    elif 1 <= (number := whole_number(value) or 0) <= len(services):  # a typed list number
        key = services[number - 1][0]
    else:
        key = next((k for k, label in services if label.lower() == value.lower()), None)
    if key == "-":
        out.data["service_key"], out.data["service_name"] = None, None
    elif key in names:
        out.data["service_key"], out.data["service_name"] = key, names[key]
    else:
        _say(out, "bad_service")
        return _ask_service(out, services)
    out.state = SERVICE_DATE
    return _say(out, "ask_date")


def parse_service_date(text: str, today: date) -> date | None | str:
    """A date the reporter typed; None for "don't know", "bad" when unreadable or in the future."""
    value = text.strip().lower()
    if value in ("-", "tidak ingat", "lupa", "skip", "lewati", "unknown"):
        return None
    if value in ("hari ini", "today"):
        return today
    if value in ("kemarin", "yesterday"):
        return today - timedelta(days=1)
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return day if day <= today else "bad"
    return "bad"


def _on_date(out, event, services, today, max_bytes):
    day = parse_service_date(event.text, today) if event.kind == "text" else "bad"
    if day == "bad":
        return _say(out, "bad_date")
    out.data["service_date"], out.state = day.isoformat() if day else None, WHAT
    return _say(out, "ask_what")


def _on_what(out, event, services, today, max_bytes):
    text = event.text.strip() if event.kind == "text" else ""
    if len(text) < 5:
        return _say(out, "bad_what")
    out.data["what"], out.state = text[:10000], OUTCOME
    return _say(out, "ask_outcome")


def _on_outcome(out, event, services, today, max_bytes):
    if event.kind != "text" or not event.text.strip():
        return _say(out, "ask_outcome")
    out.data["outcome"], out.state = event.text.strip()[:5000], ATTACHMENTS
    return _ask_files(out)


def _on_files(out, event, services, today, max_bytes):
    files = out.data.setdefault("files", [])
    if event.kind == "file" and event.file:
        if event.file.get("size") and event.file["size"] > max_bytes:
            return _say(out, "file_big", name=event.file["name"], size=event.file["size"], limit=max_bytes)
        if len(files) >= MAX_FILES:
            return _say(out, "file_many", limit=MAX_FILES)
        files.append(dict(event.file))
        return _say(out, "file_ok", count=len(files), buttons=[("files:done", t(out.lang, "done_files"))])
    if event.text.strip().lower() in ("files:done", "selesai", "done", "-", "tidak ada", "none", "no"):
        out.state = CONFIRM
        return _summary(out)
    return _ask_files(out)


def _on_confirm(out, event, services, today, max_bytes):
    answer = event.text.strip().lower()
    if answer in ("confirm:yes", "kirim", "send", "ya", "yes"):
        out.action = "submit"  # the caller answers with the ticket number and resets the state
        return out
    if answer in ("confirm:no", "batal", "cancel", "tidak", "no"):
        out.state, out.data = IDLE, {}
        return _say(out, "cancelled")
    return _say(out, "bad_confirm")


_STEPS = {NAME: _on_name, CONTACT: _on_contact, SERVICE: _on_service, SERVICE_DATE: _on_date,
          WHAT: _on_what, OUTCOME: _on_outcome, ATTACHMENTS: _on_files, CONFIRM: _on_confirm}
