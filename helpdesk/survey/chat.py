"""The chat conversation's survey actions against the database: check the invitation, store the answer."""
from __future__ import annotations

from channels.chat import ChatReply
from helpdesk.extensions import db
from helpdesk.inputs import whole_number
from helpdesk.intake.contacts import normalise_phone
from helpdesk.survey import conversation
from helpdesk.survey.models import SurveyInvitation
from helpdesk.survey.operations import SurveyClosed, state, submit
from helpdesk.survey.texts import t


def _own(invitation_id, channel: str, contact: str) -> SurveyInvitation | None:
    """The invitation when it was sent to this very chat; None for any other."""
    number = whole_number(invitation_id)
    if number is None:
        return None
    invitation = db.session.get(SurveyInvitation, number)
    if invitation is None or invitation.channel != channel or not invitation.recipient:
        return None
    mine = normalise_phone(invitation.recipient) if channel == "whatsapp" else invitation.recipient
    return invitation if mine == contact else None


def start(out, channel: str, contact: str) -> list[ChatReply]:
    """Begin the questions if the invitation is this chat's and still open; else say why not."""
    invitation = _own(out.arg, channel, contact)
    if invitation is None:
        return [ChatReply(t(out.lang, "unknown"))]
    current = state(invitation)
    if current != "open":
        return [ChatReply(t(out.lang, "already" if current == "answered" else "expired",
                            number=invitation.ticket.number))]
    before = len(out.replies)
    conversation.begin(out, invitation.id)
    return out.replies[before:]


def finish(out, channel: str, contact: str) -> ChatReply:
    """Store the collected scores and comment (once per ticket) and thank the reporter."""
    invitation = _own(out.data.get("survey"), channel, contact)
    if invitation is None:
        return ChatReply(t(out.lang, "unknown"))
    number = invitation.ticket.number
    try:
        submit(invitation, out.data.get("scores", []), out.data.get("comment", ""), source=channel)
    except SurveyClosed as closed:
        return ChatReply(t(out.lang, "already" if closed.reason == "answered" else "expired", number=number))
    except ValueError:  # scores damaged in the stored state: start again from the invitation
        return ChatReply(t(out.lang, "unknown"))
    return ChatReply(t(out.lang, "thanks", number=number))
