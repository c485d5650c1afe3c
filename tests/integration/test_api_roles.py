"""Roles on every route: walk the URL map, try each route as anonymous and as every role."""
from __future__ import annotations

import re

import pytest
from flask_login import FlaskLoginClient

from helpdesk.users.models import ROLES
from tests.integration.api_support import staff


def _routes(app):
    """(rule, method, view, url) for every route but static files, with dummy arguments."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        # "1" fits every converter (int, string, path); refusals come before any lookup.
        url = re.sub(r"<[^<>]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule, method, app.view_functions[rule.endpoint], url))
    return out


def test_every_route_is_marked_public_or_with_its_roles(app):
    unmarked = [r.rule for r, _, view, _ in _routes(app)
                if not getattr(view, "public", False) and not getattr(view, "allowed_roles", None)]
    assert unmarked == []


def test_staff_routes_refuse_anonymous_and_roles_that_may_not_go(app):
    tokens = {role: staff(role) for role in ROLES}
    checked = 0
    for rule, method, view, url in _routes(app):
        allowed = getattr(view, "allowed_roles", None)
        if getattr(view, "public", False) or not allowed:
            continue
        api = url.startswith("/api/")
        anonymous = app.test_client().open(url, method=method)
        assert anonymous.status_code in ((401,) if api else (401, 302)), (url, method)
        if anonymous.status_code == 302:
            assert anonymous.headers["Location"].startswith("/masuk?next="), url
        for role, (user, auth) in tokens.items():
            if api:
                res = app.test_client().open(url, method=method, headers=auth)
            else:
                app.test_client_class = FlaskLoginClient
                try:
                    res = app.test_client(user=user).open(url, method=method)
                finally:
                    app.test_client_class = None
            if role in allowed:
                assert res.status_code not in (401, 403), (url, method, role)
            else:
                assert res.status_code == 403, (url, method, role)
                if api:
                    assert res.json["error"] == "forbidden"
        checked += 1
    assert checked >= 2  # at least the API's staff routes were walked


def test_public_api_routes_answer_anonymous_without_refusal(app):
    for rule, method, view, url in _routes(app):
        if getattr(view, "public", False) and url.startswith("/api/"):
            res = app.test_client().open(url, method=method, json={}, headers={"Idempotency-Key": "k"})
            assert res.status_code not in (401, 403, 500), (url, method, res.status_code)


def test_a_role_the_route_does_not_allow_gets_403_json(app):
    from werkzeug.exceptions import Forbidden
    from helpdesk.auth import roles_required

    _, auth = staff("officer")
    head_only = roles_required("head")(lambda: "ok")
    with app.test_request_context("/api/v1/tickets", headers=auth):
        app.preprocess_request()  # the API's bearer authentication
        with pytest.raises(Forbidden) as refused:
            head_only()
        res = app.make_response(app.handle_user_exception(refused.value))
    assert res.status_code == 403 and res.json["error"] == "forbidden"
