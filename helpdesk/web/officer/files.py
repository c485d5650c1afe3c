"""Attachments and raw originals, always downloaded, never rendered in the browser."""
from __future__ import annotations

from flask import abort, current_app, send_file
from flask_login import current_user
from io import BytesIO

from helpdesk.auth import STAFF, roles_required
from helpdesk.extensions import db
from helpdesk.tickets.models import Attachment, Message
from helpdesk.tickets.storage import BlobStore, safe_filename
from helpdesk.web.officer import bp
from helpdesk.web.officer.access import can_see_identity


def _download(data_or_path, name: str):
    response = send_file(data_or_path, mimetype="application/octet-stream", as_attachment=True,
                         download_name=safe_filename(name), max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/lampiran/<int:attachment_id>")
@roles_required(*STAFF)
def attachment(attachment_id: int):
    att = db.session.get(Attachment, attachment_id)
    if att is None or not att.stored or not att.sha256:
        abort(404)
    message = db.session.get(Message, att.message_id)
    if not can_see_identity(current_user, message.ticket):  # files name the reporter as the raw does
        abort(403)
    path = BlobStore(current_app.config["ATTACHMENT_DIR"]).path(att.sha256)
    if not path.is_file():
        abort(404)
    return _download(str(path), att.filename)


@bp.get("/pesan/<int:message_id>/asli")
@roles_required(*STAFF)
def raw(message_id: int):
    msg = db.session.get(Message, message_id)
    if msg is None or msg.raw is None:
        abort(404)
    if not can_see_identity(current_user, msg.ticket):
        abort(403)
    ext = {"email": "eml", "web": "json", "telegram": "json", "whatsapp": "json", "api": "json"}.get(msg.channel, "txt")
    return _download(BytesIO(msg.raw), f"{msg.ticket.number}-pesan-{msg.id}.{ext}")
