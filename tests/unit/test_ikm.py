"""The IKM arithmetic of PermenPANRB 14/2017 and the Krejcie-Morgan sample, against hand-computed values."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.survey import ikm
from helpdesk.survey.elements import ELEMENTS, valid_scores

# Four respondents; the element totals and means worked out by hand:
# U1 4+3+2+4=13 -> 3.25, U2 13 -> 3.25, U3 14 -> 3.50, U4 16 -> 4.00, U5 13 -> 3.25,
# U6 13 -> 3.25, U7 14 -> 3.50, U8 13 -> 3.25, U9 12 -> 3.00; sum of means 30.25,
# weighted 30.25 / 9 = 3.3611…, converted 30.25 x 25 / 9 = 84.0277… -> 84.03, grade B.
ANSWERS = [(4, 4, 4, 4, 4, 4, 4, 4, 4), (3, 3, 3, 4, 3, 3, 3, 3, 3), (2, 3, 3, 4, 3, 2, 3, 3, 2),
           (4, 3, 4, 4, 3, 4, 4, 3, 3)]


def test_element_means_index_and_grade_of_a_hand_computed_set():
    result = ikm.compute(ANSWERS)
    assert result.respondents == 4
    assert [float(m) for m in result.means] == [3.25, 3.25, 3.5, 4.0, 3.25, 3.25, 3.5, 3.25, 3.0]
    assert result.weighted == Fraction(121, 36)  # 30.25 / 9
    assert result.index == Fraction(3025, 36)  # 84.02777…
    assert result.index_shown == Decimal("84.03")
    assert result.grade.letter == "B" and result.grade.label == ("Baik", "Good")


def test_the_exact_weight_reaches_100_where_0_111_would_stop_at_99_9():
    best = ikm.compute([(4,) * 9] * 3)
    assert best.index == 100 and best.index_shown == Decimal("100.00") and best.grade.letter == "A"
    assert float(sum(Fraction(4) * Fraction("0.111") for _ in range(9)) * 25) == pytest.approx(99.9)
    worst = ikm.compute([(1,) * 9])
    assert worst.index == 25 and worst.grade.letter == "D"


def test_from_sums_matches_compute_and_refuses_impossible_totals():
    sums = [sum(a[i] for a in ANSWERS) for i in range(9)]
    assert ikm.from_sums(4, sums) == ikm.compute(ANSWERS)
    assert ikm.from_sums(0, [0] * 9) is None and ikm.compute([]) is None
    with pytest.raises(ValueError):
        ikm.from_sums(2, [9] + [4] * 8)  # a mean of 4.5
    with pytest.raises(ValueError):
        ikm.from_sums(2, [4] * 8)


@pytest.mark.parametrize("index, letter", [
    ("100", "A"), ("88.31", "A"), ("88.305", "A"), ("88.3049", "B"), ("88.30", "B"),
    ("76.61", "B"), ("76.605", "B"), ("76.6049", "C"), ("76.60", "C"),
    ("65.00", "C"), ("64.995", "C"), ("64.9949", "D"), ("64.99", "D"), ("25.00", "D"),
])
def test_grades_exactly_at_and_between_the_two_decimal_edges(index, letter):
    assert ikm.grade(Decimal(index)).letter == letter
    assert ikm.grade(Fraction(Decimal(index))).letter == letter


def test_an_index_outside_25_to_100_is_refused():
    for bad in ("24.99", "100.01", "0"):
        with pytest.raises(ValueError):
            ikm.grade(Decimal(bad))
    assert ikm.grade(Decimal("24.995")).letter == "D"  # shown as 25.00


def test_rounding_is_half_up_and_exact():
    assert ikm.round_half_up(Fraction(88305, 1000)) == Decimal("88.31")
    assert ikm.round_half_up(Decimal("2.675")) == Decimal("2.68")  # 2.675 as a float rounds to 2.67
    assert ikm.round_half_up(Fraction(1, 3), 3) == Decimal("0.333")


# Krejcie & Morgan (1970), Table 1: population N -> sample S, as published.
KREJCIE_MORGAN = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48, 60: 52, 65: 56, 70: 59,
    75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86, 120: 92, 130: 97, 140: 103, 150: 108, 160: 113,
    170: 118, 180: 123, 190: 127, 200: 132, 210: 136, 220: 140, 230: 144, 240: 148, 250: 152, 260: 155,
    270: 159, 280: 162, 290: 165, 300: 169, 320: 175, 340: 181, 360: 186, 380: 191, 400: 196, 420: 201,
    440: 205, 460: 210, 480: 214, 500: 217, 550: 226, 600: 234, 650: 242, 700: 248, 750: 254, 800: 260,
    850: 265, 900: 269, 950: 274, 1000: 278, 1100: 285, 1200: 291, 1300: 297, 1400: 302, 1500: 306,
    1600: 310, 1700: 313, 1800: 317, 1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338,
    3000: 341, 3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364, 8000: 367, 9000: 368,
    10000: 370, 15000: 375, 20000: 377, 30000: 379, 40000: 380, 50000: 381, 75000: 382, 1000000: 384,
}


def test_the_formula_reproduces_every_entry_of_the_published_table():
    assert {n: ikm.krejcie_morgan(n) for n in KREJCIE_MORGAN} == KREJCIE_MORGAN


def test_krejcie_morgan_small_and_bad_populations():
    assert ikm.krejcie_morgan(0) == 0 and ikm.krejcie_morgan(1) == 1
    # 330 by hand: 3.841*330*0.25 / (0.0025*329 + 3.841*0.25) = 316.8825 / 1.78275 = 177.75 -> 178
    assert ikm.krejcie_morgan(330) == 178
    with pytest.raises(ValueError):
        ikm.krejcie_morgan(-1)


@given(st.integers(min_value=1, max_value=2_000_000))
def test_the_sample_never_exceeds_the_population_nor_384(n):
    s = ikm.krejcie_morgan(n)
    assert 1 <= s <= min(n, 384)
    assert ikm.krejcie_morgan(n + 1) >= s


answers = st.lists(st.tuples(*[st.integers(min_value=1, max_value=4)] * 9), min_size=1, max_size=40)


@given(answers)
def test_the_index_is_25_times_the_mean_of_the_element_means(rows):
    result = ikm.compute(rows)
    assert result.index == 25 * sum(result.means) / 9
    assert 25 <= result.index <= 100
    assert result.grade.letter in "ABCD"
    assert result.means[0] == Fraction(sum(r[0] for r in rows), len(rows))


@given(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=30))
def test_unanimous_answers_give_25_times_the_score(score, n):
    assert ikm.compute([(score,) * 9] * n).index == 25 * score


@given(st.decimals(min_value=25, max_value=100, places=4), st.decimals(min_value=25, max_value=100, places=4))
def test_a_higher_index_never_gets_a_worse_grade(a, b):
    low, high = sorted((a, b))
    assert ikm.grade(high).letter <= ikm.grade(low).letter  # "A" < "B" < …


def test_scores_are_checked_element_by_element():
    assert valid_scores(["4", 3, 2, 1, "1", 2, 3, 4, 4]) == (4, 3, 2, 1, 1, 2, 3, 4, 4)
    for bad in ([4] * 8, [4] * 8 + [5], [4] * 8 + ["x"], [4] * 8 + [None], [4] * 8 + ["3.0"]):
        with pytest.raises(ValueError):
            valid_scores(bad)
    assert len(ELEMENTS) == 9 and ELEMENTS[7].label[0] == "Penanganan pengaduan, saran dan masukan"
