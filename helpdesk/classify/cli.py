"""Commands: ``classify TEXT``, ``classify-eval FILE.jsonl``, ``classify-train``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select


@click.command("classify")
@click.argument("text", nargs=-1, required=True)
@with_appcontext
def classify_text(text: tuple[str, ...]) -> None:
    """Print the proposal for TEXT ('-' reads standard input) as JSON."""
    from helpdesk.classify import store

    body = sys.stdin.read() if text == ("-",) else " ".join(text)
    proposal = store.current().classifier.propose(body)
    if proposal is None:
        raise click.BadParameter("the text holds no words to classify", param_hint="TEXT")
    click.echo(json.dumps(proposal.as_json(), ensure_ascii=False))


@click.command("classify-eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="also list the misclassified complaints")
@with_appcontext
def classify_eval(file: Path, errors: bool) -> None:
    """Judge the current model on FILE (lines of {"text", "component"[, "service"]})."""
    from helpdesk.catalog.models import Component
    from helpdesk.classify import store
    from helpdesk.classify.data import DataError, read_jsonl
    from helpdesk.classify.evaluate import evaluate, render
    from helpdesk.extensions import db

    try:
        labeled = read_jsonl(file, components=set(db.session.scalars(select(Component.slug))))
    except DataError as exc:
        raise click.ClickException(str(exc)) from exc
    loaded = store.current()
    report = evaluate(loaded.classifier, labeled.examples, threshold=current_app.config["CLASSIFIER_MIN_CONFIDENCE"],
                      service_labeled=labeled.service_labeled)
    click.echo(f"model: {'version ' + str(loaded.version) if loaded.version else 'shipped (not stored)'}, "
               f"{loaded.classifier.examples} training examples")
    if errors:
        for gold, predicted, text in report.errors:
            click.echo(f"{gold} -> {predicted}: {text[:160]}")
    click.echo(render(report))


@click.command("classify-train")
@click.option("--force", is_flag=True, help="train even when nothing new was confirmed")
@with_appcontext
def classify_train(force: bool) -> None:
    """Train on the shipped set and officers' confirmed classifications; store a new version."""
    from helpdesk.classify.training import retrain_and_commit

    click.echo(json.dumps(retrain_and_commit(force=force), ensure_ascii=False))
