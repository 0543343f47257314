"""The console's monitoring-rule pages: a rule that does not compile is shown again with
the compiler's message and position next to the expression (nothing saved); create, shadow
hits by day, a backtest, activation with four eyes, edit (a new version), retire; the
starter pack from the console."""

from __future__ import annotations

import re
from dataclasses import replace

from smartguard.domain.rules import RuleStatus
from tests.e2e.web.support import Web, csrf_of

RULE = {"id": "night_cash", "name": "Night cash", "action": "decline",
        "expression": 'kind == "cash_withdrawal" && local_hour < 6',
        "message_zh": "夜间取现", "message_en": "cash at night"}


def status(web: Web, rule_id: str = "night_cash") -> RuleStatus:
    return web.sg.read(lambda uow: uow.rules.versions(rule_id))[-1].status


def field_error(html: str, field: str) -> str:
    found = re.search(rf'id="err-{field}"[^>]*>([^<]*)</p>', html)
    assert found is not None
    return found.group(1)


def test_a_rule_that_does_not_compile_shows_the_error_at_its_position(web: Web) -> None:
    c = web.operator()
    bad = {**RULE, "expression": 'amount > 1 &&\n  colour == "red"'}
    r = web.post_form(c, "/console/rules", "/console/rules", bad)
    assert r.status_code == 422
    assert field_error(r.text, "expression") == \
        "第2行第3列：unknown variable &#39;colour&#39;"  # zh-CN, the default
    assert 'aria-invalid="true"' in r.text
    pointer = re.search(r'id="expression-pointer">([^<]*)</pre>', r.text)
    assert pointer is not None
    assert pointer.group(1) == '  colour == &#34;red&#34;\n  ^'
    assert "colour" in r.text.split('id="r-expression"')[1].split("</textarea>")[0]
    assert web.sg.read(lambda uow: uow.rules.all()) == []
    c.cookies.set("sg_lang", "en")
    syntax = web.post_form(c, "/console/rules", "/console/rules",
                           {**RULE, "expression": "amount >"})
    assert field_error(syntax.text, "expression").startswith("Line 1, column 9: ")


def test_create_shadow_hits_backtest_activate_with_four_eyes_edit_retire(web: Web) -> None:
    wang = web.holders["wang"]
    web.sg.ctx = replace(web.sg.ctx, four_eyes=True)
    web.clock.set_local("2026-11-26T02:30:00")  # night in Beijing
    c = web.operator()
    r = web.post_form(c, "/console/rules", "/console/rules", RULE)
    assert (r.status_code, r.headers["location"]) == (
        303, "/console/rules/night_cash?done=done.rule_created")
    page = "/console/rules/night_cash"
    assert web.post_form(c, page, f"{page}/status/shadow").status_code == 303
    shadow = web.authorize(wang, kind="cash_withdrawal", terminal="atm")
    assert shadow["outcome"] == "approve"
    listed = c.get("/console/rules").text
    row = listed[listed.index('id="rule-night_cash"'):]
    assert re.search(r'class="hits">1 / 0<', row)
    html = c.get(page).text
    hits = html[html.index('id="hits"'):html.index('id="backtest"')]
    assert "2026-11-26" in hits and "<td>1</td><td>0</td>" in hits
    bt = c.get(f"{page}/backtest", params={"days": "7"}).text
    assert re.search(r'id="bt-hits">1<', bt) and re.search(r'id="bt-declined">0<', bt)
    assert c.get(f"{page}/backtest", params={"days": "x"}).status_code == 422

    # four eyes: the first operator asks, the same one again changes nothing, another does
    asked = web.post_form(c, page, f"{page}/status/active")
    assert asked.headers["location"].endswith("done=done.rule_requested")
    web.post_form(c, page, f"{page}/status/active")
    assert status(web) is RuleStatus.SHADOW
    second = web.operator(role="admin")
    assert "id=\"requested\"" in second.get(page).text
    web.post_form(second, page, f"{page}/status/active")
    assert status(web) is RuleStatus.ACTIVE
    assert web.authorize(wang, kind="cash_withdrawal", terminal="atm")["outcome"] == "decline"
    home = c.get("/console")  # the chart names the rule's reason
    assert home.status_code == 200 and "银行风险监控规则" in home.text

    edited = web.post_form(c, page, page, {**RULE, "name": "Night cash v2",
                                           "expression": RULE["expression"] + " && amount > 1"})
    assert edited.status_code == 303
    versions = web.sg.read(lambda uow: uow.rules.versions("night_cash"))
    assert [(v.version, v.status) for v in versions] == [(1, RuleStatus.ACTIVE),
                                                         (2, RuleStatus.DRAFT)]
    bad_edit = web.post_form(c, page, page, {**RULE, "expression": "amount >> 1"})
    assert bad_edit.status_code == 422 and "err-expression" in bad_edit.text
    web.post_form(c, page, f"{page}/status/retired")
    assert status(web) is RuleStatus.RETIRED
    assert 'id="edit"' not in c.get(page).text


def test_the_starter_pack_from_the_console(web: Web) -> None:
    c = web.operator()
    r = web.post_form(c, "/console/rules", "/console/rules/starter-pack")
    assert r.headers["location"] == "/console/rules?done=done.starter&count=6"
    html = c.get(r.headers["location"]).text
    assert "入门规则包：新安装6条。" in html and 'id="rule-card_testing"' in html
    again = web.post_form(c, "/console/rules", "/console/rules/starter-pack")
    assert again.headers["location"].endswith("count=0")


def test_the_rule_pages_need_an_operator_and_a_form_token(web: Web) -> None:
    assert web.client().get("/console/rules").status_code == 303
    c = web.operator()
    page = c.get("/console/rules")
    assert c.post("/console/rules", data=RULE).status_code == 403  # no CSRF token
    assert csrf_of(page.text)
    assert c.get("/console/rules/nope").status_code == 404
