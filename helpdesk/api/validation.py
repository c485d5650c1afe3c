"""Request checks for the API: the documented JSON Schema, then what a schema cannot say.

Errors come back as a list of {"field", "message"} so a client can show them beside its
inputs; messages never echo the submitted value (it may be huge or hostile).
"""
from __future__ import annotations

import base64
import binascii
import json

from jsonschema import Draft202012Validator

from channels.base import UNSTORABLE

MAX_TEXT = 20_000
MAX_ATTACHMENTS = 5
IDEMPOTENCY_KEY_MAX = 200

# Declared type -> the leading bytes the file must start with (None: not sniffed).
ATTACHMENT_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": None,
    "text/plain": None,
    "application/msword": None,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": None,
    "application/vnd.ms-excel": None,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": None,
    "application/vnd.oasis.opendocument.text": None,
}
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class BadJSON(ValueError):
    """The body is not JSON at all (400), as opposed to JSON with wrong fields (422)."""


def _text(max_length: int, **extra) -> dict:
    return {"type": "string", "maxLength": max_length, **extra}


def complaint_schema(service_slugs: list[str] | None = None) -> dict:
    """The body of POST /complaints; ``service_slugs`` (when known) become the allowed values."""
    service = _text(80, description="slug of a service from the office's catalogue")
    if service_slugs:
        service = {"type": "string", "enum": list(service_slugs), "description": service["description"]}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "reporter": {
                "type": "object", "additionalProperties": False,
                "description": "who complains; without a name and a contact the report is a suggestion (R3)",
                "properties": {
                    "name": _text(200),
                    "email": _text(254, format="email"),
                    "phone": _text(40, pattern=r"^\+?[0-9][0-9 ().-]{4,38}$"),
                },
            },
            "confidential": {"type": "boolean", "description": "hide the reporter's identity from "
                                                               "staff who do not handle the ticket"},
            "service": service,
            "service_received_on": {"type": "string", "format": "date",
                                    "description": "when the reporter received the service (R3: 30-day window)"},
            "subject": _text(300),
            "text": _text(MAX_TEXT, minLength=1, pattern=r"\S", description="the complaint itself"),
            "expected_outcome": _text(5000),
            "attachments": {
                "type": "array", "maxItems": MAX_ATTACHMENTS,
                "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["filename", "content_type", "data"],
                    "properties": {
                        "filename": _text(255, minLength=1),
                        "content_type": {"type": "string", "enum": sorted(ATTACHMENT_TYPES)},
                        "data": {"type": "string", "pattern": BASE64, "contentEncoding": "base64"},
                    },
                },
            },
        },
    }


def parse_json(raw: bytes):
    """Decode a request body; raise BadJSON with a short reason when it is not JSON."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadJSON("the body is not UTF-8") from exc
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, huge integers, deep nesting
        raise BadJSON(f"the body is not valid JSON ({type(exc).__name__})") from exc


def _field(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(body)"


def _message(error) -> tuple[str, str]:
    """(field, message) for one jsonschema error, without the offending value."""
    kind, arg = error.validator, error.validator_value
    field = _field(error.absolute_path)
    if kind == "required":
        missing = next((name for name in arg if name not in (error.instance or {})), "?")
        return _field([*error.absolute_path, missing]), "wajib diisi (required)"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _field([*error.absolute_path, extra[0] if extra else "?"]), "tidak dikenal (unknown field)"
    texts = {
        "type": f"harus bertipe {arg} (must be of type {arg})",
        "maxLength": f"paling banyak {arg} karakter (at most {arg} characters)",
        "minLength": "tidak boleh kosong (must not be empty)",
        "maxItems": f"paling banyak {arg} butir (at most {arg} items)",
        "enum": "bukan nilai yang diizinkan (not one of the allowed values)",
        "format": f"bukan format {arg} yang sah (not a valid {arg})",
        "pattern": "bentuknya tidak sah (has an invalid form)",
    }
    return field, texts.get(kind, f"tidak sah ({kind})")


def schema_errors(validator: Draft202012Validator, data) -> list[dict]:
    """Every schema violation as {"field", "message"}, sorted by field."""
    seen, out = set(), []
    for error in validator.iter_errors(data):
        field, message = _message(error)
        if (field, message) not in seen:
            seen.add((field, message))
            out.append({"field": field, "message": message})
    return sorted(out, key=lambda e: e["field"])


def idempotency_key_errors(key: str | None) -> list[dict]:
    """Problems with the client's Idempotency-Key header (required, storable, ≤ 200 characters)."""
    if not key or not key.strip():
        return [{"field": "Idempotency-Key", "message": "header wajib diisi (header required)"}]
    if not storable(key):
        return [{"field": "Idempotency-Key", "message": "berisi karakter kendali (contains control characters)"}]
    if len(key) > IDEMPOTENCY_KEY_MAX:
        return [{"field": "Idempotency-Key",
                 "message": f"paling banyak {IDEMPOTENCY_KEY_MAX} karakter (at most {IDEMPOTENCY_KEY_MAX} characters)"}]
    return []


def clean(text: str | None) -> str:
    """Drop characters no database can store (NUL, other C0 controls, lone surrogates)."""
    return UNSTORABLE.sub("", text or "")


def storable(value: str) -> bool:
    """False when a database could not even compare the value (PostgreSQL refuses NUL)."""
    return not UNSTORABLE.search(value)


def decode_attachment(item: dict) -> tuple[bytes | None, str | None]:
    """(bytes, None) or (None, why not): base64 that decodes and content that fits its type."""
    try:
        data = base64.b64decode(item["data"], validate=True)
    except (binascii.Error, ValueError):
        return None, "bukan base64 yang sah (not valid base64)"
    magic = ATTACHMENT_TYPES.get(item["content_type"])
    if magic and not data.startswith(magic):
        return None, "isi berkas tidak sesuai jenisnya (content does not match its content_type)"
    return data, None
