"""Solver: a persistent HiGHS (Pyomo ``contrib.solver``) with options from solver_configs/.

Success is judged from the termination condition, never from a status string alone; the
objective is read from the model. Keeping the same :class:`Solver` object across solves keeps
HiGHS's basis, so a re-solve after a change of mutable parameters starts warm.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from peakplan.build import BuiltModel
from peakplan.build.objective import OBJ_SCALE
from peakplan.config import SolverConfig

log = logging.getLogger(__name__)

OPTIMAL = TerminationCondition.convergenceCriteriaSatisfied
INFEASIBLE = {TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible,
              TerminationCondition.infeasibleOrUnbounded}


@dataclass
class SolveOutcome:
    """What one solve gave."""

    optimal: bool
    infeasible: bool
    termination: str
    objective_cny: float | None
    seconds: float  # wall time of the solve call (update + hand-over + HiGHS + load)
    highs_seconds: float  # HiGHS's own run time
    iterations: int
    options: dict[str, Any] = field(default_factory=dict)


class Solver:
    """Persistent HiGHS for one model at a time (re-solves of the same model start warm)."""

    def __init__(self, config: SolverConfig, tee: bool = False):
        self.config = config
        self._opt = Highs()
        c = self._opt.config
        c.raise_exception_on_nonoptimal_result = False
        c.load_solutions = False
        c.tee = tee
        opts = dict(config.options)
        threads = opts.pop("threads", None)
        time_limit = opts.pop("time_limit", None)
        if threads is not None:
            c.threads = int(threads)
        if time_limit is not None:
            c.time_limit = float(time_limit)
        opts.setdefault("output_flag", bool(tee))
        c.solver_options = opts
        self.options = dict(config.options)
        self._results: Any = None
        self._model: pyo.ConcreteModel | None = None

    def load(self, built: BuiltModel) -> float:
        """Hand the model over to HiGHS (no solve); return the seconds it took.

        After this, solves only push changed mutable parameters: structure changes (new
        components) need a new :class:`Solver` or another :meth:`load`.
        """
        t0 = time.perf_counter()
        self._opt.set_instance(built.model)
        au = self._opt.config.auto_updates
        au.check_for_new_or_removed_constraints = False
        au.check_for_new_or_removed_vars = False
        au.check_for_new_or_removed_params = False
        au.check_for_new_objective = False
        au.update_constraints = False
        au.update_vars = False
        au.update_named_expressions = False
        au.update_objective = False
        au.update_parameters = True
        self._model = built.model
        return time.perf_counter() - t0

    @property
    def highs(self) -> Any:
        """The underlying ``highspy.Highs`` object (after the first solve)."""
        return self._opt._solver_model

    def solve(self, built: BuiltModel) -> SolveOutcome:
        """Solve (or re-solve) ``built``; load primal values when optimal."""
        m = built.model
        before = self._highs_time()
        t0 = time.perf_counter()
        res = self._opt.solve(m)
        self._results, self._model = res, m
        tc = res.termination_condition
        optimal = tc == OPTIMAL
        if optimal:
            res.solution_loader.load_vars()
        wall = time.perf_counter() - t0
        highs_s = self._highs_time() - before
        info = self.highs.getInfo() if self.highs is not None else None
        iters = int(getattr(info, "simplex_iteration_count", 0) or 0) + int(getattr(info, "ipm_iteration_count", 0) or 0)
        obj = pyo.value(m.obj_total_cost) / OBJ_SCALE if optimal else None
        log.info("%s: %s, objective %s CNY, %.2f s (HiGHS %.2f s, %d iterations)", m.name, tc.name,
                 f"{obj:,.0f}" if obj is not None else "-", wall, highs_s, iters)
        return SolveOutcome(optimal, tc in INFEASIBLE, tc.name, obj, wall, highs_s, iters, self.options)

    def duals(self, constraints: list[Any]) -> dict[Any, float]:
        """Duals of the given constraints (objective units per unit of the constraint), after an optimal solve."""
        if self._results is None or not constraints:
            return {}
        return dict(self._results.solution_loader.get_duals(constraints))

    def _highs_time(self) -> float:
        h = self.highs
        return float(h.getRunTime()) if h is not None else 0.0
