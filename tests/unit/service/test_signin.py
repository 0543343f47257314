"""Signing a cardholder in with the card's last 4 digits, the phone and a texted code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from smartguard.domain.cards import Cardholder, StatusAction
from smartguard.errors import InvalidInput
from smartguard.service_layer import cards, sessions, signin
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.signin import Outcome
from smartguard.service_layer.web_records import SessionKind
from tests.fakes import everything_stored
from tests.unit.service.world import OPERATOR, Enrolled, World

PHONE = "+8613800138000"  # the phone World.enrol registers


@dataclass
class Texts:
    """The SMS outbox as the sign-in use case sees it: (phone, text) per message."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, uow: UnitOfWork, ctx: Context, holder: Cardholder, text: str,
                 kind: str) -> None:
        assert kind == "signin_code"
        self.sent.append((holder.phone, text))

    def last_code(self) -> str:
        found = re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", self.sent[-1][1])
        assert found is not None
        return found.group(1)


@pytest.fixture
def texts() -> Texts:
    return Texts()


def last4(world: World, card: Enrolled) -> str:
    return world.card(card).card.last4


def ask(world: World, card: Enrolled, texts: Texts, phone: str = PHONE,
        client: str = "10.0.0.1", digits: str | None = None) -> signin.Result:
    return world.run(signin.request_code, digits or last4(world, card), phone, client, texts)


def test_the_texted_code_signs_the_cardholder_in(world: World, card: Enrolled,
                                                 texts: Texts) -> None:
    asked = ask(world, card, texts)
    assert asked.outcome is Outcome.SENT and asked.code_id
    result = world.run(signin.verify_code, asked.code_id, texts.last_code(), "10.0.0.1")
    assert result.outcome is Outcome.SIGNED_IN and result.token
    assert result.subject == card.cardholder_id
    live = sessions.current_session(world.view(), world.ctx, result.token,
                                    SessionKind.CARDHOLDER)
    assert live is not None and live.subject == card.cardholder_id


def test_the_code_goes_to_the_registered_phone_in_the_cardholders_language(
        world: World, card: Enrolled, texts: Texts) -> None:
    ask(world, card, texts, phone="138 0013 8000")
    phone, text = texts.sent[-1]
    assert phone == PHONE
    assert "验证码" in text and "5分钟" in text


def test_sign_in_is_audited_on_the_card_with_channel_web(world: World, card: Enrolled,
                                                         texts: Texts) -> None:
    asked = ask(world, card, texts)
    world.run(signin.verify_code, asked.code_id, texts.last_code(), "10.0.0.1")
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.action, entry.channel, entry.cardholder_id) == (
        "web.sign_in", "web", card.cardholder_id)


@pytest.mark.parametrize("phone", ["13800138000", "+8613800138000", "008613800138000",
                                   "138-0013-8000"])
def test_usual_ways_of_writing_a_mainland_mobile_number_are_understood(phone: str) -> None:
    assert signin.normalize_phone(phone) == PHONE


def test_a_wrong_phone_gets_the_same_answer_and_no_text(world: World, card: Enrolled,
                                                        texts: Texts) -> None:
    asked = ask(world, card, texts, phone="+8613900000000")
    assert asked.outcome is Outcome.SENT and asked.code_id
    assert texts.sent == []
    result = world.run(signin.verify_code, asked.code_id, "000000", "10.0.0.1")
    assert result.outcome is Outcome.WRONG_CODE


def test_wrong_last_4_digits_send_nothing(world: World, card: Enrolled, texts: Texts) -> None:
    other = "0000" if last4(world, card) != "0000" else "1111"
    assert ask(world, card, texts, digits=other).outcome is Outcome.SENT
    assert texts.sent == []


def test_malformed_last_4_digits_are_refused_by_field(world: World, card: Enrolled,
                                                      texts: Texts) -> None:
    with pytest.raises(InvalidInput) as refused:
        ask(world, card, texts, digits="12a4")
    assert refused.value.field == "last4"


def test_a_closed_card_cannot_be_used_to_sign_in(world: World, card: Enrolled,
                                                 texts: Texts) -> None:
    world.run(cards.change_status, OPERATOR, card.card_id, StatusAction.CLOSE)
    ask(world, card, texts)
    assert texts.sent == []


def test_a_wrong_code_does_not_sign_in(world: World, card: Enrolled, texts: Texts) -> None:
    asked = ask(world, card, texts)
    wrong = "000000" if texts.last_code() != "000000" else "111111"
    result = world.run(signin.verify_code, asked.code_id, wrong, "10.0.0.1")
    assert result.outcome is Outcome.WRONG_CODE and result.token is None


def test_five_wrong_codes_use_the_code_up(world: World, card: Enrolled, texts: Texts) -> None:
    asked = ask(world, card, texts)
    right = texts.last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(signin.MAX_CODE_ATTEMPTS):
        world.run(signin.verify_code, asked.code_id, wrong, "10.0.0.1")
    result = world.run(signin.verify_code, asked.code_id, right, "10.0.0.1")
    assert result.outcome is Outcome.WRONG_CODE


def test_the_code_expires_after_5_minutes(world: World, card: Enrolled, texts: Texts) -> None:
    asked = ask(world, card, texts)
    world.clock.advance(minutes=5)
    result = world.run(signin.verify_code, asked.code_id, texts.last_code(), "10.0.0.1")
    assert result.outcome is Outcome.WRONG_CODE


def test_a_code_signs_in_once(world: World, card: Enrolled, texts: Texts) -> None:
    asked = ask(world, card, texts)
    code = texts.last_code()
    world.run(signin.verify_code, asked.code_id, code, "10.0.0.1")
    again = world.run(signin.verify_code, asked.code_id, code, "10.0.0.1")
    assert again.outcome is Outcome.WRONG_CODE


def test_a_sixth_request_for_one_phone_within_15_minutes_is_refused(
        world: World, card: Enrolled, texts: Texts) -> None:
    for n in range(signin.PER_PHONE.count):
        assert ask(world, card, texts, client=f"10.0.0.{n}").outcome is Outcome.SENT
    assert ask(world, card, texts, client="10.0.1.1").outcome is Outcome.THROTTLED
    assert len(texts.sent) == signin.PER_PHONE.count
    world.clock.advance(minutes=15, seconds=1)
    assert ask(world, card, texts).outcome is Outcome.SENT


def test_one_client_asking_for_many_phones_is_throttled(world: World, card: Enrolled,
                                                        texts: Texts) -> None:
    for n in range(signin.PER_CLIENT.count):
        ask(world, card, texts, phone=f"+86139000000{n:02d}")
    assert ask(world, card, texts).outcome is Outcome.THROTTLED
    assert texts.sent == []


def test_one_client_guessing_codes_is_throttled(world: World, card: Enrolled,
                                                texts: Texts) -> None:
    asked = ask(world, card, texts)
    for _ in range(signin.PER_CLIENT.count):
        world.run(signin.verify_code, "sgn_unknown", "000000", "10.9.9.9")
    result = world.run(signin.verify_code, asked.code_id, texts.last_code(), "10.9.9.9")
    assert result.outcome is Outcome.THROTTLED


def test_codes_tokens_and_phones_are_stored_only_as_hashes(world: World, card: Enrolled,
                                                           texts: Texts) -> None:
    asked = ask(world, card, texts, phone="13800138000")
    code = texts.last_code()
    result = world.run(signin.verify_code, asked.code_id, code, "10.0.0.1")
    stored = repr(world.store.committed.signins) + repr(world.store.committed.sessions) \
        + repr(world.store.committed.attempts)
    assert code not in stored and str(result.token) not in stored
    assert "13800138000" not in stored and "10.0.0.1" not in stored
    assert str(result.token) not in everything_stored(world.store)


def test_an_english_speaking_cardholder_gets_the_code_in_english() -> None:
    text = signin.sms_text("123456", "en")
    assert "123456" in text and "5 minutes" in text and "Never share" in text
