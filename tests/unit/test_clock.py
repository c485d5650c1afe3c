"""The clock every module reads (``helpdesk.timeutil.utcnow``) and ``clock_at``, which sets it for a while."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from helpdesk.timeutil import clock_at, utcnow


def test_inside_clock_at_utcnow_answers_the_given_time_in_utc_and_the_real_time_after():
    at = datetime(2026, 8, 3, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    with clock_at(at):
        assert utcnow() == at and utcnow().tzinfo == timezone.utc
        with clock_at(at + timedelta(hours=2)):
            assert utcnow() == at + timedelta(hours=2)
        assert utcnow() == at
    assert abs(utcnow() - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_the_clock_is_restored_when_the_block_fails():
    with pytest.raises(RuntimeError), clock_at(datetime(2020, 1, 1, tzinfo=timezone.utc)):
        raise RuntimeError("boom")
    assert abs(utcnow() - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="time zone"), clock_at(datetime(2026, 1, 1)):
        pass
