"""Normalisation of complaints as citizens write them, and the similar-complaint ranking."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from helpdesk.classify.normalise import complaint_text, normalise
from helpdesk.classify.similar import rank_similar

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_similarity_scores_are_those_of_scikit_learns_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpdesk.classify.normalise import STOP_WORDS, normalise

    texts = [t for _, t in CANDIDATES] + [
        "Sertifikat standar CV Maju Plastik untuk talang PVC mencantumkan KBLI 22230, mohon dikoreksi",
        "Toilet kotor, air mati, dan petugas loket tidak ramah: toilet di lantai dua juga kotor",
        "Berkas izin usaha yg sdh lengkap blm diproses sejak 3 mgg, petugas minta uang rokok lagi",
    ]
    candidates = list(enumerate(texts, start=1))
    for query in texts[3:] + ["petugas loket uang rokok berkas", "kode KBLI sertifikat salah"]:
        docs = [normalise(query)] + [normalise(t) for t in texts]
        matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=list(STOP_WORDS),
                                 token_pattern=r"(?u)\b\w\w\w+\b").fit_transform(docs)
        expected = (matrix[1:] @ matrix[0].T).toarray().ravel()
        ranked = dict(rank_similar(query, candidates, limit=len(texts), minimum=0.0))
        for i, score in enumerate(expected, start=1):
            assert ranked.get(i, 0.0) == pytest.approx(round(float(score), 3), abs=1e-9), (query, i)


def test_the_ticket_page_path_does_not_load_scikit_learn():
    script = textwrap.dedent("""
        import sys
        from helpdesk.web.officer import ticket_views  # noqa: F401  (the ticket page, with its related tickets)
        from helpdesk.tickets import related  # noqa: F401
        from helpdesk.classify.similar import rank_similar
        assert rank_similar("sertifikat standar talang PVC salah kode KBLI",
                            [(1, "Talang PVC: sertifikat standar salah kode KBLI")])
        print(sorted(m for m in sys.modules if m.split(".")[0] == "sklearn"))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
