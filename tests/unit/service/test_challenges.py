"""Answering a verification challenge (SPEC 3.5): the cardholder confirms or rejects a
pending challenge with its code (or from an authenticated page without it) within its
validity; a wrong code, an expired or an already answered challenge changes nothing."""

from __future__ import annotations

import pytest

from smartguard.domain.challenges import ChallengeStatus
from smartguard.errors import Forbidden, InvalidState, UnknownChallenge
from smartguard.service_layer.challenges import answer_challenge
from tests.builders import cny, controls, large_purchase, pos_purchase
from tests.unit.service.world import Enrolled, World


@pytest.fixture
def pending(world: World):
    card = world.enrol(controls=controls(verification=large_purchase()))
    opened = world.authorize(card, pos_purchase(cny(6_000))).challenge
    assert opened is not None and opened.code is not None
    return card, opened.challenge.id, opened.code


def stored_status(world: World, challenge_id: str) -> ChallengeStatus:
    return world.view().challenges.get(challenge_id).status


def test_confirming_with_the_right_code_confirms(world, pending):
    card, cid, code = pending
    answered = world.run(answer_challenge, card.cardholder, cid, True, code)
    assert answered.status is ChallengeStatus.CONFIRMED
    assert answered.resolved_at == world.clock.now
    assert stored_status(world, cid) is ChallengeStatus.CONFIRMED


def test_rejecting_with_the_right_code_rejects(world, pending):
    card, cid, code = pending
    world.run(answer_challenge, card.cardholder, cid, False, code)
    assert stored_status(world, cid) is ChallengeStatus.REJECTED


def test_an_authenticated_page_may_answer_without_the_code(world, pending):
    card, cid, _ = pending
    world.run(answer_challenge, card.cardholder, cid, True)
    assert stored_status(world, cid) is ChallengeStatus.CONFIRMED


def test_the_answer_is_audited_with_old_and_new_status(world, pending):
    card, cid, code = pending
    world.run(answer_challenge, card.cardholder, cid, True, code)
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.actor, entry.action, entry.old, entry.new) == (
        card.cardholder.id, "challenge.confirmed", "pending", "confirmed")


def test_a_wrong_code_changes_nothing(world, pending):
    card, cid, code = pending
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(UnknownChallenge):
        world.run(answer_challenge, card.cardholder, cid, True, wrong)
    assert stored_status(world, cid) is ChallengeStatus.PENDING


def test_an_expired_challenge_cannot_be_confirmed(world, pending):
    card, cid, code = pending
    world.clock.advance(minutes=10)
    with pytest.raises(InvalidState) as err:
        world.run(answer_challenge, card.cardholder, cid, True, code)
    assert "expired" in str(err.value)
    assert stored_status(world, cid) is ChallengeStatus.PENDING


def test_a_challenge_can_be_confirmed_until_just_before_it_expires(world, pending):
    card, cid, code = pending
    world.clock.advance(minutes=9, seconds=59)
    world.run(answer_challenge, card.cardholder, cid, True, code)
    assert stored_status(world, cid) is ChallengeStatus.CONFIRMED


def test_an_answered_challenge_cannot_be_answered_again(world, pending):
    card, cid, code = pending
    world.run(answer_challenge, card.cardholder, cid, False, code)
    with pytest.raises(InvalidState):
        world.run(answer_challenge, card.cardholder, cid, True, code)
    assert stored_status(world, cid) is ChallengeStatus.REJECTED


def test_an_unknown_challenge_is_reported(world, card: Enrolled):
    with pytest.raises(UnknownChallenge):
        world.run(answer_challenge, card.cardholder, "chl_nope", True, "123456")


def test_another_cardholder_cannot_answer(world, pending):
    _, cid, code = pending
    stranger = world.enrol()
    with pytest.raises(Forbidden):
        world.run(answer_challenge, stranger.cardholder, cid, True, code)
    assert stored_status(world, cid) is ChallengeStatus.PENDING
