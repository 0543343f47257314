"""Settings (docs/operations.md): the ISO 8583 gateway's in their own [iso8583] table, like
the alert tables; a setting in the wrong place is refused with where it belongs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smartguard.config import IsoSettings, load
from smartguard.domain.controls.categories import Category
from smartguard.domain.errors import InvalidInput


def settings_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "smartguard.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_iso8583_table_sets_the_gateway(tmp_path: Path) -> None:
    path = settings_file(tmp_path, "[iso8583]\nport = 9583\nworkers = 2\nenabled = false\n")
    iso = load(path, data_dir=tmp_path).iso
    assert (iso.port, iso.workers, iso.enabled, iso.host) == (9583, 2, False, "127.0.0.1")


def test_command_line_options_for_the_gateway_override_the_file(tmp_path: Path) -> None:
    path = settings_file(tmp_path, "[iso8583]\nport = 9583\nmax_in_flight = 64\n")
    iso = load(path, data_dir=tmp_path, iso_port=7583, iso_workers=None).iso
    assert iso == IsoSettings(port=7583, max_in_flight=64)


def test_an_old_top_level_iso_setting_is_refused_with_its_new_place(tmp_path: Path) -> None:
    path = settings_file(tmp_path, "iso_port = 9583\n")
    with pytest.raises(InvalidInput, match=r"iso_port -> \[iso8583\] port"):
        load(path, data_dir=tmp_path)


def test_an_unknown_key_in_the_iso8583_table_is_refused(tmp_path: Path) -> None:
    path = settings_file(tmp_path, "[iso8583]\nprot = 1\n")
    with pytest.raises(InvalidInput, match=r"unknown settings in \[iso8583\]: prot"):
        load(path, data_dir=tmp_path)


def test_the_store_timeout_is_read_and_bounded(tmp_path: Path) -> None:
    assert load(None, data_dir=tmp_path).store_timeout_s == 1.0
    assert load(settings_file(tmp_path, "store_timeout_s = 2.5\n"),
                data_dir=tmp_path).store_timeout_s == 2.5
    for bad in ("0", "-1", "600"):
        with pytest.raises(InvalidInput, match="store_timeout_s"):
            load(settings_file(tmp_path, f"store_timeout_s = {bad}\n"), data_dir=tmp_path)


def test_the_controls_table_sets_each_categorys_cool_down(tmp_path: Path) -> None:
    path = settings_file(tmp_path, "[controls]\ncooldown_hours = { gambling = 24, "
                                   "money_transfer = 12, lottery = 0 }\n")
    cooldowns = load(path, data_dir=tmp_path).cooldowns
    assert cooldowns[Category.GAMBLING] == timedelta(hours=24)
    assert cooldowns[Category.MONEY_TRANSFER] == timedelta(hours=12)
    assert cooldowns[Category.LOTTERY] == timedelta(0)
    assert cooldowns[Category.ADULT] == timedelta(0)  # the table's default


def test_without_a_controls_table_gambling_and_lottery_wait_48_hours(tmp_path: Path) -> None:
    cooldowns = load(None, data_dir=tmp_path).cooldowns
    assert cooldowns[Category.GAMBLING] == cooldowns[Category.LOTTERY] == timedelta(hours=48)


@pytest.mark.parametrize(("text", "message"), [
    ("[controls]\ncooldown_hours = { astrology = 1 }\n", "unknown category"),
    ("[controls]\ncooldown_hours = { gambling = -1 }\n", "0 to 720 hours"),
    ("[controls]\ncooldown = 1\n", r"unknown settings in \[controls\]: cooldown"),
])
def test_a_bad_controls_table_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        load(settings_file(tmp_path, text), data_dir=tmp_path)
