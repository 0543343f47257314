"""API keys: the secret is shown once and kept only as a hash; a malformed, unknown,
wrong or revoked key is refused. The context keys PAN and code hashes with its secret."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from smartguard.errors import Unauthenticated, UnknownCardholder
from smartguard.service_layer import keys
from smartguard.service_layer.context import Context, new_code
from smartguard.service_layer.records import Role
from tests.builders import valid_pan
from tests.fakes import everything_stored


def test_a_new_key_returns_a_token_whose_secret_is_stored_only_as_a_hash(world):
    key, token = world.run(keys.create_key, Role.OPERATOR, "console")
    key_id, secret = keys.parse_token(token)
    assert key_id == key.id
    assert secret not in everything_stored(world.store)
    stored = world.view().keys.get(key_id)
    assert keys.verify(stored, secret) == stored


def test_a_wrong_secret_is_refused(world):
    key, _ = world.run(keys.create_key, Role.OPERATOR)
    with pytest.raises(Unauthenticated):
        keys.verify(key, "not-the-secret")


def test_a_revoked_key_is_refused(world):
    key, token = world.run(keys.create_key, Role.OPERATOR)
    with pytest.raises(Unauthenticated):
        keys.verify(replace(key, revoked_at=world.clock.now), keys.parse_token(token)[1])


def test_an_unknown_key_is_refused():
    with pytest.raises(Unauthenticated):
        keys.verify(None, "anything")


@pytest.mark.parametrize("token", ["", "sg_", "sg_abc", "xx_abc_def", "sg__secret"])
def test_a_malformed_token_is_refused(token):
    with pytest.raises(Unauthenticated):
        keys.parse_token(token)


def test_a_cardholder_key_needs_a_known_cardholder(world):
    with pytest.raises(UnknownCardholder):
        world.run(keys.create_key, Role.CARDHOLDER_APP, cardholder_id="chd_nope")


def test_one_time_codes_are_six_digits():
    assert all(re.fullmatch(r"[0-9]{6}", new_code()) for _ in range(200))


def test_pan_hashes_depend_on_the_secret():
    pan = valid_pan()
    a, b = Context(secret=b"a" * 32), Context(secret=b"b" * 32)
    assert a.hash_pan(pan) == a.hash_pan(pan)
    assert a.hash_pan(pan) != b.hash_pan(pan)
    assert pan not in a.hash_pan(pan)


def test_the_context_never_shows_its_secret():
    assert "s3cr3t" not in repr(Context(secret=b"s3cr3t-key-material"))
