"""Geography (SPEC 2): provinces are ISO 3166-2:CN codes and may arrive as GB/T 2260
codes; Hong Kong, Macao and Taiwan are overseas; only mainland China is domestic."""

from __future__ import annotations

import pytest

from smartguard.domain.errors import InvalidInput
from smartguard.domain.geography import (
    COUNTRIES,
    PROVINCES,
    country_code,
    normalize_country,
    normalize_province,
    place_name,
    province_code,
)
from tests.builders import atm_withdrawal


def test_there_are_31_mainland_provincial_level_divisions():
    assert len(PROVINCES) == 31


@pytest.mark.parametrize("code", ["CN-HK", "CN-MO", "CN-TW"])
def test_hong_kong_macao_and_taiwan_are_not_mainland_provinces(code):
    assert code not in PROVINCES


@pytest.mark.parametrize("raw", ["CN-HA", "cn-ha", " CN-HA ", "HA", "CN-41", "41", "410000"])
def test_henan_is_recognised_in_every_accepted_form(raw):
    assert normalize_province(raw) == "CN-HA"


@pytest.mark.parametrize("raw", ["11", "110000", "CN-11", "CN-BJ", "BJ"])
def test_beijing_is_recognised_in_every_accepted_form(raw):
    assert normalize_province(raw) == "CN-BJ"


@pytest.mark.parametrize("raw", ["CN-HK", "HK", "81", "810000", "82", "71", "710000",
                                 "CN-91", "CN-XX", "99", "990000", "", "Henan", "410100"])
def test_unknown_or_overseas_divisions_are_not_mainland_provinces(raw):
    assert normalize_province(raw) is None


@pytest.mark.parametrize("place", ["HK", "MO", "TW", "JP", "US"])
def test_hong_kong_macao_taiwan_and_foreign_countries_are_overseas(place):
    assert not atm_withdrawal(country=place).is_domestic


def test_mainland_china_is_domestic():
    assert atm_withdrawal(country="CN").is_domestic


@pytest.mark.parametrize(("raw", "code"), [("jp", "JP"), (" us ", "US"), ("HK", "HK")])
def test_countries_are_normalised_to_iso_alpha_2(raw, code):
    assert normalize_country(raw) == code


@pytest.mark.parametrize("raw", ["XX", "JPN", "", "Japan"])
def test_unknown_countries_are_rejected(raw):
    assert normalize_country(raw) is None


def test_country_table_has_alpha_2_codes_only():
    assert all(len(c) == 2 and c.isupper() for c in COUNTRIES)
    assert {"CN", "HK", "MO", "TW"} <= set(COUNTRIES)


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("CN-HA", "河南省", "Henan"), ("HK", "中国香港", "Hong Kong"), ("JP", "日本", "Japan"),
])
def test_place_names_in_both_languages(code, zh, en):
    assert place_name(code, "zh-CN") == zh
    assert place_name(code, "en") == en


@pytest.mark.parametrize(("check", "raw", "code"), [
    (country_code, "XX", "unknown_country"), (province_code, "CN-HK", "unknown_province"),
    (province_code, "99", "unknown_province")])
def test_the_one_place_check_names_the_field_and_the_reason(check, raw, code):
    with pytest.raises(InvalidInput) as caught:
        check(raw, "where")
    assert (caught.value.field, caught.value.code) == ("where", code)
    assert raw in str(caught.value)


def test_the_one_place_check_gives_the_code_the_rest_of_smartguard_uses():
    assert (country_code(" jp ", "f"), province_code("410000", "f")) == ("JP", "CN-HA")
