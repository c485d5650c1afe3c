"""Safe file names, the blob store and contact normalisation."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from channels.base import Sender
from helpdesk.intake.contacts import normalise_contacts, normalise_phone
from helpdesk.tickets.storage import BlobStore, safe_filename


@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\budi\\surat pengaduan.pdf", "surat pengaduan.pdf"),
    ("foto<script>.jpg", "foto_script_.jpg"),
    ("", "lampiran"),
    ("...", "lampiran"),
    ("laporan\x00.exe", "laporan_.exe"),
    ("surat–keberatan ü.docx", "surat–keberatan ü.docx"),
])
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


@given(st.text())
def test_safe_filename_never_has_path_parts(name):
    out = safe_filename(name)
    assert out and "/" not in out and "\\" not in out and not out.startswith(".") and len(out) <= 180


def test_blob_store_is_content_addressed(tmp_path):
    store = BlobStore(tmp_path)
    a, b = store.put(b"isi"), store.put(b"isi")
    assert a == b and store.get(a) == b"isi"
    assert len(list(tmp_path.rglob("*"))) == 2  # one folder, one file, no temp left behind
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


@pytest.mark.parametrize("raw, phone", [
    ("0812-3456-7890", "+6281234567890"), ("62 812 3456 7890", "+6281234567890"),
    ("+62 (812) 3456 7890", "+6281234567890"), ("", None), ("tidak ada", None)])
def test_phone_numbers_normalise_to_one_form(raw, phone):
    assert normalise_phone(raw) == phone


def test_contacts_are_normalised_and_empty_ones_dropped():
    sender = Sender(name="Siti", email=" Siti@Contoh.ID ", phone="0812 1", telegram=" 12345 ", whatsapp="")
    assert normalise_contacts(sender) == [("email", "siti@contoh.id"), ("phone", "+628121"),
                                          ("telegram", "12345")]
