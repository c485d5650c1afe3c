"""Survey operations: invite a reporter on their channel, take their one answer. Callers commit."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from helpdesk.chat.models import ChatSession
from helpdesk.extensions import db
from helpdesk.office_calendar import office_calendar
from helpdesk.outbox.service import enqueue, reply_target
from helpdesk.survey.elements import COLUMNS, valid_scores
from helpdesk.survey.models import SurveyInvitation, SurveyResponse
from helpdesk.survey.texts import t
from helpdesk.survey.tokens import survey_url
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.operations import record
from helpdesk.timeutil import utcnow

logger = logging.getLogger(__name__)
SENT_ON = ("email", "telegram", "whatsapp")  # channels an invitation is sent on; others: the status page
REPORTER = "pelapor"
COMMENT_MAX = 2000


class SurveyClosed(ValueError):
    """The answer cannot be taken: ``reason`` is answered | expired."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def state(invitation: SurveyInvitation, now: datetime | None = None) -> str:
    """open | answered | expired."""
    if invitation.response is not None:
        return "answered"
    return "expired" if (now or utcnow()) >= invitation.expires_at else "open"


def invitation_of(ticket: Ticket) -> SurveyInvitation | None:
    return db.session.scalar(select(SurveyInvitation).filter_by(ticket_id=ticket.id))


def invite(ticket: Ticket, *, now: datetime | None = None) -> SurveyInvitation | None:
    """Invite the reporter of an answered ticket; again (fresh expiry) after a reopened ticket's new answer.

    Sent on the reporter's channel (e-mail link, chat button); without one, the status page shows it.
    """
    now = now or utcnow()
    invitation = invitation_of(ticket)
    if invitation is not None and invitation.response is not None:
        return None  # one answer per ticket, already given
    target = reply_target(ticket)
    channel, recipient = target if target and target[0] in SENT_ON else ("web", None)
    expires = now + timedelta(days=current_app.config["SURVEY_VALID_DAYS"])
    if invitation is None:
        invitation = SurveyInvitation(ticket_id=ticket.id, channel=channel, recipient=recipient,
                                      created_at=now, expires_at=expires, rounds=1)
        db.session.add(invitation)
    else:
        invitation.channel, invitation.recipient, invitation.expires_at = channel, recipient, expires
        invitation.rounds += 1
    db.session.flush()
    if recipient:
        _send(ticket, invitation, channel, recipient)
    record(ticket, "survey_invited", None, f"{channel}:{recipient}" if recipient else "web", actor="system",
           at=now)
    db.session.flush()
    return invitation


def _send(ticket: Ticket, invitation: SurveyInvitation, channel: str, recipient: str) -> None:
    lang = _chat_language(channel, recipient)
    values = dict(number=ticket.number, url=survey_url(invitation.id),
                  expires=office_calendar().local(invitation.expires_at).strftime("%d-%m-%Y"),
                  name=(ticket.reporter.name if ticket.reporter and ticket.reporter.name else "Bapak/Ibu"),
                  office=current_app.config["OFFICE_NAME"])
    key = f"survey:{ticket.id}:{invitation.rounds}"
    if channel == "email":
        enqueue(channel="email", recipient=recipient, kind="survey", ticket=ticket, dedupe_key=key,
                subject=t(lang, "email_subject", **values), text=t(lang, "email", **values))
    else:
        enqueue(channel=channel, recipient=recipient, kind="survey", ticket=ticket, dedupe_key=key,
                text=t(lang, "chat", **values), buttons=((f"sv:start:{invitation.id}", t(lang, "start")),))


def _chat_language(channel: str, recipient: str) -> str:
    """The language the reporter chose in the chat (Indonesian for e-mail and unknown chats)."""
    if channel not in ("telegram", "whatsapp"):
        return "id"
    lang = db.session.scalar(select(ChatSession.lang).filter_by(channel=channel, chat_id=recipient.lstrip("+")))
    return lang or "id"


def submit(invitation: SurveyInvitation, scores, comment: str = "", *, source: str,
           now: datetime | None = None) -> SurveyResponse:
    """Take the reporter's answer, exactly once per ticket; SurveyClosed when answered or expired.

    A concurrent second answer fails on the unique ticket_id: the session is rolled back then.
    """
    now = now or utcnow()
    current = state(invitation, now)
    if current != "open":
        raise SurveyClosed(current)
    scores = valid_scores(scores)
    ticket = invitation.ticket
    response = SurveyResponse(ticket_id=ticket.id, invitation_id=invitation.id, service_id=ticket.service_id,
                              unit_id=ticket.unit_id, source=source, submitted_at=now,
                              comment=(comment or "").strip()[:COMMENT_MAX], **dict(zip(COLUMNS, scores)))
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SurveyClosed("answered") from None
    record(ticket, "survey_answered", None, source, actor=REPORTER, at=now,
           note=" ".join(f"{c.upper()}={s}" for c, s in zip(COLUMNS, scores)))
    db.session.flush()
    logger.info("survey answer for %s via %s", ticket.number, source)
    return response

