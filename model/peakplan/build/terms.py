"""SystemTerms: the registries through which build modules contribute to shared equations.

Build modules never reach into one another. Each adds its own variables and constraints and
registers, here, callables that return Pyomo expressions:

- ``injections`` / ``withdrawals``: MW terms of the electricity balance, per (j, y, t);
- ``energy``: annual tce terms of China's energy accounting (formulation §4) per (j, y),
  each under a category (coal, gas, oil, nonfossil_local, net_import, import_nonfossil,
  other_nonfossil) and a term name reported in energy_balance.csv;
- ``emissions``: annual tCO2 terms per (j, y) not derived from the fuel categories
  (indirect emissions of imported electricity);
- ``fossil_generation``: MW of local fossil generation per (j, y, t) (export attribution);
- ``costs``: annual undiscounted CNY per (j, y), by cost component;
- ``quantities``: named per-(j, y) quantities the policy module needs (VRE capacity, new
  storage energy, curtailment...).

The balance, accounting, policies and objective are assembled last from these registries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Expr = Any  # a Pyomo expression, variable, or number
JYT = Callable[[str, int, int], Expr]
JY = Callable[[str, int], Expr]

ENERGY_CATEGORIES: tuple[str, ...] = (
    "coal",
    "gas",
    "oil",
    "nonfossil_local",
    "net_import",
    "import_nonfossil",
    "other_nonfossil",
)


@dataclass
class SystemTerms:
    """Registries of balance, accounting, cost and policy terms (see module docstring)."""

    injections: dict[str, JYT] = field(default_factory=dict)
    withdrawals: dict[str, JYT] = field(default_factory=dict)
    energy: dict[str, dict[str, JY]] = field(default_factory=lambda: defaultdict(dict))
    emissions: dict[str, JY] = field(default_factory=dict)
    fossil_generation: dict[str, JYT] = field(default_factory=dict)
    costs: dict[str, JY] = field(default_factory=dict)
    quantities: dict[str, dict[str, JY]] = field(default_factory=lambda: defaultdict(dict))

    def add_injection(self, name: str, f: JYT) -> None:
        _unique(self.injections, name)
        self.injections[name] = f

    def add_withdrawal(self, name: str, f: JYT) -> None:
        _unique(self.withdrawals, name)
        self.withdrawals[name] = f

    def add_energy(self, category: str, term: str, f: JY) -> None:
        if category not in ENERGY_CATEGORIES:
            raise ValueError(f"unknown energy category {category!r}")
        _unique(self.energy[category], term)
        self.energy[category][term] = f

    def add_emission(self, term: str, f: JY) -> None:
        _unique(self.emissions, term)
        self.emissions[term] = f

    def add_fossil_generation(self, name: str, f: JYT) -> None:
        _unique(self.fossil_generation, name)
        self.fossil_generation[name] = f

    def add_cost(self, component: str, f: JY) -> None:
        _unique(self.costs, component)
        self.costs[component] = f

    def add_quantity(self, quantity: str, term: str, f: JY) -> None:
        """Add a term to a named per-(j, y) quantity (summed over its terms)."""
        _unique(self.quantities[quantity], term)
        self.quantities[quantity][term] = f

    def quantity(self, name: str, j: str, y: int) -> Expr:
        return sum(f(j, y) for f in self.quantities.get(name, {}).values())


def _unique(reg: dict[str, Any], name: str) -> None:
    if name in reg:
        raise ValueError(f"term {name!r} registered twice")
