"""The public-satisfaction index (IKM, PermenPANRB 14/2017) and the Krejcie-Morgan sample: pure.

For each of the nine elements the mean score (NRR, 1-4) over the respondents; the weighted sum
with the equal weight 1/9 each (exactly 1/9: the often-quoted 0.111 caps the index below 100);
the converted index IKM x 25 (25-100); and the quality grade by the guideline's intervals on the
converted index: A 88.31-100.00, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99.

Everything is computed in exact fractions. The guideline's intervals are written with two
decimals, so the converted index is rounded to two decimals (half up) first and the grade is the
interval that rounded value falls in: 88.305 is shown as 88.31 and graded A, 88.3049… is shown as
88.30 and graded B. The grade always agrees with the number printed beside it.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

from helpdesk.survey.elements import ELEMENTS

WEIGHT = Fraction(1, len(ELEMENTS))
CONVERSION = 25


@dataclass(frozen=True)
class Grade:
    letter: str
    label: tuple[str, str]  # mutu pelayanan (Indonesian, English)
    lowest: Decimal  # lowest two-decimal converted index of the interval


GRADES: tuple[Grade, ...] = (  # highest first
    Grade("A", ("Sangat Baik", "Very good"), Decimal("88.31")),
    Grade("B", ("Baik", "Good"), Decimal("76.61")),
    Grade("C", ("Kurang Baik", "Poor"), Decimal("65.00")),
    Grade("D", ("Tidak Baik", "Very poor"), Decimal("25.00")),
)


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, exactly (no binary floating point)."""
    if isinstance(value, Decimal):
        value = Fraction(value)
    scaled = Fraction(value) * 10 ** places
    return Decimal(floor(scaled + Fraction(1, 2))).scaleb(-places)


def grade(index: Fraction | Decimal | int) -> Grade:
    """The quality grade of a converted index (25-100), after rounding it to two decimals."""
    shown = round_half_up(index)
    if not Decimal(25) <= shown <= Decimal(100):
        raise ValueError(f"a converted IKM lies between 25 and 100, not {shown}")
    return next(g for g in GRADES if shown >= g.lowest)


@dataclass(frozen=True)
class Ikm:
    respondents: int
    means: tuple[Fraction, ...]  # NRR per element, 1-4, in element order
    weighted: Fraction  # the sum of NRR x 1/9 (1-4)
    index: Fraction  # weighted x 25 (25-100), exact

    @property
    def index_shown(self) -> Decimal:
        """The converted index as the report prints it (two decimals, half up)."""
        return round_half_up(self.index)

    @property
    def grade(self) -> Grade:
        return grade(self.index)


def from_sums(respondents: int, sums: Sequence[int]) -> Ikm | None:
    """The index from the number of respondents and the score total of each element (None if 0)."""
    if respondents <= 0:
        return None
    if len(sums) != len(ELEMENTS):
        raise ValueError(f"expected {len(ELEMENTS)} element totals, got {len(sums)}")
    means = tuple(Fraction(int(s), respondents) for s in sums)
    for element, mean in zip(ELEMENTS, means):
        if not 1 <= mean <= 4:
            raise ValueError(f"{element.code}: a mean of scores 1-4 cannot be {float(mean):.3f}")
    weighted = sum((m * WEIGHT for m in means), Fraction(0))
    return Ikm(respondents, means, weighted, weighted * CONVERSION)


def compute(responses: Iterable[Sequence[int]]) -> Ikm | None:
    """The index of a list of answers, each the nine scores in element order (None if empty)."""
    n, sums = 0, [0] * len(ELEMENTS)
    for scores in responses:
        if len(scores) != len(ELEMENTS):
            raise ValueError(f"an answer has {len(ELEMENTS)} scores, not {len(scores)}")
        n += 1
        for i, s in enumerate(scores):
            sums[i] += s
    return from_sums(n, sums)


# Krejcie & Morgan (1970): s = X2 N P(1-P) / (d2 (N-1) + X2 P(1-P)), with X2 = 3.841 (one degree
# of freedom, 95 %), P = 0.5 and d = 0.05, rounded to the nearest whole respondent. This
# reproduces every entry of the published table (10 -> 10, 1,000 -> 278, 1,000,000 -> 384).
CHI_SQUARE = Fraction(3841, 1000)
PROPORTION = Fraction(1, 2)
ACCURACY = Fraction(5, 100)


def krejcie_morgan(population: int) -> int:
    """The minimum number of respondents for a population of ``population`` served applicants."""
    if population < 0:
        raise ValueError("a population cannot be negative")
    if population == 0:
        return 0
    pq = PROPORTION * (1 - PROPORTION)
    s = CHI_SQUARE * population * pq / (ACCURACY ** 2 * (population - 1) + CHI_SQUARE * pq)
    return floor(s + Fraction(1, 2))
