"""Names of channels, tiers and statuses as the reports print them (Indonesian, English). Pure."""
from __future__ import annotations

from helpdesk.rules.lifecycle import LABELS as STATUS_LABELS, Status

CHANNELS: dict[str, tuple[str, str]] = {
    "email": ("E-mail", "E-mail"), "telegram": ("Telegram", "Telegram"), "whatsapp": ("WhatsApp", "WhatsApp"),
    "web": ("Formulir web", "Web form"), "api": ("API", "API"), "phone": ("Telepon", "Phone"),
    "letter": ("Surat", "Letter"), "walk_in": ("Datang langsung", "Walk-in"),
    "box": ("Kotak pengaduan", "Complaint box"),
}
TIERS: dict[str, tuple[str, str]] = {
    "internal": ("Internal", "Internal"), "technical": ("Tim teknis/instansi lain", "Technical team/other agency"),
    "apip": ("APIP", "APIP"),
}
KINDS: dict[str, tuple[str, str]] = {"complaint": ("Pengaduan", "Complaint"),
                                     "suggestion": ("Saran/masukan", "Suggestion")}
NONE = ("Belum ditentukan", "Not set")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def label(dimension: str, value: str | None, lang: str = "id") -> str:
    """The printed name of a channel, tier, kind or status value; names of services and units pass through."""
    if value is None or value == "":
        return _pick(NONE, lang)
    table = {"channel": CHANNELS, "tier": TIERS, "kind": KINDS}.get(dimension)
    if table is not None:
        return _pick(table.get(value, (value, value)), lang)
    if dimension == "status":
        try:
            return _pick(STATUS_LABELS[Status(value)], lang)
        except ValueError:
            return value
    return value
