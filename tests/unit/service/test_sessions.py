"""Web sessions: idle and absolute expiry, sign-out, operator keys, attempt limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from smartguard.service_layer import keys, sessions, signin
from smartguard.service_layer.records import Role
from smartguard.service_layer.sessions import Limit
from smartguard.service_layer.signin import SignInStatus
from smartguard.service_layer.web_records import SessionKind
from tests.unit.service.world import Enrolled, World


def open_for(world: World, card: Enrolled) -> str:
    token: str = world.run(sessions.open_session, SessionKind.CARDHOLDER, card.cardholder_id,
                           card.card_id)
    return token


def live(world: World, token: str, kind: SessionKind = SessionKind.CARDHOLDER) -> bool:
    return sessions.current_session(world.view(), world.ctx, token, kind) is not None


def test_a_session_ends_after_15_idle_minutes(world: World, card: Enrolled) -> None:
    token = open_for(world, card)
    world.clock.advance(minutes=14, seconds=59)
    assert live(world, token)
    world.clock.advance(seconds=1)
    assert not live(world, token)


def test_activity_keeps_a_session_alive(world: World, card: Enrolled) -> None:
    token = open_for(world, card)
    for _ in range(3):
        world.clock.advance(minutes=10)
        session = sessions.current_session(world.view(), world.ctx, token,
                                           SessionKind.CARDHOLDER)
        assert session is not None and sessions.needs_touch(world.ctx, session)
        world.run(sessions.touch_session, token)
    assert live(world, token)


def test_no_session_outlives_12_hours_whatever_the_activity(world: World,
                                                            card: Enrolled) -> None:
    token = open_for(world, card)
    for _ in range(12 * 6):
        world.clock.advance(minutes=10)
        world.run(sessions.touch_session, token)
    assert not live(world, token)


def test_a_signed_out_session_is_dead(world: World, card: Enrolled) -> None:
    token = open_for(world, card)
    world.run(sessions.end_session, token)
    assert not live(world, token)


def test_a_cardholder_session_does_not_open_the_console(world: World, card: Enrolled) -> None:
    token = open_for(world, card)
    assert not live(world, token, SessionKind.OPERATOR)


def test_the_session_token_is_stored_only_as_a_hash(world: World, card: Enrolled) -> None:
    token = open_for(world, card)
    assert token not in repr(world.store.committed.sessions)
    assert sessions.token_hash(token) in world.store.committed.sessions


def operator_token(world: World, role: Role = Role.OPERATOR) -> str:
    _, token = world.run(keys.create_key, role, "alice")
    return str(token)


def test_an_operator_key_opens_a_console_session(world: World) -> None:
    result = world.run(signin.operator_sign_in, operator_token(world), "10.0.0.1")
    assert result.outcome is SignInStatus.SIGNED_IN and result.token
    assert live(world, result.token, SessionKind.OPERATOR)
    assert not live(world, result.token, SessionKind.CARDHOLDER)


def test_an_admin_key_opens_a_console_session(world: World) -> None:
    result = world.run(signin.operator_sign_in, operator_token(world, Role.ADMIN), "10.0.0.1")
    assert result.outcome is SignInStatus.SIGNED_IN


def test_keys_of_other_roles_do_not_open_the_console(world: World) -> None:
    for role in (Role.PROCESSOR, Role.CARDHOLDER_APP):
        result = world.run(signin.operator_sign_in, operator_token(world, role), "10.0.0.1")
        assert result.outcome is SignInStatus.REFUSED and result.token is None


def test_unknown_or_malformed_keys_do_not_open_the_console(world: World) -> None:
    for key in ("", "nonsense", "sg_abc_def", operator_token(world) + "x"):
        assert world.run(signin.operator_sign_in, key, "10.0.0.1").outcome is SignInStatus.REFUSED


def test_a_console_session_ends_with_its_key(world: World) -> None:
    token = operator_token(world)
    result = world.run(signin.operator_sign_in, token, "10.0.0.1")
    key_id = keys.parse_token(token)[0]
    key = world.store.committed.keys[key_id]
    world.store.committed.keys[key_id] = replace(key, revoked_at=world.clock.now)
    assert result.token is not None and not live(world, result.token, SessionKind.OPERATOR)


def test_guessing_operator_keys_is_throttled(world: World) -> None:
    for _ in range(signin.PER_CLIENT.count):
        world.run(signin.operator_sign_in, "sg_x_y", "10.6.6.6")
    result = world.run(signin.operator_sign_in, operator_token(world), "10.6.6.6")
    assert result.outcome is SignInStatus.THROTTLED


def test_attempts_count_in_a_sliding_window(world: World) -> None:
    limit = Limit(2, timedelta(minutes=1))
    allowed = []
    for wait in (0, 10, 10, 61):  # at 0 s, 10 s, 20 s, then 81 s
        world.clock.advance(seconds=wait)
        allowed.append(world.run(sessions.attempt, "test", "who", limit))
    assert allowed == [True, True, False, True]


def test_attempts_are_counted_per_subject(world: World) -> None:
    limit = Limit(1, timedelta(minutes=1))
    assert world.run(sessions.attempt, "test", "a", limit)
    assert world.run(sessions.attempt, "test", "b", limit)
    assert not world.run(sessions.attempt, "test", "a", limit)
