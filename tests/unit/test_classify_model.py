"""The classifier without an app: the shipped data set, training, proposals, explanations, evaluation."""
from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from channels.base import CHANNELS
from helpdesk.catalog.seed import COMPONENTS, SERVICES
from helpdesk.classify.data import HELDOUT, TRAIN, DataError, read_jsonl, shipped_heldout, shipped_training
from helpdesk.classify.evaluate import evaluate, render
from helpdesk.classify.features import Features
from helpdesk.classify.heads import calibrated_svm
from helpdesk.classify.model import Classifier, Example, Proposal, fingerprint
from helpdesk.classify.normalise import READ_CHARS, normalise

SLUGS = {slug for slug, *_ in COMPONENTS}
COMMON = {"persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "sarana_prasarana",
          "kompetensi_pelaksana", "penanganan_pengaduan"}


@pytest.fixture(scope="session")
def shipped() -> Classifier:
    """The shipped model, trained once for the whole session."""
    return Classifier(list(shipped_training()))


def _rows(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_data_set_covers_every_component_both_services_and_every_channel():
    rows = _rows(TRAIN) + _rows(HELDOUT)
    assert len(rows) >= 400
    per_component = Counter(r["component"] for r in rows)
    assert set(per_component) == SLUGS
    assert all(per_component[c] >= 45 for c in COMMON), per_component
    assert all(n >= 25 for n in per_component.values()), per_component
    services = Counter(r["service"] for r in rows)
    assert {slug for slug, *_ in SERVICES} <= set(services) and services[None] > 0
    assert all(services[slug] >= 100 for slug, *_ in SERVICES)
    assert {r["channel"] for r in rows} >= set(CHANNELS) - {"api"}
    # Each component is held out too, so every class is judged.
    assert {r["component"] for r in _rows(HELDOUT)} == SLUGS


def test_chat_shorthand_typos_and_english_are_part_of_the_data_set():
    texts = " ".join(r["text"].lower() for r in _rows(TRAIN) + _rows(HELDOUT))
    for word in ("yg", "gak", "sdh", "udah", "tdk", "bgt", "dengan hormat", "dear"):
        assert re.search(rf"\b{word}\b", texts), word


def test_held_out_complaints_are_not_near_copies_of_training_ones():
    train = [normalise(e.text) for e in shipped_training()]
    held = [normalise(e.text) for e in shipped_heldout()]
    for vectorizer, limit in ((TfidfVectorizer(ngram_range=(1, 3)), 0.5),
                              (TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)), 0.7)):
        matrix = vectorizer.fit_transform(train + held)
        closest = (matrix[len(train):] @ matrix[:len(train)].T).toarray().max(axis=1)
        worst = int(np.argmax(closest))
        assert closest[worst] < limit, (held[worst], closest[worst])
    assert not set(train) & set(held)


def test_the_held_out_split_meets_the_bar(shipped):
    report = evaluate(shipped, shipped_heldout(), threshold=0.7)
    assert report.accuracy >= 0.85 and report.macro_f1 >= 0.75, render(report)
    # Confident proposals are right more often than proposals in general.
    assert report.confident_correct / report.confident > report.accuracy


@pytest.mark.parametrize("text, component", [
    ("min yg urus sertifikat kok gak kelar2 sih, udh 5 mgg nunggu", "jangka_waktu"),
    ("petugas loketnya judes bgt, ditanya malah ngebentak", "kompetensi_pelaksana"),
    ("td dimintain duit 300rb sm oknum biar berkas cpt diproses, pdhl katanya gratis", "biaya"),
    ("persyartan dokumennya ga jelas, tiap dtg diminta berkas tambahan yg ga ada di daftar", "persyaratan"),
    ("The officer at the counter was rude and shouted at my mother", "kompetensi_pelaksana"),
    ("AC ruang tunggu mati, panas sekali dan kursinya kurang", "sarana_prasarana"),
    ("Nama perusahaan di sertifikat salah ketik, mohon diterbitkan ulang", "produk"),
    ("Pengaduan saya sebulan lalu tidak pernah dijawab", "penanganan_pengaduan"),
])
def test_citizens_writing_is_understood(shipped, text, component):
    proposal = shipped.propose(text)
    assert proposal.component == component, proposal
    assert 0 < proposal.confidence <= 1


def test_the_explanation_names_words_of_the_text_that_point_to_the_class(shipped):
    proposal = shipped.propose("Toilet di ruang tunggu kotor dan bau, airnya tidak mengalir")
    assert proposal.component == "sarana_prasarana"
    assert "toilet" in proposal.explain and set(proposal.explain) <= set(normalise(
        "Toilet di ruang tunggu kotor dan bau, airnya tidak mengalir").split())
    assert not {"yang", "dan", "di"} & set(proposal.explain)


def test_the_service_is_proposed_only_when_the_text_names_it(shipped):
    kbli = shipped.propose("NIB sudah terbit tapi sertifikat standar di OSS belum diverifikasi DPMPTSP")
    hijau = shipped.propose("Audit tahap 2 sertifikasi industri hijau oleh auditor BSPJI ditunda terus")
    plain = shipped.propose("Toilet di ruang tunggu kotor dan bau")
    assert kbli.service == "sertifikat-standar-kbli-22210" and kbli.service_explain
    assert hijau.service == "sertifikasi-industri-hijau"
    assert plain.service is None and plain.service_explain == ()


def test_a_text_without_words_gets_no_proposal(shipped):
    assert shipped.propose("") is None and shipped.propose("!!! 123 ???") is None
    assert shipped.propose_many([]) == []


def test_the_command_line_shape_has_exactly_four_fields(shipped):
    out = shipped.propose("bayar pungli di loket").as_json()
    assert list(out) == ["component", "confidence", "service", "explain"]
    json.dumps(out)  # plain types only


def test_probabilities_from_the_fitted_numbers_are_scikit_learns(shipped):
    train = list(shipped_training())
    X = shipped._features([normalise(e.text) for e in train])
    reference = calibrated_svm(X, [e.component for e in train], np.ones(len(train)), 0.5)
    held = shipped._features([normalise(e.text) for e in shipped_heldout()])
    assert list(reference.classes_) == shipped.component.classes
    np.testing.assert_allclose(shipped.component.proba(held), reference.predict_proba(held), atol=1e-9)


def test_the_features_kept_without_scikit_learn_are_the_vectorizers_own():
    train = [normalise(e.text) for e in shipped_training()]
    texts = [normalise(e.text) for e in shipped_heldout()] + [
        "", "a", "x y", "   spasi   ganda\t\tdan\nbaris  ", "Kata-Kata ÉLITE 2 pungli123 pungli123 pungli123"]
    for vectorizer in (TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b",
                                       dtype=np.float32),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32)):
        vectorizer.fit(train)
        ours = Features(vectorizer)
        analyse = vectorizer.build_analyzer()
        assert all(ours.analyse(t) == analyse(t) for t in texts + train[:50])
        expected, got = vectorizer.transform(texts), ours.transform(texts)
        assert got.dtype == expected.dtype == np.float32 and got.shape == expected.shape
        assert (got.indptr == expected.indptr).all() and (got.indices == expected.indices).all()
        np.testing.assert_allclose(got.data, expected.data, rtol=1e-6)
    with pytest.raises(ValueError):
        Features(TfidfVectorizer(stop_words=["dan"]).fit(train))


def test_a_stored_model_is_used_without_importing_scikit_learn(shipped):
    code = ("import sys, zlib; from helpdesk.classify.model import Classifier; "
            "c = Classifier.loads(sys.stdin.buffer.read()); print(c.propose('pungli di loket').component); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))")
    out = subprocess.run([sys.executable, "-c", code], input=shipped.dumps(), capture_output=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.decode().split("\n")
    assert out[:2] == [shipped.propose("pungli di loket").component, "[]"]


def test_only_the_start_of_a_long_text_is_read(shipped):
    long = "Petugas loket meminta uang pelicin agar berkas saya cepat diproses. " + \
        "Terlampir salinan surat permohonan sebelumnya beserta lampirannya. " * 30_000
    assert shipped.propose(long) == shipped.propose(long[:READ_CHARS]) != shipped.propose(long[:READ_CHARS // 2])


def test_a_stored_model_proposes_exactly_what_it_did_before(shipped):
    again = Classifier.loads(shipped.dumps())
    texts = [e.text for e in shipped_heldout()[:20]]
    assert again.propose_many(texts) == shipped.propose_many(texts)


def test_loading_refuses_what_is_not_a_stored_classifier():
    with pytest.raises(TypeError):
        Classifier.loads(zlib.compress(pickle.dumps({"not": "a model"})))
    with pytest.raises(zlib.error):
        Classifier.loads(b"garbage")


def test_training_needs_two_labels_and_ignores_labels_with_too_few_examples():
    with pytest.raises(ValueError):
        Classifier([Example("uang pungli loket", "biaya")] * 5)
    examples = ([Example(f"pungli uang loket {i}", "biaya") for i in range(4)]
                + [Example(f"toilet kotor rusak {i}", "sarana_prasarana") for i in range(4)]
                + [Example("sekali saja", "lainnya")])
    model = Classifier(examples)
    assert model.component.classes == ["biaya", "sarana_prasarana"]
    proposal = model.propose("ada pungli di loket")
    assert proposal.component == "biaya" and proposal.service is None  # no service was ever named
    assert "pungli" in proposal.explain and model.propose("toilet rusak").component == "sarana_prasarana"
    # Two classes take scikit-learn's binary path: the same probabilities.
    learned = examples[:8]
    X = model._features([normalise(e.text) for e in learned])
    reference = calibrated_svm(X, [e.component for e in learned], np.ones(8), 0.5)
    np.testing.assert_allclose(model.component.proba(X), reference.predict_proba(X), atol=1e-9)


def test_the_fingerprint_follows_the_data_not_its_order():
    a, b = Example("satu", "biaya"), Example("dua", "produk")
    assert fingerprint([a, b]) == fingerprint([b, a])
    assert fingerprint([a, b]) != fingerprint([a, Example("dua", "produk", weight=2.0)])


class _Fixed:
    """A stand-in classifier that proposes given components, to check the arithmetic."""

    def __init__(self, answers):
        self.answers = answers

    def propose_many(self, texts):
        return [Proposal(c, conf, (), None, 0.9, ()) for c, conf in self.answers]


def test_evaluation_arithmetic_and_the_last_line():
    examples = [Example("a", "biaya"), Example("b", "biaya"), Example("c", "produk"), Example("d", "produk")]
    report = evaluate(_Fixed([("biaya", 0.9), ("produk", 0.4), ("produk", 0.8), ("produk", 0.95)]), examples,
                      threshold=0.7)
    assert report.accuracy == 0.75
    # biaya: P=1 R=0.5 F=2/3; produk: P=2/3 R=1 F=0.8
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert report.confusion == [[1, 1], [0, 2]] and report.labels == ["biaya", "produk"]
    assert (report.confident, report.confident_correct) == (3, 3)
    # Neither the examples nor the proposals name a service: all four agree.
    assert report.service_correct == 4 and report.errors == [("biaya", "produk", "b")]
    text = render(report)
    assert text.splitlines()[-1] == "accuracy=0.75 macro_f1=0.73"
    assert "confusion matrix" in text and " 2  produk" in text


def test_bad_labeled_files_are_refused_with_the_line(tmp_path):
    cases = {'{"text": "ok", "component": "biaya"}\nnot json\n': ":2: not JSON",
             '{"component": "biaya"}\n': ":1: 'text'",
             '{"text": "x", "component": "kopi"}\n': ":1: unknown component 'kopi'",
             '{"text": "x", "component": "biaya", "service": 5}\n': ":1: 'service'",
             '["x"]\n': ":1: expected an object",
             '\n\n': "no labeled lines"}
    for i, (body, message) in enumerate(cases.items()):
        path = tmp_path / f"bad{i}.jsonl"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(DataError, match=re.escape(message)):
            read_jsonl(path, components=SLUGS)
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "x", "component": "biaya"}\n', encoding="utf-8")
    labeled = read_jsonl(good, components=SLUGS)
    assert labeled.examples == (Example("x", "biaya"),) and not labeled.service_labeled
