"""The role check every staff route uses."""
from __future__ import annotations

from flask import Blueprint
from flask_login import FlaskLoginClient

from helpdesk.auth import roles_required
from helpdesk.extensions import db
from helpdesk.users.models import User
from tests.conftest import make_test_app


def test_roles_required_refuses_anonymous_and_wrong_roles(app, database_url, tmp_path):
    # A fresh app on the same database: routes cannot be added to one that has served requests.
    probe_app = make_test_app(database_url, tmp_path)
    bp = Blueprint("probe", __name__)

    @bp.get("/api/probe")
    @roles_required("head")
    def probe():
        return "ok"

    probe_app.register_blueprint(bp)
    head = User(email="kepala@x.id", role="head")
    officer = User(email="petugas@x.id", role="officer")
    db.session.add_all([head, officer])
    db.session.commit()
    try:
        assert probe_app.test_client().get("/api/probe").status_code == 401
        probe_app.test_client_class = FlaskLoginClient
        for user, status in ((officer, 403), (head, 200)):
            assert probe_app.test_client(user=user).get("/api/probe").status_code == status
        assert probe.allowed_roles == {"head"}
    finally:
        with probe_app.app_context():
            db.engine.dispose()
