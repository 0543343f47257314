"""A trip's dates without JavaScript: the form posts what was typed, in the page's own
format or ISO, and the server reads it in the cardholder's zone or says why not next to
the field (every field at once), keeping what was typed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.e2e.web.support import Web


def trips(web: Web, card_id: str) -> list[tuple[str, datetime, datetime]]:
    found = web.sg.read(lambda uow: uow.travel.for_card(card_id))
    return [(r.place, r.starts_at, r.ends_at) for r in found]


def test_the_page_offers_text_fields_in_its_language_not_the_browsers_date_input(
        web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/travel"
    html = c.get(page).text
    assert "datetime-local" not in html
    assert re.search(r'<input type="text" id="travel-start" name="starts_at"', html)
    assert re.search(r'例如 \d{4}-\d{2}-\d{2} 09:00（24小时制）', html)
    assert 'data-today="' in html and 'src="/static/sg-dates.js"' in html
    assert "时间按您的时区计算：北京时间 (Asia/Shanghai)。" in html  # the zone in words
    c.get("/lang/en")
    html = c.get(page).text
    assert re.search(r'For example \d{1,2} [A-Z][a-z]{2} \d{4} 09:00 \(24-hour clock\)', html)
    assert "Times are in your time zone: China time (Asia/Shanghai)." in html


def test_a_trip_typed_in_chinese_or_english_or_iso_is_read_in_the_cardholders_zone(
        web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/travel"
    r = web.post_form(c, page, page, {"place": "CN-HI", "starts_at": "2026年12月4日 9:00",
                                      "ends_at": "2026-12-06"})
    assert r.headers["location"] == f"{page}?done=done.travel_added"
    c.get("/lang/en")
    web.post_form(c, page, page, {"place": "JP", "starts_at": "10 Dec 2026 08:30",
                                  "ends_at": "Dec 12, 2026 22:00"})
    assert sorted(trips(web, wang.card_id)) == [  # Beijing time is UTC+8
        ("CN-HI", datetime(2026, 12, 4, 1, 0, tzinfo=UTC),
         datetime(2026, 12, 6, 15, 59, 59, tzinfo=UTC)),
        ("JP", datetime(2026, 12, 10, 0, 30, tzinfo=UTC),
         datetime(2026, 12, 12, 14, 0, tzinfo=UTC))]
    html = c.get(page).text  # the list in the page's language
    assert "4 Dec 2026 09:00" in html and "6 Dec 2026 23:59" in html
    c.get("/lang/zh-CN")
    assert "2026-12-10 08:30" in c.get(page).text


def test_an_ambiguous_date_and_a_bad_time_are_both_refused_next_to_their_fields(
        web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/travel"
    r = web.post_form(c, page, page, {"place": "", "starts_at": "04/12/2026",
                                      "ends_at": "2026-12-06 25:00"})
    assert r.status_code == 422
    assert re.search(r'id="err-place"[^>]*>请选择目的地', r.text)
    assert re.search(r'id="err-starts_at"[^>]*>无法确定是几月几日', r.text)
    assert re.search(r'id="err-ends_at"[^>]*>请按 时:分 输入时间', r.text)
    assert 'value="04/12/2026"' in r.text and 'value="2026-12-06 25:00"' in r.text
    assert re.search(r'name="starts_at"[^>]*aria-invalid="true"', r.text)
    c.get("/lang/en")
    r = web.post_form(c, page, page, {"place": "JP", "starts_at": "12/04/2026 09:00",
                                      "ends_at": "30 Feb 2027"})
    assert re.search(r'id="err-starts_at"[^>]*>This could be read two ways', r.text)
    assert re.search(r'id="err-ends_at"[^>]*>There is no such day', r.text)
    assert trips(web, wang.card_id) == []
