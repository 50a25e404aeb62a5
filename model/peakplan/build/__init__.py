"""build_model: the explicit build order, nothing else.

Sets and time → technologies (renewables, storage, units, new thermal, fuel switching) → grid
(needs fossil generation registered) → balance → accounting → policies → objective.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo

from peakplan.build import (
    accounting,
    balance,
    fuel_switch,
    grid,
    objective,
    policies,
    renewables,
    storage,
    thermal,
    units,
)
from peakplan.build.context import BuildContext
from peakplan.build.policies import TargetRow
from peakplan.build.terms import SystemTerms
from peakplan.config import Scenario
from peakplan.io.load import Dataset
from peakplan.time import TimeIndex

log = logging.getLogger(__name__)


@dataclass
class BuiltModel:
    """A built Pyomo model with what results and diagnosis need to read it."""

    model: pyo.ConcreteModel
    ctx: BuildContext
    terms: SystemTerms
    targets: list[TargetRow]
    build_seconds: float
    # linear forms of expressions read by the results, compiled once (see results.Evaluator)
    linear_forms: dict[Any, Any] = field(default_factory=dict, repr=False)


def build_model(data: Dataset, scenario: Scenario, time_index: TimeIndex,
                jurisdictions: tuple[str, ...] | None = None, elastic: bool | None = None) -> BuiltModel:
    """Build the LP for ``jurisdictions`` (default: all of the dataset) on ``time_index``."""
    t0 = time.perf_counter()
    jur = tuple(jurisdictions or data.jurisdictions)
    ctx = BuildContext(data=data, scenario=scenario, time=time_index.restrict(jur), jurisdictions=jur,
                       years=tuple(sorted(data.years)), elastic=scenario.elastic if elastic is None else elastic)
    m = pyo.ConcreteModel(name=f"peakplan[{','.join(jur)}]")
    m.JURISDICTIONS = pyo.Set(initialize=list(jur), ordered=True, doc="jurisdictions j")
    m.YEARS = pyo.Set(initialize=list(ctx.years), ordered=True, doc="milestone years y")
    m.STEPS = pyo.Set(initialize=list(ctx.steps), ordered=True, doc="time steps t")
    m.p_step_weight_h = pyo.Param(m.STEPS, initialize={t: ctx.weight(t) for t in ctx.steps},
                                  doc="hours step t stands for (h)")
    m.p_prev_step = pyo.Param(m.STEPS, initialize={t: int(ctx.time.prev[t]) for t in ctx.steps}, within=m.STEPS,
                              doc="previous step in the same period (cyclic)")
    terms = SystemTerms()
    renewables.add_to_model(m, ctx, terms)
    storage.add_to_model(m, ctx, terms)
    units.add_to_model(m, ctx, terms)
    thermal.add_to_model(m, ctx, terms)
    fuel_switch.add_to_model(m, ctx, terms)
    grid.add_to_model(m, ctx, terms)
    balance.add_to_model(m, ctx, terms)
    accounting.add_to_model(m, ctx, terms)
    targets = policies.add_to_model(m, ctx, terms)
    objective.add_to_model(m, ctx, terms)
    dt = time.perf_counter() - t0
    log.info("built %s: %d steps x %d years in %.2f s", m.name, len(ctx.steps), len(ctx.years), dt)
    return BuiltModel(m, ctx, terms, targets, dt)


__all__ = ["BuiltModel", "build_model"]
