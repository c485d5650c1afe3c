"""The classifier in the application: intake proposals, commands, stored versions, retraining."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from helpdesk.catalog.models import Service
from helpdesk.classify import store, training
from helpdesk.classify.data import HELDOUT
from helpdesk.classify.model import Classifier, runtime
from helpdesk.classify.models import ClassifierModel
from helpdesk.extensions import db
from helpdesk.intake.service import ingest
from helpdesk.tickets import operations
from helpdesk.tickets.models import Event, Ticket
from helpdesk.users.models import User
from tests.factories import inbound

ROOT = Path(__file__).resolve().parents[2]
KBLI, HIJAU = "sertifikat-standar-kbli-22210", "sertifikasi-industri-hijau"


def cli(app, *args, input=None, ok=True):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    if ok:
        assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def file(text: str, **kw) -> Ticket:
    result = ingest(inbound(text, subject="", **kw))
    assert result.created
    return result.ticket


@pytest.fixture
def fresh_cache(monkeypatch):
    """The model cache of a process that has loaded no stored version yet (keeping the shipped model)."""
    fresh = store._Cache()
    fresh.shipped = store._cache.shipped
    monkeypatch.setattr(store, "_cache", fresh)
    return fresh


@pytest.fixture
def threshold(app):
    """Set CLASSIFIER_MIN_CONFIDENCE for one test."""
    before = app.config["CLASSIFIER_MIN_CONFIDENCE"]
    yield lambda value: app.config.update(CLASSIFIER_MIN_CONFIDENCE=value)
    app.config["CLASSIFIER_MIN_CONFIDENCE"] = before


def test_classify_prints_the_proposal_as_json(app):
    out = json.loads(cli(app, "classify", "Petugas loket minta uang rokok 200rb biar berkas cepat").stdout)
    assert list(out) == ["component", "confidence", "service", "explain"]
    assert out["component"] == "biaya" and 0 < out["confidence"] <= 1 and out["explain"]
    piped = json.loads(cli(app, "classify", "-", input="NIB dan sertifikat standar di OSS belum terbit").stdout)
    assert piped["service"] == KBLI
    empty = cli(app, "classify", "!!!", ok=False)
    assert empty.exit_code != 0 and "no words" in empty.output


def test_classify_eval_reports_the_held_out_split(app):
    out = cli(app, "classify-eval", str(HELDOUT)).stdout
    last = out.strip().splitlines()[-1]
    match = re.fullmatch(r"accuracy=(0\.\d\d|1\.00) macro_f1=(0\.\d\d|1\.00)", last)
    assert match, last
    assert float(match.group(1)) >= 0.85 and float(match.group(2)) >= 0.75
    for part in ("macro-F1:", "precision  recall  f1-score  support", "confusion matrix", "service accuracy",
                 "jangka_waktu"):
        assert part in out


def test_classify_eval_refuses_a_file_it_cannot_judge(app, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Toilet kotor", "component": "sarana_prasarana"}\n'
                   '{"text": "Kopi dingin", "component": "kopi"}\n', encoding="utf-8")
    result = cli(app, "classify-eval", str(bad), ok=False)
    assert result.exit_code == 1 and "bad.jsonl:2: unknown component 'kopi'" in result.output


def test_classify_train_stores_versions_skips_unchanged_data_and_keeps_three(app):
    first = json.loads(cli(app, "classify-train").stdout)
    assert first["version"] == 1 and first["source"] == "shipped" and first["confirmed"] == 0
    assert first["heldout_accuracy"] >= 0.85
    assert json.loads(cli(app, "classify-train").stdout) == {
        "skipped": "nothing new confirmed since this version", "version": 1}
    for _ in range(3):
        cli(app, "classify-train", "--force")
    kept = db.session.scalars(select(ClassifierModel.id).order_by(ClassifierModel.id)).all()
    assert kept == [2, 3, 4] and store.current().version == 4
    assert training.ensure_model() == {"skipped": "a loadable model is stored", "version": 4}


def test_init_db_stores_the_shipped_model_once(app):
    cli(app, "init-db")
    cli(app, "init-db")
    row = db.session.scalars(select(ClassifierModel)).one()
    assert row.source == "shipped" and row.runtime == runtime() and json.loads(row.metrics)["heldout_macro_f1"] >= 0.75


def test_a_confident_proposal_is_applied_at_intake_but_stays_unconfirmed(app):
    ticket = file("Petugas loket meminta uang 300rb supaya berkas cepat selesai, padahal layanannya gratis")
    assert ticket.proposed_component == "biaya" and ticket.proposal_confidence >= 0.7
    assert ticket.component == "biaya" and not ticket.classification_confirmed
    explain = json.loads(ticket.proposal_explain)
    assert {"uang", "rupiah"} & set(explain["words"]) and explain["model_version"] is None
    event = next(e for e in ticket.events if e.action == "component")
    assert event.actor == "classifier" and event.after == "biaya" and "klasifikasi otomatis" in event.note


def test_below_the_threshold_the_proposal_waits_for_an_officer(app, threshold):
    threshold(0.99)
    ticket = file("Petugas loket meminta uang 300rb supaya berkas cepat selesai, padahal layanannya gratis")
    assert ticket.proposed_component == "biaya" and ticket.proposal_confidence < 0.99
    assert ticket.component is None and not any(e.actor == "classifier" for e in ticket.events)
    threshold(1.0)  # never applied
    assert file("Toilet di ruang tunggu kotor sekali dan airnya mati", email="lain@contoh.id").component is None


def test_the_service_is_proposed_from_the_text_and_never_overrides_the_reporters_choice(app):
    kbli = db.session.scalar(select(Service).filter_by(slug=KBLI))
    named = file("NIB saya sudah terbit tapi sertifikat standar di OSS belum diverifikasi DPMPTSP sampai sekarang")
    assert named.proposed_service_id == kbli.id and named.service_id == kbli.id
    assert json.loads(named.proposal_explain)["service_confidence"] >= 0.7
    chosen = file("NIB saya sudah terbit tapi sertifikat standar di OSS belum diverifikasi", service_slug=HIJAU,
                  email="pabrik@contoh.id")
    assert chosen.proposed_service_id == kbli.id and chosen.service.slug == HIJAU
    plain = file("Toilet di ruang tunggu kotor sekali", email="warga@contoh.id")
    assert plain.proposed_service_id is None and plain.service_id is None


def test_a_failing_classifier_never_loses_a_complaint(app, monkeypatch, caplog):
    def broken():
        raise RuntimeError("model store unreachable")
    monkeypatch.setattr(store, "current", broken)
    with caplog.at_level(logging.ERROR, logger="helpdesk.classify.proposals"):
        result = ingest(inbound("Toilet di ruang tunggu kotor", external_id="lost-never"))
    assert result.created and "no classification proposal" in caplog.text
    number = result.ticket.number
    db.session.remove()  # read back what was committed
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.number == number and ticket.proposed_component is None
    assert [e.action for e in ticket.events] == ["created", "kind", "due"]


def test_a_stored_model_that_cannot_be_loaded_is_skipped_for_the_shipped_one(app, caplog, fresh_cache):
    db.session.add(ClassifierModel(previous=0, source="retrained", data_sha256="x" * 64, runtime=runtime(),
                                   examples=1, blob=b"not a model"))
    db.session.commit()
    with caplog.at_level(logging.ERROR, logger="helpdesk.classify.store"):
        assert store.current().version is None
    assert "could not be loaded" in caplog.text
    assert file("Toilet di ruang tunggu kotor sekali").proposed_component == "sarana_prasarana"
    # A broken newer version does not replace a good one already in use.
    good = training.retrain_and_commit(force=True)["version"]
    assert store.current().version == good
    db.session.add(ClassifierModel(previous=good, source="retrained", data_sha256="z" * 64, runtime=runtime(),
                                   examples=1, blob=b"not a model either"))
    db.session.commit()
    assert store.current().version == good


def test_a_model_of_another_runtime_is_not_loaded_and_is_replaced_by_init(app):
    db.session.add(ClassifierModel(previous=0, source="shipped", data_sha256="y" * 64,
                                   runtime="scikit-learn 0.1; features 0", examples=1,
                                   blob=store.current().classifier.dumps()))
    db.session.commit()
    assert store.current().version is None
    outcome = training.ensure_model()  # what init-db does after an upgrade of the library
    assert outcome["version"] == 2 and outcome["source"] == "shipped"
    assert store.current().version == 2


def test_the_model_loads_once_per_process_and_again_only_for_a_newer_version(app, monkeypatch, fresh_cache):
    loads = []
    original = Classifier.loads
    monkeypatch.setattr(Classifier, "loads", staticmethod(lambda blob: loads.append(1) or original(blob)))
    shipped = store.current()
    assert shipped.version is None and store.current() is shipped and loads == []
    cli(app, "classify-train")
    first = store.current()
    assert first.version == 1 and store.current() is first and store.current() is first and len(loads) == 1
    cli(app, "classify-train", "--force")
    assert store.current().version == 2 and store.current().version == 2 and len(loads) == 2


def test_a_version_stored_by_another_process_is_used_here_within_the_check_interval(app, monkeypatch, fresh_cache):
    reads = []
    original = store._read
    monkeypatch.setattr(store, "_read", lambda stmt: reads.append(1) or original(stmt))
    first = training.retrain_and_commit()["version"]
    t0 = 1000.0
    in_use = store.current(now=t0)
    assert in_use.version == first and len(reads) == 2  # the newest version's key, then its blob
    # Another process stores a newer version: a row written through a connection of its own.
    with db.engine.begin() as conn:
        conn.execute(db.insert(ClassifierModel).values(
            previous=first, source="retrained", data_sha256="n" * 64, runtime=runtime(), examples=1,
            confirmed=0, metrics="{}", blob=in_use.classifier.dumps()))
    for offset in (1.0, store.CHECK_SECONDS / 2, store.CHECK_SECONDS - 0.01):
        assert store.current(now=t0 + offset) is in_use  # no query inside the interval
    assert len(reads) == 2
    newer = store.current(now=t0 + store.CHECK_SECONDS)
    assert newer.version == first + 1 and len(reads) == 4
    assert file("Toilet di ruang tunggu kotor sekali").proposed_component == "sarana_prasarana"


CORRECTED = ["Kode QR di meja loket rusak, tidak terbaca kamera",
             "kode qr di meja loket ga bisa discan dr tadi",
             "Saya mencoba memindai kode QR di meja loket tetapi halamannya tidak terbuka",
             "QR code di meja loket sudah pudar dan tidak bisa dipakai",
             "Mohon kode QR di meja loket diganti karena robek"]
LATER = "Kode QR di meja loket 3 tidak bisa dipindai pakai ponsel saya, tolong dicek"


def test_officers_corrections_change_later_proposals_after_a_retrain(app, database_url):
    # At this office the QR code on the counter desk is the satisfaction-survey link (evaluasi kinerja).
    officer = User(email="petugas@kantor.go.id", role="officer", name="Petugas")
    db.session.add(officer)
    for i, text in enumerate(CORRECTED):
        ticket = file(text, email=f"warga{i}@contoh.id")
        operations.classify(ticket, service_id=None, component="evaluasi_kinerja", user=officer)
    db.session.commit()
    before = file(LATER, email="sebelum@contoh.id")
    assert before.proposed_component != "evaluasi_kinerja"

    outcome = json.loads(cli(app, "classify-train").stdout)
    assert outcome["confirmed"] == len(CORRECTED) and outcome["source"] == "retrained"
    after = file(LATER, email="sesudah@contoh.id")
    assert after.proposed_component == "evaluasi_kinerja"
    assert json.loads(after.proposal_explain)["model_version"] == outcome["version"]
    assert {"kode", "meja", "loket"} & set(json.loads(after.proposal_explain)["words"])

    # Another process (a second worker) picks the new version up from the database.
    env = {**os.environ, "HELPDESK_ENV": "testing", "HELPDESK_DATABASE_URL": database_url}
    proc = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "classify", LATER], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["component"] == "evaluasi_kinerja"
    assert f"classifier version {outcome['version']} loaded" in proc.stderr


def test_the_retraining_job_is_registered_and_skips_when_nothing_new_was_confirmed(app):
    from helpdesk.jobs import PERIODIC_JOBS

    job = PERIODIC_JOBS["retrain-classifier"]
    assert job.cron == {"hour": 2, "minute": 30} and job.seconds is None
    assert job.func()["version"] == 1
    assert job.func() == {"skipped": "nothing new confirmed since this version", "version": 1}


def test_a_stored_model_that_no_longer_loads_is_retrained_not_skipped(app, fresh_cache):
    from helpdesk.jobs import PERIODIC_JOBS

    assert training.retrain_and_commit()["version"] == 1
    db.session.execute(db.update(ClassifierModel).values(blob=b"pickled by code that is gone"))
    db.session.commit()
    assert PERIODIC_JOBS["retrain-classifier"].func()["version"] == 2  # the same data, trained again
    assert store.current().version == 2
    assert training.ensure_model() == {"skipped": "a loadable model is stored", "version": 2}


def test_two_processes_retraining_at_once_store_one_version(app, monkeypatch):
    training.retrain_and_commit()
    stale = SimpleNamespace(id=store.newest().id, data_sha256="stale")
    training.retrain_and_commit(force=True)  # the other process won: version 2 on top of version 1
    monkeypatch.setattr(store, "newest", lambda: stale)
    outcome = training.retrain_and_commit()
    assert outcome["skipped"] == "another process stored a new version at the same time"
    assert db.session.scalar(select(func.count()).select_from(ClassifierModel)) == 2


def test_only_confirmed_classifications_with_a_component_are_learned(app):
    officer = User(email="petugas@kantor.go.id", role="officer", name="Petugas")
    db.session.add(officer)
    confirmed = file("Antrian di loket panjang sekali", email="a@contoh.id")
    operations.classify(confirmed, service_id=confirmed.service_id, component="jumlah_pelaksana", user=officer)
    file("Toilet kotor", email="b@contoh.id")  # applied by the classifier, never confirmed
    no_component = file("Saya ingin bertanya", email="c@contoh.id")
    no_component.component = None
    operations.classify(no_component, service_id=None, component=None, user=officer)
    db.session.commit()
    examples = training.confirmed_examples()
    assert [(e.text, e.component, e.weight) for e in examples] == [
        ("Antrian di loket panjang sekali", "jumlah_pelaksana", training.CONFIRMED_WEIGHT)]
    assert db.session.scalar(select(func.count()).select_from(Event)
                             .filter_by(action="classification_confirmed")) == 2
