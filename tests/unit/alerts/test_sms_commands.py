"""Parsing inbound SMS commands (SPEC 3.5, 3.6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.sms_commands import (
    MAX_LENGTH,
    AnswerChallenge,
    StopCard,
    Unrecognised,
    describe,
    parse,
)


@pytest.mark.parametrize("text", ["ZF", "zf", " ZF ", "止付"])
def test_stop_without_digits_names_no_card(text):
    assert parse(text) == StopCard(None)


@pytest.mark.parametrize("text", ["ZF#1234", "ZF 1234", "ZF1234", "止付 1234", "止付1234",
                                  "ＺＦ＃１２３４", "zf # 1234"])
def test_stop_with_the_last_four_digits(text):
    assert parse(text) == StopCard("1234")


def test_y_and_n_answer_a_challenge_with_its_code():
    assert parse("Y 123456") == AnswerChallenge(True, "123456")
    assert parse("n123456") == AnswerChallenge(False, "123456")


@pytest.mark.parametrize("text,reason", [("", "empty"), ("   ", "empty"), ("Y 12", "bad_code"),
                                         ("N", "bad_code"), ("hello", "unknown"),
                                         ("ZF 12345", "unknown"), ("解冻 1234", "unknown")])
def test_anything_else_is_unrecognised_with_why(text, reason):
    assert parse(text) == Unrecognised(reason)


def test_an_oversized_message_is_refused_whole():
    assert parse("ZF " + "x" * MAX_LENGTH) == Unrecognised("too_long")


def test_the_audit_description_never_contains_the_code():
    assert describe(parse("Y 123456")) == "confirm"


@given(st.text(max_size=300))
def test_parsing_never_raises(text):
    assert describe(parse(text))
