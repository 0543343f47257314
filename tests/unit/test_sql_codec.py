"""Column encodings the SQL adapters share: what is stored reads back the same."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from smartguard.adapters.sql.codec import request_json, request_load
from smartguard.domain.transactions import AuthorizationRequest
from tests.builders import (
    atm_withdrawal,
    balance_inquiry,
    magstripe_purchase,
    online_purchase,
    pos_purchase,
    quick_payment,
    refund,
)

REQUESTS = [pos_purchase(), magstripe_purchase(), atm_withdrawal(), online_purchase(),
            quick_payment(), balance_inquiry(), refund(),
            pos_purchase(merchant_name="上海·咖啡 \"Café\"", city=None)]


@pytest.mark.parametrize("request_", REQUESTS)
def test_a_stored_request_reads_back_equal(request_: AuthorizationRequest) -> None:
    assert request_load(request_json(request_)) == request_


@pytest.mark.parametrize("request_", REQUESTS)
def test_a_stored_request_is_an_object_of_its_fields_in_order_enums_by_value(
        request_: AuthorizationRequest) -> None:
    stored = json.loads(request_json(request_))
    names = [f.name for f in fields(AuthorizationRequest)]
    assert list(stored) == names
    assert stored == {n: getattr(request_, n) for n in names}
    assert stored["kind"] == request_.kind.value and type(stored["kind"]) is str
