"""SMS commands from the cardholder's phone (SPEC 3.5, 3.6): ZF freezes at once and is
confirmed; Y/N answers a verification; strangers change nothing and get no reply; each
message is handled once; a flood from one number is ignored."""

from __future__ import annotations

import itertools
from datetime import timedelta

from smartguard.domain.cards import CardStatus, StatusAction
from smartguard.domain.challenges import ChallengeStatus
from smartguard.domain.controls import values as s
from smartguard.domain.decisions import Reason
from smartguard.errors import Forbidden
from smartguard.service_layer import cards
from smartguard.service_layer.context import Actor
from smartguard.service_layer.sms_inbound import InboundSms, RateLimit, handle_inbound
from tests.builders import cny, large_purchase, pos_purchase
from tests.unit.alerts.conftest import outbox

PHONE = "+8613800138000"
_ids = itertools.count(1)


DEFAULT_LIMIT = RateLimit()


def sms(world, text, phone=PHONE, message_id=None, limit=DEFAULT_LIMIT):
    message = InboundSms("smpp", message_id or f"m{next(_ids)}", phone, text)
    return world.run(handle_inbound, message, limit)


def replies(world):
    return [m for m in outbox(world) if m.kind == "sms_reply"]


def last4(world, card):
    return world.card(card).card.last4


def test_zf_from_the_registered_phone_freezes_its_only_card_and_confirms(world, card):
    result = sms(world, "ZF")
    assert result.outcome == "frozen"
    assert world.card(card).card.status is CardStatus.FROZEN
    assert replies(world)[-1].event == "sms_reply.frozen"
    assert replies(world)[-1].recipient == PHONE


def test_the_next_purchase_after_zf_is_declined_card_frozen(world, card):
    sms(world, f"ZF#{last4(world, card)}")
    assert world.authorize(card, pos_purchase()).record.verdicts[0].reason \
        is Reason.CARD_FROZEN


def test_the_freeze_is_audited_as_done_by_sms_from_that_number(world, card):
    sms(world, f"止付 {last4(world, card)}")
    actions = [(e.actor, e.channel, e.action) for e in world.view().tables.audit[-2:]]
    assert actions == [(f"sms:{PHONE}", "sms", "freeze"), (f"sms:{PHONE}", "sms",
                                                          "sms.inbound")]


def test_zf_without_digits_on_a_phone_with_two_cards_asks_which(world, card):
    second = world.enrol()
    result = sms(world, "ZF")
    assert result.outcome == "which_card"
    assert world.card(card).card.status is CardStatus.ACTIVE
    text = replies(world)[-1].text
    assert last4(world, card) in text and last4(world, second) in text


def test_zf_with_digits_of_no_card_on_this_phone_changes_nothing(world, card):
    assert sms(world, "ZF 9999").outcome == "no_such_card"
    assert world.card(card).card.status is CardStatus.ACTIVE


def test_a_stranger_changes_nothing_gets_no_reply_and_is_audited(world, card):
    result = sms(world, "ZF", phone="+8613999999999")
    assert result.outcome == "unregistered"
    assert world.card(card).card.status is CardStatus.ACTIVE
    assert replies(world) == []
    entry = world.view().tables.audit[-1]
    assert (entry.actor, entry.action, entry.new["outcome"]) == (
        "sms:+8613999999999", "sms.inbound", "unregistered")


def test_the_same_message_id_is_handled_once(world, card):
    world.run(cards.change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    world.run(cards.change_status, card.cardholder, card.card_id, StatusAction.UNFREEZE)
    sms(world, "ZF", message_id="smsc-1")
    world.run(cards.change_status, card.cardholder, card.card_id, StatusAction.UNFREEZE)
    again = sms(world, "ZF", message_id="smsc-1")
    assert again.duplicate and again.outcome == "frozen"
    assert world.card(card).card.status is CardStatus.ACTIVE
    assert len([m for m in replies(world) if m.event == "sms_reply.frozen"]) == 1


def test_unknown_text_from_a_registered_phone_gets_the_help_reply(world, card):
    assert sms(world, "hello").outcome == "help:unknown"
    assert replies(world)[-1].event == "sms_reply.help"


def test_an_oversized_message_changes_nothing_and_gets_help(world, card):
    assert sms(world, "ZF " + "x" * 500).outcome == "help:too_long"
    assert world.card(card).card.status is CardStatus.ACTIVE


def test_a_flood_from_one_number_is_ignored_after_the_limit(world, card):
    limit = RateLimit(3, timedelta(minutes=10))
    outcomes = [sms(world, "hello", limit=limit).outcome for _ in range(5)]
    assert outcomes == ["help:unknown"] * 3 + ["rate_limited"] * 2
    assert len(replies(world)) == 3
    world.clock.advance(minutes=11)
    assert sms(world, "hello", limit=limit).outcome == "help:unknown"


def test_zf_after_a_flood_from_the_cardholders_number_still_freezes_the_card(world, card):
    """A freeze only ever protects: the limit does not apply to it; the confirmation is
    the one reply, and only because the card changed."""
    limit = RateLimit(3, timedelta(minutes=10))
    for _ in range(6):
        sms(world, "hello", limit=limit)
    before = len(replies(world))
    assert sms(world, "ZF " + last4(world, card), limit=limit).outcome == "frozen"
    assert world.card(card).card.status is CardStatus.FROZEN
    assert len(replies(world)) == before + 1


def test_more_zf_while_rate_limited_freeze_nothing_new_and_get_no_reply(world, card):
    limit = RateLimit(2, timedelta(minutes=10))
    outcomes = [sms(world, "ZF", limit=limit).outcome for _ in range(5)]
    assert outcomes == ["frozen"] * 2 + ["frozen:rate_limited"] * 3
    assert len(replies(world)) == 2
    assert sms(world, "Y 123456", limit=limit).outcome == "rate_limited"
    assert sms(world, "ZF 0000", limit=limit).outcome == "rate_limited"  # no such card
    assert len(replies(world)) == 2


def test_a_flood_of_zf_from_a_stranger_changes_nothing(world, card):
    limit = RateLimit(2, timedelta(minutes=10))
    outcomes = [sms(world, "ZF", phone="+8613900000009", limit=limit).outcome
                for _ in range(4)]
    assert outcomes == ["unregistered"] * 2 + ["rate_limited"] * 2
    assert world.card(card).card.status is CardStatus.ACTIVE and replies(world) == []


def test_unfreezing_by_sms_is_impossible(world, card):
    sms(world, "ZF")
    actor = Actor(f"sms:{PHONE}", "sms", card.cardholder_id)
    try:
        world.run(cards.change_status, actor, card.card_id, StatusAction.UNFREEZE)
        raise AssertionError("unfrozen by SMS")
    except Forbidden:
        pass
    assert world.card(card).card.status is CardStatus.FROZEN


def _challenge(world):
    card = world.enrol(controls=s.Controls(verification=large_purchase(cny(5_000))))
    result = world.authorize(card, pos_purchase(cny(6_000), merchant_id="GOLD"))
    return card, result.challenge.challenge.id, result.challenge.code


def test_y_with_the_code_confirms_and_the_retry_is_approved(world):
    card, challenge_id, code = _challenge(world)
    assert sms(world, f"Y {code}").outcome == "confirmed"
    assert world.view().challenges.get(challenge_id).status is ChallengeStatus.CONFIRMED
    retry = world.authorize(card, pos_purchase(cny(6_000), merchant_id="GOLD"))
    assert retry.record.outcome == "approve"


def test_n_with_the_code_rejects_and_suggests_zf(world):
    _, challenge_id, code = _challenge(world)
    assert sms(world, f"N {code}").outcome == "rejected"
    assert world.view().challenges.get(challenge_id).status is ChallengeStatus.REJECTED
    assert "ZF" in replies(world)[-1].text


def test_an_unknown_code_changes_nothing(world):
    _, challenge_id, code = _challenge(world)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert sms(world, f"Y {wrong}").outcome == "bad_code"
    assert world.view().challenges.get(challenge_id).status is ChallengeStatus.PENDING


def test_an_expired_code_changes_nothing(world):
    _, challenge_id, code = _challenge(world)
    world.clock.advance(minutes=11)
    assert sms(world, f"Y {code}").outcome == "expired"
    assert world.view().challenges.get(challenge_id).status is ChallengeStatus.PENDING


def test_a_used_code_cannot_be_answered_twice(world):
    _, _, code = _challenge(world)
    sms(world, f"Y {code}")
    assert sms(world, f"N {code}").outcome == "bad_code"


def test_the_audit_never_holds_the_code(world):
    _, _, code = _challenge(world)
    sms(world, f"Y {code}")
    assert code not in repr(world.view().tables.audit)
    assert code not in repr(world.view().tables.inbound_sms)
