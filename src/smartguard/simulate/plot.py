"""The PNG: fraud value stopped against honest payments hindered (declined or sent to
verification), one point per configuration, and the frontier (the configurations no other
beats on both). Needs matplotlib: ``pip install 'smartguard[simulate]'``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def frontier(points: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """The points no other point beats (less hindrance and more stopped), by hindrance."""
    best: list[tuple[float, float, str]] = []
    for x, y, name in sorted(points, key=lambda p: (p[0], -p[1])):
        if not best or y > best[-1][1]:
            best.append((x, y, name))
    return best


def points(rep: Mapping[str, Any]) -> list[tuple[float, float, str]]:
    return [(c["honest"]["hindered_pct"], c["fraud"]["all"]["value_stopped_pct"], c["name"])
            for c in rep["configurations"]]


def plot(rep: Mapping[str, Any], path: Path) -> bool:
    """Write the PNG to ``path``; False when matplotlib is not installed."""
    try:
        import matplotlib
    except ModuleNotFoundError:
        return False
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    pts = points(rep)
    fig, ax = plt.subplots(figsize=(9, 6), dpi=110)
    ax.scatter([p[0] for p in pts], [p[1] for p in pts], color="#1f77b4", zorder=3)
    for x, y, name in pts:
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(5, 4), fontsize=8)
    edge = frontier(pts)
    ax.plot([p[0] for p in edge], [p[1] for p in edge], color="#d62728", linestyle="--",
            label="frontier", zorder=2)
    s = rep["scenario"]
    ax.set_title(f"Fraud value stopped vs honest payments hindered "
                 f"(seed {s['seed']}, {s['cardholders']:,} cardholders, {s['days']} days)")
    ax.set_xlabel("honest transactions declined or sent to verification (%)")
    ax.set_ylabel("fraud value stopped (%)")
    ax.set_ylim(-2, 102)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return True
