"""The classifier's proposal for a new complaint (R4), and what the ticket page shows of it.

At intake every complaint gets a proposal: component, service, confidence and the words that
drove it. At or above ``CLASSIFIER_MIN_CONFIDENCE`` the proposal is applied (as the
classifier, still unconfirmed); below it, it stays a proposal an officer must confirm.
Officers' confirmations are what the retraining learns from.
"""
from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from helpdesk.catalog.models import Component, Service
from helpdesk.classify.normalise import complaint_text
from helpdesk.extensions import db
from helpdesk.tickets import operations
from helpdesk.tickets.models import Ticket

if TYPE_CHECKING:
    from helpdesk.classify.model import Proposal

logger = logging.getLogger(__name__)
ACTOR = "classifier"  # the actor of automatic classification events


def on_ticket_created(ticket: Ticket, inbound=None, **_) -> None:
    """Receiver of ``ticket_created``: a failing classifier only costs the proposal, never the ticket."""
    if inbound is None:
        return
    try:
        propose(ticket, complaint_text(inbound.subject, inbound.text))
    except Exception:
        logger.exception("no classification proposal for %s", ticket.number)


def propose(ticket: Ticket, text: str) -> Proposal | None:
    """Store the proposal on the ticket and apply it where it is confident enough; flushes."""
    from helpdesk.classify import store  # scikit-learn loads with the first complaint, not at start-up

    loaded = store.current()
    proposal = loaded.classifier.propose(text)
    if proposal is None:
        return None
    service = db.session.scalar(select(Service).filter_by(slug=proposal.service, active=True)) \
        if proposal.service else None
    ticket.proposed_component = proposal.component
    ticket.proposed_service_id = service.id if service else None
    ticket.proposal_confidence = round(proposal.confidence, 4)
    ticket.proposal_explain = json.dumps({
        "words": list(proposal.explain), "model_version": loaded.version,
        "service_words": list(proposal.service_explain) if service else [],
        "service_confidence": round(proposal.service_confidence, 4) if service else None,
    }, ensure_ascii=False)
    _apply(ticket, proposal, service, loaded.version)
    return proposal


def _apply(ticket: Ticket, proposal: Proposal, service: Service | None, version: int | None) -> None:
    threshold = current_app.config["CLASSIFIER_MIN_CONFIDENCE"]
    if threshold >= 1:  # 1 means: never apply, every proposal waits for an officer
        return
    component, service_id = ticket.component, ticket.service_id
    if component is None and proposal.confidence >= threshold and db.session.get(Component, proposal.component):
        component = proposal.component
    if service_id is None and service is not None and proposal.service_confidence >= threshold:
        service_id = service.id
        ticket.unit_id = ticket.unit_id or service.unit_id  # as when the reporter names the service
    if (component, service_id) == (ticket.component, ticket.service_id):
        return
    model = f"versi {version}" if version else "bawaan"
    operations.classify(ticket, service_id=service_id, component=component, actor=ACTOR,
                        note=f"klasifikasi otomatis, keyakinan {proposal.confidence:.0%}, model {model}")


def proposal_view(ticket: Ticket, lang: str = "id") -> dict | None:
    """What the ticket page shows of the proposal, or None when there is none."""
    if not ticket.proposed_component and not ticket.proposed_service_id:
        return None
    try:
        explain = json.loads(ticket.proposal_explain or "{}")
    except ValueError:
        explain = {}
    if isinstance(explain, list):  # the earliest proposals stored only the words
        explain = {"words": explain}
    threshold = current_app.config["CLASSIFIER_MIN_CONFIDENCE"]
    component = db.session.get(Component, ticket.proposed_component) if ticket.proposed_component else None
    service = db.session.get(Service, ticket.proposed_service_id) if ticket.proposed_service_id else None
    confidence = ticket.proposal_confidence or 0.0
    service_confidence = explain.get("service_confidence")
    doubtful = confidence < threshold or (service is not None and (service_confidence or 0.0) < threshold)
    return {
        "component": ticket.proposed_component,
        "component_name": (component.name_en if lang == "en" else component.name_id) if component
        else ticket.proposed_component,
        "confidence": confidence, "words": [str(w) for w in explain.get("words") or []],
        "service_id": service.id if service else None, "service_name": service.name if service else None,
        "service_confidence": service_confidence, "service_words": [str(w) for w in explain.get("service_words") or []],
        "model_version": explain.get("model_version"), "threshold": threshold,
        "confirmed": ticket.classification_confirmed,
        "needs_confirmation": not ticket.classification_confirmed and doubtful,
        "applied": not ticket.classification_confirmed and ticket.component == ticket.proposed_component,
    }
