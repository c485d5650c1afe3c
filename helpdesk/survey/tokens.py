"""Survey links: the invitation id signed with the secret key; the expiry lives on the invitation.

The same invitation always gives the same link, so the status page, the e-mail and the chat
offer one address. A link whose signature does not check out is unknown; one whose
invitation has expired or was already answered says so.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "survey-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(invitation_id: int) -> str:
    """The link token of an invitation."""
    return _serializer().dumps(invitation_id)


def read_token(token: str) -> int | None:
    """The invitation id a token was made for, or None for a forged or damaged token."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def survey_url(invitation_id: int) -> str:
    """The full survey address: PUBLIC_URL when set (jobs, workers), else the current request's host."""
    token = make_token(invitation_id)
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    if not base and has_request_context():
        return url_for("survey.form", token=token, _external=True)
    parts = urlsplit(base or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build("survey.form", {"token": token}, force_external=True)
