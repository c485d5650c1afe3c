"""The ticket state machine: every allowed transition, forbidden ones, messages, random walks."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.rules.lifecycle import (
    LABELS, OPEN_STATUSES, TERMINAL, Status as S, TransitionError, allowed, check, is_open,
)

ALLOWED = {
    (S.RECEIVED, S.VERIFIED), (S.RECEIVED, S.ACKNOWLEDGED), (S.RECEIVED, S.REJECTED),
    (S.RECEIVED, S.MERGED),
    (S.VERIFIED, S.IN_ANALYSIS), (S.VERIFIED, S.ACKNOWLEDGED), (S.VERIFIED, S.REJECTED),
    (S.VERIFIED, S.MERGED),
    (S.IN_ANALYSIS, S.IN_FOLLOW_UP), (S.IN_ANALYSIS, S.ANSWERED), (S.IN_ANALYSIS, S.MERGED),
    (S.IN_FOLLOW_UP, S.ANSWERED), (S.IN_FOLLOW_UP, S.MERGED),
    (S.ANSWERED, S.CLOSED), (S.ANSWERED, S.REOPENED), (S.ANSWERED, S.MERGED),
    (S.CLOSED, S.REOPENED),
    (S.ACKNOWLEDGED, S.CLOSED), (S.ACKNOWLEDGED, S.VERIFIED), (S.ACKNOWLEDGED, S.MERGED),
    (S.REJECTED, S.REOPENED),
    (S.REOPENED, S.IN_ANALYSIS), (S.REOPENED, S.IN_FOLLOW_UP), (S.REOPENED, S.ANSWERED),
    (S.REOPENED, S.MERGED),
}
FORBIDDEN = sorted({(a, b) for a in S for b in S} - ALLOWED)


def test_transition_table_is_exactly_the_documented_one():
    assert {(a, b) for a in S for b in allowed(a)} == ALLOWED


@pytest.mark.parametrize("current, target", sorted(ALLOWED))
def test_every_allowed_transition(current, target):
    assert check(current, target) is target


@pytest.mark.parametrize("current, target", [
    (S.VERIFIED, S.ANSWERED),          # must go through analysis
    (S.RECEIVED, S.IN_ANALYSIS),       # must be verified first
    (S.RECEIVED, S.CLOSED),
    (S.CLOSED, S.VERIFIED),
    (S.CLOSED, S.MERGED),              # reopen first
    (S.MERGED, S.REOPENED),            # merged is terminal
    (S.IN_FOLLOW_UP, S.IN_ANALYSIS),
    (S.ACKNOWLEDGED, S.IN_ANALYSIS),   # a suggestion becomes a complaint via verified
    (S.IN_ANALYSIS, S.REJECTED),       # rejection only at triage
    (S.REOPENED, S.CLOSED),
    (S.ANSWERED, S.ANSWERED),          # same state is an error too
    (S.RECEIVED, S.RECEIVED),
])
def test_sample_of_forbidden_transitions(current, target):
    with pytest.raises(TransitionError):
        check(current, target)


def test_message_names_from_to_and_allowed_targets():
    with pytest.raises(TransitionError) as exc:
        check(S.CLOSED, S.VERIFIED)
    err = exc.value
    assert str(err) == "Tidak dapat mengubah status dari 'Selesai' ke 'Diverifikasi'. Yang diizinkan: Dibuka kembali."
    assert err.message_en == "Cannot change the status from 'Closed' to 'Verified'. Allowed: Reopened."
    assert (err.current, err.target, err.allowed) == (S.CLOSED, S.VERIFIED, frozenset({S.REOPENED}))
    assert isinstance(err, ValueError)


def test_message_lists_several_targets_in_lifecycle_order():
    with pytest.raises(TransitionError) as exc:
        check(S.VERIFIED, S.ANSWERED)
    assert str(exc.value).endswith("Yang diizinkan: Dalam analisis, Dicatat sebagai saran, Ditolak, Digabung.")


def test_message_from_terminal_status_says_none():
    with pytest.raises(TransitionError, match="Yang diizinkan: tidak ada.") as exc:
        check(S.MERGED, S.RECEIVED)
    assert exc.value.message_en.endswith("Allowed: none.")


def test_check_accepts_plain_strings():
    assert check("in_analysis", "answered") is S.ANSWERED
    with pytest.raises(ValueError):
        check("received", "archived")


def test_labels_cover_every_status():
    assert set(LABELS) == set(S)
    assert LABELS[S.RECEIVED] == ("Diterima", "Received")
    assert LABELS[S.ACKNOWLEDGED][0] == "Dicatat sebagai saran"
    assert len({id_ for id_, _ in LABELS.values()}) == len(S)


def test_open_and_terminal_sets():
    assert OPEN_STATUSES == {S.RECEIVED, S.VERIFIED, S.IN_ANALYSIS, S.IN_FOLLOW_UP, S.REOPENED}
    assert TERMINAL == {S.MERGED}
    assert all(not allowed(s) for s in TERMINAL)
    assert all(allowed(s) for s in set(S) - TERMINAL)


@pytest.mark.parametrize("status", list(S))
def test_is_open(status):
    assert is_open(status) is (status in OPEN_STATUSES)
    assert is_open(status.value) is is_open(status)


def test_every_status_is_reachable_from_received():
    seen, todo = {S.RECEIVED}, [S.RECEIVED]
    while todo:
        for nxt in allowed(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(S)


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=0, max_value=100), max_size=40))
def test_random_walk_of_allowed_transitions_never_raises(choices):
    current = S.RECEIVED
    for c in choices:
        options = sorted(allowed(current))
        if not options:
            assert current in TERMINAL
            break
        current = check(current, options[c % len(options)])


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_any_pair_outside_allowed_raises(current, target):
    if target in allowed(current):
        assert check(current, target) is target
    else:
        with pytest.raises(TransitionError) as exc:
            check(current, target)
        assert exc.value.allowed == allowed(current)


def test_forbidden_pairs_all_raise():
    for current, target in FORBIDDEN:
        with pytest.raises(TransitionError):
            check(current, target)
