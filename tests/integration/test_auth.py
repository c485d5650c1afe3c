"""The role check every staff route uses."""
from __future__ import annotations

from flask import Blueprint
from flask_login import FlaskLoginClient

from helpdesk.auth import roles_required
from helpdesk.extensions import db
from helpdesk.users.models import User
from tests.conftest import make_test_app


def test_roles_required_refuses_anonymous_and_wrong_roles(app, database_url, tmp_path):
    # A fresh app: the shared one may already have served requests (no blueprints after that).
    shared, app = app, make_test_app(database_url, tmp_path)
    bp = Blueprint("probe", __name__)

    @bp.get("/api/probe")
    @roles_required("head")
    def probe():
        return "ok"

    app.register_blueprint(bp)
    ctx = app.app_context()
    ctx.push()
    try:
        head = User(email="kepala@x.id", role="head")
        officer = User(email="petugas@x.id", role="officer")
        db.session.add_all([head, officer])
        db.session.commit()
        assert app.test_client().get("/api/probe").status_code == 401
        app.test_client_class = FlaskLoginClient
        for user, status in ((officer, 403), (head, 200)):
            assert app.test_client(user=user).get("/api/probe").status_code == status
        assert probe.allowed_roles == {"head"}
    finally:
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
    assert shared is not app
