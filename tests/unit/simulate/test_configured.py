"""Configurations written in the scenario's TOML (simulate/configured.py)."""

from __future__ import annotations

import tomllib

import pytest

from smartguard.domain.controls.spending import Switch
from smartguard.domain.errors import InvalidInput
from smartguard.domain.rules import RuleStatus
from smartguard.simulate.configurations import BY_NAME, chosen
from smartguard.simulate.configured import configuration, from_scenario
from smartguard.simulate.model import Holder
from smartguard.simulate.places import Home

HOLDER = Holder(1, "commuter", Home("CN-HA", "Zhengzhou", 99), "zh-CN", 1_000_000, ())

SCENARIO = tomllib.loads('''
[configurations.mine]
label = "switches and a home region lock"
base = "icbc"
alerts = true
announces_trip = 1.0
rules = "shadow"
[configurations.mine.controls]
switches_off = ["abroad"]
region_lock = "home"
limits = { atm_cash = { per_txn = 2000 } }
''')


def test_a_configuration_from_toml_sets_what_it_names_for_each_cardholder() -> None:
    (c,) = from_scenario(SCENARIO["configurations"])
    assert (c.name, c.alerts, c.announces, c.rules) == ("mine", True, 1.0, RuleStatus.SHADOW)
    controls = c.controls(HOLDER)
    assert Switch.ABROAD in controls.switches.off
    assert controls.region_lock.enabled and set(controls.region_lock.places) == {"CN-HA"}
    assert controls.verification.magstripe  # base "icbc": the stripe check stays on
    assert chosen(("mine",), (c,)) == (c,)


@pytest.mark.parametrize("table, field", [
    ({"colour": "red"}, "configurations.bad"),
    ({"base": "everything"}, "configurations.bad.base"),
    ({"announces_trip": 2}, "configurations.bad.announces_trip"),
    ({"rules": "draft"}, "configurations.bad.rules"),
])
def test_a_bad_configuration_is_refused_with_its_place(table: dict[str, object],
                                                       field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        configuration("bad", table)
    assert raised.value.field == field


def test_a_name_of_a_built_in_configuration_cannot_be_taken() -> None:
    taken = next(iter(BY_NAME))
    with pytest.raises(InvalidInput):
        chosen((), (configuration(taken, {}),))
