"""R3 admissibility: identity, object of complaint, the 30-day window, officer override."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from helpdesk.rules.admissibility import (
    COMPLAINT_WINDOW_DAYS, Kind, Verdict, assess, has_identity, has_object, override,
)

FILED = date(2024, 5, 31)
TEXT = "Izin usaha saya belum terbit padahal berkas sudah lengkap sejak bulan lalu."
NAME = "Siti Aminah"
CONTACTS = ["siti@example.id"]


def _assess(**kw):
    args = dict(name=NAME, contacts=CONTACTS, text=TEXT, service_received_on=None, filed_on=FILED)
    args.update(kw)
    return assess(**args)


@pytest.mark.parametrize("name, contacts, expected", [
    ("Siti", ["siti@example.id"], True),
    ("Siti", [None, "", "  ", "+6281234567890"], True),
    ("Siti", [], False),                       # name only
    ("Siti", [None, "", "   "], False),        # name with blank contacts
    (None, ["siti@example.id"], False),        # contact only
    ("", ["siti@example.id"], False),          # blank name
    ("   \t", ["siti@example.id"], False),     # whitespace name
    (None, [], False),
])
def test_has_identity(name, contacts, expected):
    assert has_identity(name, contacts) is expected


def test_has_identity_accepts_any_iterable():
    assert has_identity("Budi", (c for c in [None, "12345"])) is True


@pytest.mark.parametrize("text, expected", [
    (TEXT, True),
    ("Antrian loket lama", True),              # 3 words, 16 chars
    ("Pelayanan lambat", False),               # 2 words
    ("a b c d e", False),                      # 5 words but only 5 characters
    ("ab cd ef gh ij", True),                  # 5 words, exactly 10 characters
    ("ab cd ef gh i", False),                  # 5 words, 9 characters
    ("ab cd ef gh", False),                    # 4 words, 8 characters
    ("", False),
    (None, False),
    ("   \n\t  ", False),                      # whitespace only
    ("!!! ??? ... ---", False),                # punctuation only
    ("___ ___ ___ ___", False),                # underscores are not letters
    ("Loket 3 tutup jam 10", True),            # digits count as words
])
def test_has_object(text, expected):
    assert has_object(text) is expected


@pytest.mark.parametrize("days, kind, code", [
    (0, Kind.COMPLAINT, "ok"),
    (29, Kind.COMPLAINT, "ok"),
    (30, Kind.COMPLAINT, "ok"),                # exactly 30 days is still a complaint
    (31, Kind.SUGGESTION, "late"),
    (365, Kind.SUGGESTION, "late"),
    (-5, Kind.COMPLAINT, "ok"),                # service date after filing: no crash, not late
])
def test_complaint_window(days, kind, code):
    v = _assess(service_received_on=FILED - timedelta(days=days))
    assert (v.kind, v.code) == (kind, code)


def test_window_constant_is_thirty_days():
    assert COMPLAINT_WINDOW_DAYS == 30


def test_unknown_service_date_is_a_complaint():
    assert _assess(service_received_on=None).code == "ok"


@pytest.mark.parametrize("overrides, code", [
    (dict(name=""), "no_identity"),
    (dict(name=None), "no_identity"),
    (dict(contacts=[]), "no_identity"),
    (dict(contacts=["  "]), "no_identity"),
    (dict(text="   "), "no_object"),
    (dict(text="Tolong dong"), "no_object"),
    # identity is checked before object, object before lateness
    (dict(name="", text="", service_received_on=FILED - timedelta(days=90)), "no_identity"),
    (dict(text="", service_received_on=FILED - timedelta(days=90)), "no_object"),
])
def test_suggestion_reasons_and_order(overrides, code):
    v = _assess(**overrides)
    assert v.kind == Kind.SUGGESTION
    assert v.code == code


def test_reasons_are_bilingual_and_distinct():
    no_id = _assess(name=None)
    assert no_id.reason == ("Identitas pelapor tidak dicantumkan; laporan diperlakukan "
                            "sebagai saran/masukan.")
    assert "identity" in no_id.reason_en
    late = _assess(service_received_on=FILED - timedelta(days=31))
    assert "30 hari" in late.reason and "30 calendar days" in late.reason_en
    assert "saran/masukan" in _assess(text="").reason
    ok = _assess()
    assert ok.reason and ok.reason_en and ok.reason != no_id.reason


def test_verdict_is_immutable():
    v = _assess()
    with pytest.raises(AttributeError):
        v.kind = Kind.SUGGESTION  # type: ignore[misc]


def test_override_with_reason():
    late = _assess(service_received_on=FILED - timedelta(days=45))
    v = override(late, Kind.COMPLAINT, "  Pelapor baru mengetahui masalahnya kemarin.  ")
    assert v == Verdict(Kind.COMPLAINT, "officer_override",
                        "Diubah oleh petugas menjadi pengaduan: Pelapor baru mengetahui masalahnya kemarin.",
                        "Changed by an officer to a complaint: Pelapor baru mengetahui masalahnya kemarin.")


def test_override_to_suggestion_accepts_plain_string_kind():
    v = override(_assess(), "suggestion", "Isi laporan berupa usulan perbaikan.")
    assert v.kind is Kind.SUGGESTION and v.code == "officer_override"
    assert "saran/masukan" in v.reason


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_override_without_reason_is_refused(reason):
    with pytest.raises(ValueError, match="reason is required"):
        override(_assess(name=None), Kind.COMPLAINT, reason)


def test_override_to_same_kind_is_refused():
    with pytest.raises(ValueError, match="kind unchanged"):
        override(_assess(), Kind.COMPLAINT, "Tetap pengaduan.")
