"""The labeled complaints shipped with the project, and reading labeled JSON-lines files.

Pure: no Flask. ``data/train.jsonl`` trains the shipped model; ``data/heldout.jsonl`` is the
fixed held-out split it is judged on (never trained on by the shipped model).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpdesk.classify.model import Example

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN = DATA_DIR / "train.jsonl"
HELDOUT = DATA_DIR / "heldout.jsonl"
MAX_TEXT = 20000  # characters of a complaint the classifier reads


class DataError(ValueError):
    """A labeled file that cannot be used, with the line that is wrong."""


@dataclass(frozen=True)
class Labeled:
    examples: tuple[Example, ...]
    service_labeled: bool  # every line says its service (a slug, or null for none named)


def read_jsonl(path: Path | str, *, components: set[str] | None = None) -> Labeled:
    """Examples from lines of {"text", "component"[, "service"]}; refuses bad lines by number."""
    examples, with_service = [], 0
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise DataError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise DataError(f"{path}:{number}: expected an object with text and component")
        text, component, service = row.get("text"), row.get("component"), row.get("service")
        if not isinstance(text, str) or not text.strip():
            raise DataError(f"{path}:{number}: 'text' must be a non-empty string")
        if not isinstance(component, str) or not component:
            raise DataError(f"{path}:{number}: 'component' must be a component slug")
        if components is not None and component not in components:
            raise DataError(f"{path}:{number}: unknown component {component!r}")
        if service is not None and not isinstance(service, str):
            raise DataError(f"{path}:{number}: 'service' must be a service slug or null")
        with_service += "service" in row
        examples.append(Example(text=text[:MAX_TEXT], component=component, service=service or None))
    if not examples:
        raise DataError(f"{path}: no labeled lines")
    return Labeled(tuple(examples), with_service == len(examples))


@lru_cache(maxsize=1)
def shipped_training() -> tuple[Example, ...]:
    """The shipped training split (read once per process)."""
    return read_jsonl(TRAIN).examples


@lru_cache(maxsize=1)
def shipped_heldout() -> tuple[Example, ...]:
    """The shipped held-out split."""
    return read_jsonl(HELDOUT).examples
