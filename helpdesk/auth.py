"""Who may do what: Flask-Login sessions and the role check every staff route uses."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, g, jsonify, redirect, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from helpdesk.extensions import db, login_manager
from helpdesk.rules.routing import Role

# Roles allowed on the staff areas; admin is not implied everywhere on purpose (R6: only the
# head approves APIP referrals).
STAFF = (Role.OFFICER, Role.SUPERVISOR, Role.HEAD, Role.ADMIN)
SUPERVISORS = (Role.SUPERVISOR, Role.HEAD, Role.ADMIN)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
    login_manager.session_protection = "basic"  # a changed client marks the session non-fresh

    @app.before_request
    def _forget_cached_user():
        # Each request loads its user afresh, even when an outer app context (a test, a CLI
        # command) keeps ``g`` alive across requests.
        g.pop("_login_user", None)


@login_manager.user_loader
def load_user(user_id: str):
    from helpdesk.users.models import User
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def roles_required(*roles: Role | str):
    """Refuse anonymous users (login, or 401 for JSON) and users without one of ``roles`` (403)."""
    allowed = {Role(r).value for r in roles}

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                if _wants_json():
                    return jsonify(error="authentication required",
                                   message="Autentikasi diperlukan (authentication required)."), 401
                try:
                    return redirect(url_for(login_manager.login_view, next=request.full_path))
                except BuildError:  # no login page mounted (API-only deployments)
                    abort(401)
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        wrapper.allowed_roles = frozenset(allowed)  # read by the route-walking role test
        return wrapper
    return decorate


def public_route(view):
    """Mark a view as open to everyone (citizens, webhooks checked by signature, health)."""
    view.public = True
    return view
