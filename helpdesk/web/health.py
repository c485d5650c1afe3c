"""Liveness for load balancers and the README's first check."""
from __future__ import annotations

from flask import Blueprint, jsonify

from helpdesk.auth import public_route
from helpdesk.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public_route
def healthz():
    try:
        db.session.execute(db.text("SELECT 1"))
    except Exception as exc:  # report, never crash the probe
        return jsonify(status="error", database=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")
