"""Whole numbers from what visitors type: only ASCII digits, never more than an id column holds."""
from __future__ import annotations

import pytest

from helpdesk.inputs import whole_number


@pytest.mark.parametrize("value, expected", [
    ("7", 7), (" 42 ", 42), ("007", 7), (12, 12), ("9" * 18, int("9" * 18)),
    ("", None), (None, None), ("²", None), ("¹2", None), ("٣", None), ("-1", None), ("+1", None),
    ("1.5", None), ("1e3", None), ("9" * 19, None), ("12a", None), ("1 2", None),
])
def test_whole_number(value, expected):
    assert whole_number(value) == expected
