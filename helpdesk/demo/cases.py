"""The demo's reports: labeled complaints of the shipped training set, and each report as it arrives."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime

from helpdesk.classify.data import TRAIN
from helpdesk.demo.people import Person


@dataclass(frozen=True)
class Example:
    """One labeled complaint of the shipped training set: the demo's texts and their true labels."""

    text: str
    component: str
    service: str | None
    channel: str


class Examples:
    """The shipped labeled complaints, drawn without repeats (per channel where possible)."""

    def __init__(self, rng: random.Random):
        rows = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line.strip()]
        # Texts naming another ticket's number would point at tickets this office never had.
        self.rows = [Example(r["text"], r["component"], r.get("service"), r["channel"])
                     for r in rows if "ADU-" not in r["text"]]
        rng.shuffle(self.rows)

    def take(self, channel: str, *, component: str | None = None, service=..., other: bool = False,
             mentions: str = "") -> Example:
        """An unused example written for ``channel`` (the API carries web-form texts)."""
        wanted = "web" if channel == "api" else channel

        def fits(e: Example, by_channel: bool) -> bool:
            return ((not by_channel or e.channel == wanted) and (component is None or e.component == component)
                    and (service is ... or e.service == service) and (other or e.component != "lainnya")
                    and mentions in e.text.lower())
        for by_channel in (True, False):
            for i, e in enumerate(self.rows):
                if fits(e, by_channel):
                    return self.rows.pop(i)
        raise LookupError(f"no labeled example left for {channel}/{component}/{service}")


@dataclass
class Case:
    """One report as it reaches the office."""

    channel: str
    example: Example
    who: Person
    at: datetime
    served_on: date | None = None
    confidential: bool = False
    expected: str = ""
    key: str = ""
