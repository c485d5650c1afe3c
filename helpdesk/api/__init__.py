"""JSON API /api/v1: file complaints, read their public status; staff read tickets by token.

Staff authenticate with ``Authorization: Bearer <token>`` only (never the browser session), so
the API needs no CSRF protection: a browser does not attach a bearer token on its own.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from helpdesk.extensions import csrf, limiter, login_manager

bp = Blueprint("api", __name__, url_prefix="/api/v1", cli_group=None)
csrf.exempt(bp)
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api-v1")(bp)


@bp.before_request
def _authenticate():
    """Who calls: the bearer token's user, or anonymous (a session cookie counts for nothing here)."""
    from helpdesk.api.tokens import authenticate

    request.max_content_length = current_app.config["API_MAX_BODY_BYTES"]
    g._login_user = authenticate(request.headers.get("Authorization")) or login_manager.anonymous_user()


@bp.after_request
def _headers(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="helpdesk"'
    return response


@bp.errorhandler(HTTPException)
def error_response(exc: HTTPException):
    """Every refusal as JSON: {"error": "not_found", "message": "..."}."""
    limit = current_app.config["API_MAX_BODY_BYTES"]
    messages = {
        403: "Peran Anda tidak diizinkan membuka ini (your role may not open this).",
        404: "Tidak ditemukan (not found).",
        413: f"Permintaan terlalu besar; batasnya {limit} bita (the body exceeds {limit} bytes).",
        429: "Terlalu banyak permintaan; coba lagi nanti (too many requests; retry later).",
    }
    body = {"error": (exc.name or "error").lower().replace(" ", "_"),
            "message": messages.get(exc.code, exc.description)}
    return jsonify(body), exc.code or 500


from helpdesk.api import complaints, openapi, staff, tokens  # noqa: E402,F401  (routes and commands)

bp.cli.add_command(tokens.create_api_token)
bp.cli.add_command(tokens.revoke_api_token)
