"""The nine elements of the public-satisfaction survey (PermenPANRB 14/2017) and the 1-4 scale.

Pure data, shared by the web form, the chat conversation, the reports and the exports.
Labels are (Indonesian, English) pairs, as in ``helpdesk.rules.lifecycle.LABELS``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Element:
    code: str  # U1 … U9, as the guideline numbers them
    label: tuple[str, str]
    question: tuple[str, str]

    @property
    def column(self) -> str:
        """The column of survey_responses holding this element's score (u1 … u9)."""
        return self.code.lower()


ELEMENTS: tuple[Element, ...] = (
    Element("U1", ("Persyaratan", "Requirements"),
            ("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
             "How well did the requirements fit the kind of service?")),
    Element("U2", ("Sistem, mekanisme, dan prosedur", "Systems, mechanisms and procedures"),
            ("Bagaimana pendapat Anda tentang kemudahan prosedur pelayanan?",
             "How easy was the service procedure?")),
    Element("U3", ("Waktu penyelesaian", "Completion time"),
            ("Bagaimana pendapat Anda tentang kecepatan waktu pelayanan?",
             "How fast was the service delivered?")),
    Element("U4", ("Biaya/tarif", "Fees/tariffs"),
            ("Bagaimana pendapat Anda tentang kewajaran biaya/tarif pelayanan?",
             "How fair were the fees/tariffs of the service?")),
    Element("U5", ("Produk spesifikasi jenis pelayanan", "Product specification of the service"),
            ("Bagaimana pendapat Anda tentang kesesuaian hasil pelayanan dengan yang tercantum dalam "
             "standar pelayanan?", "How well did the result match what the service standard promises?")),
    Element("U6", ("Kompetensi pelaksana", "Staff competence"),
            ("Bagaimana pendapat Anda tentang kemampuan petugas dalam memberikan pelayanan?",
             "How competent were the staff?")),
    Element("U7", ("Perilaku pelaksana", "Staff behaviour"),
            ("Bagaimana pendapat Anda tentang kesopanan dan keramahan petugas?",
             "How polite and friendly were the staff?")),
    Element("U8", ("Penanganan pengaduan, saran dan masukan", "Handling of complaints, suggestions and input"),
            ("Bagaimana pendapat Anda tentang penanganan pengaduan Anda?",
             "How well was your complaint handled?")),
    Element("U9", ("Sarana dan prasarana", "Facilities and infrastructure"),
            ("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana pelayanan?",
             "How good were the service's facilities and infrastructure?")),
)
CODES = tuple(e.code for e in ELEMENTS)
COLUMNS = tuple(e.column for e in ELEMENTS)

SCALE: dict[int, tuple[str, str]] = {
    1: ("Tidak baik", "Not good"),
    2: ("Kurang baik", "Fair"),
    3: ("Baik", "Good"),
    4: ("Sangat baik", "Very good"),
}


def text(pair: tuple[str, str], lang: str) -> str:
    """The English half of a label pair for lang "en", else the Indonesian one."""
    return pair[1] if lang == "en" else pair[0]


def valid_scores(scores) -> tuple[int, ...]:
    """The nine scores as ints 1-4, in element order; ValueError naming the first bad one."""
    values = tuple(scores)
    if len(values) != len(ELEMENTS):
        raise ValueError(f"a survey answer has {len(ELEMENTS)} scores, not {len(values)}")
    out = []
    for element, value in zip(ELEMENTS, values):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in SCALE or str(value).strip() != str(number):
            raise ValueError(f"{element.code}: a score is 1, 2, 3 or 4, not {value!r}")
        out.append(number)
    return tuple(out)
