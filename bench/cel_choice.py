"""Which CEL library: compile and evaluate one typical rule with each (docs/rules.md).

CPU time (time.process_time), best of 5 runs. Run: ``python bench/cel_choice.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

RULE = ('terminal == "atm" && entry_mode in ["magstripe", "magstripe_fallback"] '
        '&& (local_hour >= 23 || local_hour < 6) && province_first_use')
MISS = {"terminal": "pos", "entry_mode": "chip", "local_hour": 3, "province_first_use": True}
HIT = {"terminal": "atm", "entry_mode": "magstripe", "local_hour": 3,
       "province_first_use": True}


def cpu_us(fn: Callable[[], object], n: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - start) / n * 1e6)
    return best


def rust() -> None:
    import cel
    program = cel.compile(RULE)

    def run(values: dict[str, object]) -> object:
        context = cel.Context()
        context.set_variable_resolver(values.get)
        return program.execute(context)

    print(f"common-expression-language: compile {cpu_us(lambda: cel.compile(RULE), 2000):.1f} us, "
          f"evaluate (first test fails) {cpu_us(lambda: run(MISS), 20000):.2f} us, "
          f"evaluate (all tests) {cpu_us(lambda: run(HIT), 20000):.2f} us, "
          f"evaluate with a dict {cpu_us(lambda: program.execute(HIT), 20000):.2f} us")


def python() -> None:
    import celpy
    env = celpy.Environment()
    program = env.program(env.compile(RULE))
    values = {k: celpy.json_to_cel(v) for k, v in HIT.items()}
    print(f"cel-python: compile {cpu_us(lambda: env.program(env.compile(RULE)), 50):.0f} us, "
          f"evaluate {cpu_us(lambda: program.evaluate(values), 500):.0f} us")


if __name__ == "__main__":
    rust()
    try:
        python()
    except ImportError:
        print("cel-python is not installed (pip install cel-python to compare)")
