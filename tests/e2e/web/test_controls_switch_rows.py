"""The channels & merchants page without JavaScript: its channel rows are the security
centre's switches (one form each). Off posts and comes back to this page, with what was
done and an undo; on lowers the protection, so it asks first, on a page that comes back
here too. The folded categories open where a form was saved or refused."""

from __future__ import annotations

import re

from smartguard.domain.controls.spending import Switch
from tests.e2e.web.support import Web, csrf_of


def test_a_channel_row_switches_without_javascript_and_comes_back(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    here = f"/cards/{wang.card_id}/controls"
    action = f"/cards/{wang.card_id}/switches/channel.contactless"
    html = c.get(here).text
    row = html[html.index('id="sw-channel-contactless"'):]
    row = row[:row.index("</li>")]
    assert f'action="{action}"' in row and 'name="back" value="controls"' in row
    assert 'role="switch" aria-checked="true"' in row and "centre.details" not in row

    r = web.post_form(c, here, action, {"on": "0", "back": "controls"})
    assert r.status_code == 303
    assert r.headers["location"] == (f"{here}?switched=channel.contactless&now=off"
                                     "#sw-channel-contactless")
    assert web.card(wang).controls.switches.off == {Switch.CONTACTLESS}
    assert web.authorize(wang, entry_mode="contactless")["primary_reason"] == "contactless_off"
    after = c.get(r.headers["location"]).text
    assert "已关闭闪付（非接触）。" in after
    undo = re.search(r'<form class="undo"[^>]*>(.*?)</form>', after, re.S)
    assert undo is not None and 'name="back" value="controls"' in undo.group(1)

    asked = c.post(action, data={"csrf": csrf_of(after), "on": "1", "back": "controls"})
    assert asked.status_code == 200  # turning a channel on lowers the protection: asked
    assert "打开后此卡的保护会降低" in asked.text and 'name="back" value="controls"' in asked.text
    assert f'href="{here}#channels"' in asked.text  # "keep it off" stays on this page
    assert web.card(wang).controls.switches.off == {Switch.CONTACTLESS}
    yes = c.post(action, data={"csrf": csrf_of(asked.text), "on": "1", "confirm": "1",
                               "back": "controls"})
    assert yes.headers["location"].startswith(f"{here}?switched=channel.contactless&now=on")
    assert web.card(wang).controls.switches.off == frozenset()


def test_a_switch_from_elsewhere_goes_back_to_the_centre(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    home = f"/cards/{wang.card_id}"
    r = web.post_form(c, home, f"{home}/switches/channel.pos", {"on": "0", "back": "/evil"})
    assert r.headers["location"].startswith(f"{home}?switched=channel.pos&now=off")


def test_a_refused_category_opens_with_its_own_error(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    here = f"/cards/{wang.card_id}/controls"
    r = web.post_form(c, here, f"{here}/categories/lottery", {"daily_amount": "abc"})
    assert r.status_code == 422
    opened = re.findall(r'<details class="fold" id="fold-(\w+)" open>', r.text)
    assert opened == ["lottery"]
    assert re.search(r'id="err-daily_amount-lottery"[^>]*>[^<]+<', r.text)
    assert re.search(r'id="err-daily_amount-gambling"[^>]*></p>', r.text)  # not every form
    saved = web.post_form(c, here, f"{here}/categories/lottery", {"daily_amount": "200"})
    assert saved.headers["location"].endswith("&at=category-lottery#category-lottery")
    page = c.get(saved.headers["location"]).text
    assert re.findall(r'<details class="fold" id="fold-(\w+)" open>', page) == ["lottery"]
    assert "每日最多¥200.00" in page  # the row says its setting folded
