"""Signing a cardholder in with the card's last 4 digits, the phone and a code texted through
the outbox."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartguard.domain.alerts import CODE_MARK, AlertKind
from smartguard.domain.cards import StatusAction
from smartguard.errors import InvalidInput
from smartguard.service_layer import cards, sessions, signin
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.signin import SignInStatus
from smartguard.service_layer.web_records import SessionKind
from tests import sms
from tests.builders import valid_pan
from tests.fakes import everything_stored
from tests.unit.service.world import OPERATOR, Enrolled, World

PHONE = "+8613800138000"  # the phone World.enrol registers


def texted_code(world: World) -> str:
    return sms.sign_in_code(world.view(), world.ctx, PHONE)


def sign_in_texts(world: World) -> list[OutboxMessage]:
    return sms.texts_to(world.view(), PHONE, AlertKind.SIGN_IN)


def last4(world: World, card: Enrolled) -> str:
    return world.card(card).card.last4


def ask(world: World, card: Enrolled, phone: str = PHONE, client: str = "10.0.0.1",
        digits: str | None = None) -> signin.SignInResult:
    return world.run(signin.request_code, digits or last4(world, card), phone, client)


def other_than(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_the_texted_code_signs_the_cardholder_in(world: World, card: Enrolled) -> None:
    asked = ask(world, card)
    assert asked.outcome is SignInStatus.SENT and asked.code_id
    result = world.run(signin.verify_code, asked.code_id, texted_code(world), "10.0.0.1")
    assert result.outcome is SignInStatus.SIGNED_IN and result.token
    assert result.subject == card.cardholder_id
    live = sessions.current_session(world.view(), world.ctx, result.token,
                                    SessionKind.CARDHOLDER)
    assert live is not None and live.subject == card.cardholder_id


def test_the_code_is_written_to_the_outbox_for_the_registered_phone_by_sms_only(
        world: World, card: Enrolled) -> None:
    ask(world, card, phone="138 0013 8000")
    [message] = sign_in_texts(world)
    assert (message.channel, message.recipient, message.card_id) == ("sms", PHONE,
                                                                     card.card_id)
    assert message.text.startswith("【SmartGuard】您的网页登录验证码为" + CODE_MARK)
    assert "12:05前有效" in message.text  # 5 minutes, in the cardholder's zone
    assert [m.channel for m in world.view().outbox.list(None, None, None, 10)] == ["sms"]


def test_the_code_travels_sealed_never_in_clear(world: World, card: Enrolled) -> None:
    ask(world, card)
    code = texted_code(world)
    assert code not in everything_stored(world.store)


def test_an_english_speaking_cardholder_gets_the_code_in_english(world: World) -> None:
    phone = "+8613900000009"
    holder = world.run(cards.enrol_cardholder, OPERATOR, "Li Wei", phone, "en")
    account = world.run(cards.open_account, OPERATOR, holder.id)
    card = world.run(cards.enrol_card, OPERATOR, valid_pan("621226009999999"), account.id)
    world.run(signin.request_code, card.card.last4, phone, "10.0.0.1")
    [message] = sms.texts_to(world.view(), phone, AlertKind.SIGN_IN)
    assert message.text.startswith("SmartGuard: Your web sign-in code is " + CODE_MARK)


def test_sign_in_is_audited_on_the_card_with_channel_web(world: World, card: Enrolled) -> None:
    asked = ask(world, card)
    world.run(signin.verify_code, asked.code_id, texted_code(world), "10.0.0.1")
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.action, entry.channel, entry.cardholder_id) == (
        "web.sign_in", "web", card.cardholder_id)


@pytest.mark.parametrize("phone", ["13800138000", "+8613800138000", "008613800138000",
                                   "138-0013-8000"])
def test_usual_ways_of_writing_a_mainland_mobile_number_are_understood(phone: str) -> None:
    assert signin.normalize_phone(phone) == PHONE


def test_a_wrong_phone_gets_the_same_answer_and_no_text(world: World, card: Enrolled) -> None:
    asked = ask(world, card, phone="+8613900000000")
    assert asked.outcome is SignInStatus.SENT and asked.code_id
    assert world.view().outbox.list(None, None, None, 10) == []
    result = world.run(signin.verify_code, asked.code_id, "000000", "10.0.0.1")
    assert result.outcome is SignInStatus.WRONG_CODE


def test_wrong_last_4_digits_send_nothing(world: World, card: Enrolled) -> None:
    other = "0000" if last4(world, card) != "0000" else "1111"
    assert ask(world, card, digits=other).outcome is SignInStatus.SENT
    assert sign_in_texts(world) == []


def test_malformed_last_4_digits_are_refused_by_field(world: World, card: Enrolled) -> None:
    with pytest.raises(InvalidInput) as refused:
        ask(world, card, digits="12a4")
    assert refused.value.field == "last4"


def test_a_closed_card_cannot_be_used_to_sign_in(world: World, card: Enrolled) -> None:
    world.run(cards.change_status, OPERATOR, card.card_id, StatusAction.CLOSE)
    ask(world, card)
    assert sign_in_texts(world) == []


def test_without_sms_no_code_can_be_sent(world: World, card: Enrolled) -> None:
    world.ctx = replace(world.ctx, alert_channels=frozenset({"webhook"}))
    assert ask(world, card).outcome is SignInStatus.UNAVAILABLE
    assert world.view().signins.get("sgn_0001") is None


def test_a_wrong_code_does_not_sign_in(world: World, card: Enrolled) -> None:
    asked = ask(world, card)
    result = world.run(signin.verify_code, asked.code_id, other_than(texted_code(world)),
                       "10.0.0.1")
    assert result.outcome is SignInStatus.WRONG_CODE and result.token is None


def test_five_wrong_codes_use_the_code_up(world: World, card: Enrolled) -> None:
    asked = ask(world, card)
    right = texted_code(world)
    for _ in range(signin.MAX_CODE_ATTEMPTS):
        world.run(signin.verify_code, asked.code_id, other_than(right), "10.0.0.1")
    result = world.run(signin.verify_code, asked.code_id, right, "10.0.0.1")
    assert result.outcome is SignInStatus.WRONG_CODE


def test_the_code_expires_after_5_minutes(world: World, card: Enrolled) -> None:
    asked = ask(world, card)
    world.clock.advance(minutes=5)
    result = world.run(signin.verify_code, asked.code_id, texted_code(world), "10.0.0.1")
    assert result.outcome is SignInStatus.WRONG_CODE


def test_a_code_signs_in_once(world: World, card: Enrolled) -> None:
    asked = ask(world, card)
    code = texted_code(world)
    world.run(signin.verify_code, asked.code_id, code, "10.0.0.1")
    again = world.run(signin.verify_code, asked.code_id, code, "10.0.0.1")
    assert again.outcome is SignInStatus.WRONG_CODE


def test_a_sixth_request_for_one_phone_within_15_minutes_is_refused(
        world: World, card: Enrolled) -> None:
    for n in range(signin.PER_PHONE.count):
        assert ask(world, card, client=f"10.0.0.{n}").outcome is SignInStatus.SENT
    assert ask(world, card, client="10.0.1.1").outcome is SignInStatus.THROTTLED
    assert len(sign_in_texts(world)) == signin.PER_PHONE.count
    world.clock.advance(minutes=15, seconds=1)
    assert ask(world, card).outcome is SignInStatus.SENT


def test_one_client_asking_for_many_phones_is_throttled(world: World, card: Enrolled) -> None:
    for n in range(signin.PER_CLIENT.count):
        ask(world, card, phone=f"+86139000000{n:02d}")
    assert ask(world, card).outcome is SignInStatus.THROTTLED
    assert sign_in_texts(world) == []


def test_one_client_guessing_codes_is_throttled(world: World, card: Enrolled) -> None:
    asked = ask(world, card)
    for _ in range(signin.PER_CLIENT.count):
        world.run(signin.verify_code, "sgn_unknown", "000000", "10.9.9.9")
    result = world.run(signin.verify_code, asked.code_id, texted_code(world), "10.9.9.9")
    assert result.outcome is SignInStatus.THROTTLED


def test_codes_tokens_phones_and_addresses_are_stored_only_as_hashes(
        world: World, card: Enrolled) -> None:
    asked = ask(world, card, phone="13800138000")
    code = texted_code(world)
    result = world.run(signin.verify_code, asked.code_id, code, "10.0.0.1")
    stored = repr(world.store.committed.signins) + repr(world.store.committed.sessions) \
        + repr(world.store.committed.attempts)
    assert code not in stored and str(result.token) not in stored
    assert "13800138000" not in stored and "10.0.0.1" not in stored
    assert str(result.token) not in everything_stored(world.store)
