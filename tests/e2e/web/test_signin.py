"""Signing in and out of the cardholder page; sessions in signed cookies."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from smartguard.domain.alerts import AlertKind
from tests.e2e.web.support import Web, csrf_of


def test_pages_send_a_visitor_without_a_session_to_sign_in(web: Web) -> None:
    c = web.client()
    for path in ("/", f"/cards/{web.holders['wang'].card_id}",
                 f"/cards/{web.holders['wang'].card_id}/locks"):
        r = c.get(path)
        assert (r.status_code, r.headers["location"]) == (303, "/signin")


def test_the_texted_code_signs_the_cardholder_in_to_their_card(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    r = c.get("/")
    assert r.headers["location"] == f"/cards/{wang.card_id}"
    page = c.get(f"/cards/{wang.card_id}")
    assert page.status_code == 200
    assert wang.last4 in page.text and "¥10,000.00" in page.text


def test_the_code_is_texted_through_the_outbox_to_the_registered_phone(web: Web) -> None:
    wang = web.holders["wang"]
    web.sign_in(wang)
    [message] = web.texts(wang.phone, AlertKind.SIGN_IN)
    assert (message.card_id, message.status.value) == (wang.card_id, "pending")


def test_a_wrong_code_is_refused_next_to_the_code_field(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.client()
    page = c.get("/signin")
    c.post("/signin", data={"csrf": csrf_of(page.text), "last4": wang.last4,
                            "phone": wang.phone})
    page = c.get("/signin/code")
    wrong = "000000" if web.code_for(wang.phone) != "000000" else "111111"
    r = c.post("/signin/code", data={"csrf": csrf_of(page.text), "code": wrong})
    assert r.status_code == 422
    assert 'id="err-code"' in r.text and "验证码错误或已过期" in r.text
    assert "sg_session" not in c.cookies


def test_a_malformed_phone_is_refused_next_to_the_phone_field(web: Web) -> None:
    c = web.client()
    page = c.get("/signin")
    r = c.post("/signin", data={"csrf": csrf_of(page.text), "last4": "0017",
                                "phone": "12345"})
    assert r.status_code == 422
    assert 'aria-invalid="true"' in r.text and "请输入登记的手机号码" in r.text
    assert web.texts("+8613800000001") == []


def test_too_many_code_requests_are_refused_with_a_message(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.client()
    for _ in range(5):
        page = c.get("/signin")
        c.post("/signin", data={"csrf": csrf_of(page.text), "last4": wang.last4,
                                "phone": wang.phone})
    page = c.get("/signin")
    r = c.post("/signin", data={"csrf": csrf_of(page.text), "last4": wang.last4,
                                "phone": wang.phone})
    assert r.status_code == 429 and "尝试次数过多" in r.text
    assert len(web.texts(wang.phone, AlertKind.SIGN_IN)) == 5


def test_when_the_bank_sends_no_sms_sign_in_says_it_is_unavailable(web: Web) -> None:
    web.sg.ctx = replace(web.sg.ctx, alert_channels=frozenset({"webhook"}))
    c = web.client()
    page = c.get("/signin")
    r = c.post("/signin", data={"csrf": csrf_of(page.text), "last4": "0017",
                                "phone": "+8613800000001"})
    assert r.status_code == 503 and "银行未开通短信" in r.text


def test_signing_out_ends_the_session_for_good(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    cookie = c.cookies["sg_session"]
    r = web.post_form(c, f"/cards/{wang.card_id}", "/signout")
    assert (r.status_code, r.headers["location"]) == (303, "/signin")
    replay = web.client()
    replay.cookies.set("sg_session", cookie)
    assert replay.get(f"/cards/{wang.card_id}").headers["location"] == "/signin"


def test_a_session_ends_after_15_idle_minutes(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    web.clock.now += timedelta(minutes=14)
    assert c.get(f"/cards/{wang.card_id}").status_code == 200
    web.clock.now += timedelta(minutes=14)
    assert c.get(f"/cards/{wang.card_id}").status_code == 200  # the last visit counted
    web.clock.now += timedelta(minutes=15)
    assert c.get(f"/cards/{wang.card_id}").headers["location"] == "/signin"


def test_the_session_cookie_is_signed_httponly_and_samesite(web: Web) -> None:
    c = web.client()
    page = c.get("/signin")
    wang = web.holders["wang"]
    c.post("/signin", data={"csrf": csrf_of(page.text), "last4": wang.last4,
                            "phone": wang.phone})
    page = c.get("/signin/code")
    r = c.post("/signin/code", data={"csrf": csrf_of(page.text),
                                     "code": web.code_for(wang.phone)})
    header = next(v for v in r.headers.get_list("set-cookie") if v.startswith("sg_session="))
    assert "HttpOnly" in header and "SameSite=lax" in header
    assert "Secure" not in header  # plain HTTP here; see the HTTPS test
    forged = web.client()
    forged.cookies.set("sg_session", c.cookies["sg_session"][:-2] + "xx")
    assert forged.get(f"/cards/{wang.card_id}").headers["location"] == "/signin"


def test_over_https_the_session_cookie_is_secure(web: Web) -> None:
    c = web.client(https=True)
    wang = web.holders["wang"]
    page = c.get("/signin")
    c.post("/signin", data={"csrf": csrf_of(page.text), "last4": wang.last4,
                            "phone": wang.phone})
    page = c.get("/signin/code")
    r = c.post("/signin/code", data={"csrf": csrf_of(page.text),
                                     "code": web.code_for(wang.phone)})
    header = next(v for v in r.headers.get_list("set-cookie") if v.startswith("sg_session="))
    assert "Secure" in header


def test_the_sign_in_form_needs_its_csrf_token(web: Web) -> None:
    c = web.client()
    c.get("/signin")
    r = c.post("/signin", data={"last4": "0017", "phone": "+8613800000001"})
    assert r.status_code == 403 and web.texts("+8613800000001") == []


def test_the_page_speaks_english_after_the_switch_and_only_redirects_locally(web: Web) -> None:
    c = web.client()
    r = c.get("/lang/en?next=/signin")
    assert (r.status_code, r.headers["location"]) == (303, "/signin")
    assert "Text me a code" in c.get("/signin").text
    for target in ("https://evil.example/", "//evil.example/x"):
        assert c.get("/lang/en", params={"next": target}).headers["location"] == "/"


def test_answers_carry_security_headers(web: Web) -> None:
    r = web.client().get("/signin")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"


def test_web_routes_are_not_part_of_the_api_description(web: Web) -> None:
    spec = web.client().get("/openapi.json").json()
    operations = ("/healthz", "/livez", "/readyz", "/metrics")
    assert not [p for p in spec["paths"] if not p.startswith(("/v1", *operations))]
