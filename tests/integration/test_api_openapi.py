"""The OpenAPI document matches the routes, and the live API conforms to it (schemathesis)."""
from __future__ import annotations

import base64
import re
import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.serving import make_server

from tests.integration.api_support import complaint, key, staff


def _documented(doc: dict) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in doc["paths"].items() for method in item}


def _routed(app) -> set[tuple[str, str]]:
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            out |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_every_api_route_is_documented_and_every_documented_operation_exists(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    assert _documented(doc) == _routed(app)
    operation_ids = {op["operationId"] for item in doc["paths"].values() for op in item.values()}
    assert operation_ids == {op for op, _ in RUNS}  # each one is fuzzed below


def test_the_document_offers_the_catalogue_and_its_schemas_are_valid(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    assert doc["components"]["schemas"]["ComplaintRequest"]["properties"]["service"]["enum"] == [
        "sertifikasi-industri-hijau", "sertifikat-standar-kbli-22210"]
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)


@pytest.fixture
def live_api(app):
    """The app served over real HTTP on a free loopback port, a staff token and one filed ticket."""
    _, auth = staff("supervisor")
    pdf = base64.b64encode(b"%PDF-1.4 bukti").decode()
    body = complaint(confidential=True,
                     attachments=[{"filename": "bukti.pdf", "content_type": "application/pdf", "data": pdf}])
    del body["service_received_on"]
    filed = app.test_client().post("/api/v1/complaints", headers=key(), json=body).json
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield base, auth, filed
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


VALID, INVALID = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# Every documented operation with valid input, and with invalid input where it takes any.
RUNS = [("fileComplaint", VALID), ("fileComplaint", INVALID), ("ticketStatus", VALID), ("ticketStatus", INVALID),
        ("listTickets", VALID), ("listTickets", INVALID), ("getTicket", VALID), ("getTicket", INVALID),
        ("openapi", VALID)]


@pytest.mark.parametrize(("operation_id", "mode"), RUNS, ids=[f"{op}-{m.value}" for op, m in RUNS])
def test_the_live_api_conforms_to_its_document(live_api, operation_id, mode):
    """Generated requests, valid and invalid: documented status codes and bodies, never a 500."""
    base, auth, filed = live_api
    bearer = auth["Authorization"].split(" ", 1)[1]
    config = schemathesis.Config.from_dict({"auth": {"openapi": {"bearer": {"bearer": bearer}}}})
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", config=config)
    operation = schema.find_operation_by_id(operation_id)
    statuses = []
    # A schema-valid complaint may still be refused with 422 for what a schema cannot say (a
    # future service date, a file whose bytes are not its declared type): those are tested in
    # test_api_complaints.py, so here the other checks run on that operation.
    excluded = [positive_data_acceptance] if operation_id == "fileComplaint" else None

    fixed = {}
    if mode == GenerationMode.POSITIVE and "{number}" in operation.path:
        # Valid requests name the ticket filed above, so full 200 bodies are checked too.
        fixed["path_parameters"] = {"number": filed["number"]}
        if operation_id == "ticketStatus":
            fixed["headers"] = {"X-Tracking-Token": filed["tracking_token"]}

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=True)  # the same requests on every run and backend
    def check(case):
        statuses.append(case.call_and_validate(excluded_checks=excluded).status_code)

    check()
    if mode == GenerationMode.POSITIVE:  # valid requests got through (the token was used)
        assert (201 if operation_id == "fileComplaint" else 200) in statuses
