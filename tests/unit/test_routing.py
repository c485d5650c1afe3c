"""R6 routing: internal escalation, technical forwarding, APIP with the head's approval."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from helpdesk.rules.routing import (
    Approval, Role, Route, RoutingError, Tier, escalate, level_name, needs_head_approval, route,
)

AT = datetime(2024, 6, 3, 9, 30, tzinfo=timezone.utc)


def approval(role: Role) -> Approval:
    return Approval(approver_id=7, approver_role=role, at=AT, note="Perlu pemeriksaan Inspektorat.")


def test_internal_starts_at_staff_level():
    assert route(Tier.INTERNAL) == Route(Tier.INTERNAL, 0, None, None)


def test_internal_drops_party_and_approval():
    r = route("internal", forwarded_to="Dinas PUPR", approval=approval(Role.HEAD))
    assert (r.tier, r.level, r.forwarded_to, r.approval) == (Tier.INTERNAL, 0, None, None)


def test_technical_keeps_the_named_party():
    r = route(Tier.TECHNICAL, forwarded_to="  Dinas PUPR Kab. Purwakarta ")
    assert r == Route(Tier.TECHNICAL, 0, "Dinas PUPR Kab. Purwakarta", None)


@pytest.mark.parametrize("party", [None, "", "   "])
def test_technical_without_party_is_refused(party):
    with pytest.raises(RoutingError, match="agency to forward to is required"):
        route(Tier.TECHNICAL, forwarded_to=party)


def test_apip_without_approval_is_refused():
    with pytest.raises(RoutingError, match="head of office's approval"):
        route(Tier.APIP, forwarded_to="Inspektorat")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.ADMIN])
def test_apip_approved_by_anyone_but_the_head_is_refused(role):
    with pytest.raises(RoutingError, match=f"not by role '{role.value}'") as exc:
        route(Tier.APIP, approval=approval(role))
    assert "Kepala Kantor" in exc.value.message_id


def test_apip_with_head_approval():
    a = approval(Role.HEAD)
    r = route(Tier.APIP, forwarded_to="Inspektorat Kabupaten Purwakarta", approval=a)
    assert r == Route(Tier.APIP, 0, "Inspektorat Kabupaten Purwakarta", a)


def test_apip_head_approval_given_as_plain_string_role():
    a = Approval(1, "head", AT)  # type: ignore[arg-type]
    assert route("apip", approval=a).approval is a


@pytest.mark.parametrize("tier, expected", [
    (Tier.INTERNAL, False), (Tier.TECHNICAL, False), (Tier.APIP, True), ("apip", True),
])
def test_needs_head_approval(tier, expected):
    assert needs_head_approval(tier) is expected


def test_escalation_climbs_to_the_head_and_no_further():
    r = route(Tier.INTERNAL)
    levels = [r.level]
    for _ in range(3):
        r = escalate(r, chain_length=4)
        levels.append(r.level)
    assert levels == [0, 1, 2, 3]
    with pytest.raises(RoutingError, match="already at the head of office"):
        escalate(r, chain_length=4)


def test_escalation_keeps_everything_but_the_level():
    r = escalate(Route(Tier.INTERNAL, 1), 3)
    assert r == Route(Tier.INTERNAL, 2)


def test_single_level_chain_cannot_escalate():
    with pytest.raises(RoutingError, match="already at the head of office"):
        escalate(Route(Tier.INTERNAL, 0), 1)


def test_level_past_the_top_is_refused():
    with pytest.raises(RoutingError):
        escalate(Route(Tier.INTERNAL, 5), 3)


def test_invalid_chain_length():
    with pytest.raises(ValueError, match="chain_length"):
        escalate(Route(Tier.INTERNAL, 0), 0)


@pytest.mark.parametrize("tier", [Tier.TECHNICAL, Tier.APIP])
def test_only_internal_routes_escalate(tier):
    with pytest.raises(RoutingError, match="only internal handling can be escalated"):
        escalate(Route(tier, 0, "Dinas PUPR"), 4)


@pytest.mark.parametrize("level, chain_length, id_, en", [
    (0, 4, "Pelaksana", "Staff"),
    (1, 4, "Kepala Unit", "Head of unit"),
    (2, 4, "Atasan tingkat 2", "Superior, level 2"),
    (3, 4, "Kepala Kantor", "Head of office"),
    (0, 2, "Pelaksana", "Staff"),
    (1, 2, "Kepala Kantor", "Head of office"),
    (0, 1, "Kepala Kantor", "Head of office"),   # a one-level chain: the head handles it
])
def test_level_name(level, chain_length, id_, en):
    assert level_name(level, chain_length) == id_
    assert level_name(level, chain_length, lang="en") == en


@pytest.mark.parametrize("level, chain_length", [(-1, 3), (3, 3), (0, 0)])
def test_level_name_out_of_range(level, chain_length):
    with pytest.raises(ValueError):
        level_name(level, chain_length)


def test_routing_error_is_bilingual_value_error():
    err = RoutingError("Pesan.", "message")
    assert isinstance(err, ValueError) and str(err) == "Pesan. (message)" and err.message_en == "message"
