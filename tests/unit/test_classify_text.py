"""Normalisation of complaints as citizens write them, and the similar-complaint ranking."""
from __future__ import annotations

from hypothesis import given, strategies as st

from helpdesk.classify.normalise import complaint_text, normalise
from helpdesk.classify.similar import rank_similar


def test_chat_shorthand_becomes_standard_words():
    assert normalise("yg gak sdh udah tdk bgt") == "yang tidak sudah sudah tidak banget"
    assert normalise("Min, knp blm kelar2 jg?? Udh 3 mgg") == "admin kenapa belum selesai selesai juga sudah minggu"


def test_stretched_letters_and_reduplication_are_folded():
    assert normalise("lamaaaa bangettt") == "lama banget"
    assert normalise("petugas2 di loket") == "petugas petugas di loket"


def test_money_links_addresses_and_ticket_numbers_become_placeholders():
    text = "Diminta Rp 500.000 dan 200rb, lihat https://contoh.id/x atau tulis ke budi@contoh.id soal ADU-2026-000123"
    assert normalise(text) == "diminta rupiah dan rupiah lihat situs atau tulis ke surel soal nomortiket"


def test_mixed_english_is_read_in_indonesian():
    assert normalise("The staff was rude, no response to my complaint") == \
        "the petugas was kasar no tanggapan to my pengaduan"


@given(st.text(alphabet="abcdefgiklmnoprstuyz 2.-,!?ÀÉ", max_size=80))
def test_normalising_twice_changes_nothing(text):
    once = normalise(text)
    assert normalise(once) == once


def test_the_subject_is_read_unless_it_repeats_the_body():
    assert complaint_text("Berkas belum diproses", "Berkas belum diproses sejak Maret.") == \
        "Berkas belum diproses sejak Maret."
    assert complaint_text("Pungutan di loket", "Saya diminta uang.") == "Pungutan di loket\nSaya diminta uang."
    assert complaint_text("", "") == "" and complaint_text("Judul saja", None) == "Judul saja"


CANDIDATES = [
    (1, "Talang PVC produksi CV Maju Plastik ditolak verifikasi karena sertifikat standar salah kode KBLI"),
    (2, "Toilet di ruang tunggu kotor dan airnya mati"),
    (3, "Petugas loket meminta uang rokok saat menyerahkan berkas"),
]


def test_a_complaint_on_the_same_matter_ranks_first_and_unrelated_ones_not_at_all():
    ranked = rank_similar("CV Maju Plastik: sertifikat standar talang PVC salah kode KBLI, mohon diperbaiki",
                          CANDIDATES)
    assert [i for i, _ in ranked] == [1]
    assert 0.25 <= ranked[0][1] <= 1


def test_nothing_is_similar_to_an_empty_or_stop_word_text():
    assert rank_similar("", CANDIDATES) == []
    assert rank_similar("yang dan di ke", CANDIDATES) == []
    assert rank_similar("toilet kotor", []) == []
