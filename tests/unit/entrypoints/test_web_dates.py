"""A trip's dates as a cardholder types them on the page (entrypoints/web/dates.py): the
page's own formats in both languages, ISO always, a date alone for the whole day, and
day/month order refused as ambiguous."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.web import dates

NINE = datetime(2026, 12, 4, 9, 0)


@pytest.mark.parametrize("text", [
    "2026-12-04 09:00", "2026-12-04T09:00", "2026-12-04 9:00", "  2026-12-04   09:00 ",
    "2026/12/4 09:00", "2026.12.04 09:00", "2026年12月4日 09:00", "2026年12月4日9:00",
    "2026年12月4日 9点", "2026 年 12 月 4 日 09：00", "4 Dec 2026 09:00", "4 dec 2026 9:00",
    "4 December 2026, 09:00", "4th Dec 2026 09:00", "Dec 4, 2026 09:00",
    "December 4 2026 09:00", "2026-12-04T09:00:00"])
def test_the_formats_of_both_languages_and_iso_name_the_same_instant(text: str) -> None:
    assert dates.parse(text, "starts_at") == NINE


def test_a_date_alone_is_the_whole_day_from_midnight_to_23_59() -> None:
    assert dates.parse("2026-12-04", "starts_at") == datetime(2026, 12, 4, 0, 0)
    assert dates.parse("2026-12-04", "ends_at", end=True) == datetime(2026, 12, 4, 23, 59, 59)
    assert dates.parse("4 Dec 2026", "ends_at", end=True) == datetime(2026, 12, 4, 23, 59, 59)
    assert dates.parse("2026年12月4日", "starts_at") == datetime(2026, 12, 4)
    assert dates.parse("2026-12-04 24:00", "ends_at", end=True).time() == dates.END_OF_DAY


def test_an_offset_given_in_iso_is_kept() -> None:
    found = dates.parse("2026-12-04T09:00+08:00", "starts_at")
    assert found == datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert found.utcoffset() == timedelta(hours=8)
    assert found.tzinfo == timezone(timedelta(hours=8))


@pytest.mark.parametrize(("text", "code"), [
    ("04/12/2026", "ambiguous_date"), ("12/04/2026 09:00", "ambiguous_date"),
    ("4.12.2026", "ambiguous_date"), ("2026-02-30", "no_such_day"),
    ("30 Feb 2027", "no_such_day"), ("2026-12-04 25:00", "invalid_time"),
    ("2026-12-04 09:75", "invalid_time"), ("", "invalid_datetime"),
    ("tomorrow", "invalid_datetime"), ("4 Dex 2026", "invalid_datetime"),
    ("mm/dd/yyyy", "invalid_datetime"), ("2026-12-04 9", "invalid_datetime")])
def test_what_cannot_be_read_one_way_is_refused_for_its_field(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        dates.parse(text, "ends_at", end=True)
    assert (refused.value.field, refused.value.code) == ("ends_at", code)


@pytest.mark.parametrize(("lang", "shown"), [("zh-CN", "2026-12-04 09:00"),
                                             ("en", "4 Dec 2026 09:00")])
def test_the_page_writes_a_field_in_its_language_and_reads_it_back(lang: str,
                                                                  shown: str) -> None:
    assert dates.field_text(NINE, lang) == shown
    assert dates.parse(shown, "starts_at") == NINE


def test_the_picker_is_told_the_names_and_the_days_a_trip_may_use() -> None:
    zh, en = dates.picker("zh-CN", date(2026, 12, 4)), dates.picker("en", date(2026, 12, 4))
    assert (zh["today"], zh["last"]) == ("2026-12-04", "2027-12-05")
    assert zh["months"].split(",")[11] == "12月" and zh["weekdays"].split(",")[0] == "一"
    assert en["months"].split(",")[0] == "January" and en["weekdays"].split(",")[6] == "Sun"
