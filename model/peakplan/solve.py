"""The solver: HiGHS with options from solver_configs/, fed directly with the model's matrices.

- :class:`DirectSolver`: Pyomo's ``LinearStandardFormCompiler`` turns the model
  into sparse matrices, which go to ``highspy`` in one ``passModel`` call; primal values and
  duals are mapped back. Measured 6–11× faster than the persistent interface's hand-over
  (3.2 → 0.3 s for one jurisdiction on 12 representative days, 62 → 10 s on the full year).
  The same object re-solves warm: :meth:`DirectSolver.update_rows` pushes the rows of changed
  mutable parameters (target levels) into the live HiGHS model, and
  :meth:`DirectSolver.update_model` diffs a rebuilt model against the live one and pushes only
  changed costs, bounds and coefficients — or reloads when the structure changed. HiGHS keeps
  its basis across both, so the next solve starts warm. Sweeps use this path.

Success is judged from HiGHS's model status, never from a log line; the objective is HiGHS's.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from peakplan.build import BuiltModel
from peakplan.build.objective import OBJ_SCALE
from peakplan.config import SolverConfig

log = logging.getLogger(__name__)



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
    limit: bool = False  # stopped by a time or iteration limit


_HIGHS_OPTIMAL = {highspy.HighsModelStatus.kOptimal}
_HIGHS_INFEASIBLE = {highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible}
_HIGHS_LIMITS = {highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit}


@dataclass
class StandardForm:
    """The model as HiGHS holds it: matrices plus which Pyomo objects each row and column is."""

    lp: highspy.HighsLp
    a: Any  # scipy CSC matrix, rows x columns
    rows: list[Any]
    columns: list[Any]
    is_mip: bool

    @cached_property
    def row_names(self) -> list[str]:
        """Constraint name and bound side of each row (computed when a structure check needs it)."""
        return [f"{r.constraint.name}/{r.bound_type}" for r in self.rows]

    @cached_property
    def col_names(self) -> list[str]:
        return [v.name for v in self.columns]


def compile_standard_form(built: BuiltModel) -> StandardForm:
    """Compile ``built`` to a ``HighsLp`` (raises ``InfeasibleConstraintException`` on a trivially infeasible row)."""
    sf = LinearStandardFormCompiler().write(built.model, mixed_form=True, set_sense=None)
    if sf.eliminated_vars:
        raise RuntimeError("unexpected eliminated variables in the standard form")
    a = sf.A.tocsc()
    n_row, n_col = a.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = sf.c.toarray().ravel() if sf.c.shape[0] else np.zeros(n_col)
    lp.offset_ = float(sf.c_offset[0]) if len(sf.c_offset) else 0.0
    inf = highspy.kHighsInf
    lb = np.empty(n_col)
    ub = np.empty(n_col)
    for i, v in enumerate(sf.columns):
        lo, hi = v.bounds
        lb[i] = -inf if lo is None else lo
        ub[i] = inf if hi is None else hi
    lp.col_lower_, lp.col_upper_ = lb, ub
    kind = np.fromiter((r.bound_type for r in sf.rows), dtype=np.int8, count=n_row)
    rhs = np.asarray(sf.rhs, dtype=float)
    lp.row_lower_ = np.where(kind >= 0, np.where(kind == 0, rhs, -inf), rhs)
    lp.row_upper_ = np.where(kind <= 0, np.where(kind == 0, rhs, inf), rhs)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    if sf.objectives and sf.objectives[0].sense == pyo.maximize:
        lp.sense_ = highspy.ObjSense.kMaximize
    integer = np.fromiter((v.is_integer() for v in sf.columns), dtype=bool, count=n_col)
    is_mip = bool(integer.any())
    if is_mip:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in integer]
    return StandardForm(lp, a, list(sf.rows), list(sf.columns), is_mip)


class DirectSolver:
    """HiGHS fed with the standard form of the model (fast cold path; no parameter updates)."""

    def __init__(self, config: SolverConfig, tee: bool = False):
        self.config = config
        self.options = dict(config.options)
        self._tee = tee
        self._highs: highspy.Highs | None = None
        self._rows: list[Any] = []
        self._columns: list[Any] = []
        self._row_of: dict[Any, int] = {}
        self._rows_of: dict[Any, list[int]] = {}
        self._col_of: dict[int, int] = {}
        self._affine: dict[Any, tuple[np.ndarray, np.ndarray, np.ndarray, float, float]] = {}
        self._x: np.ndarray | None = None
        self._row_dual: np.ndarray | None = None
        self._sf: StandardForm | None = None  # type: ignore[assignment]
        self._trivially_infeasible: str | None = None
        self.is_mip = False
        # copy the solution into the Pyomo variables (single runs); sweeps read ``snapshot()`` instead
        self.load_values = True
        self._solves = 0  # solves of the loaded model (the first is cold)

    @property
    def highs(self) -> highspy.Highs | None:
        return self._highs

    def load(self, built: BuiltModel) -> float:
        """Compile the model to matrices and pass them to HiGHS (cold); return the seconds it took."""
        t0 = time.perf_counter()
        try:
            sf = compile_standard_form(built)
        except InfeasibleConstraintException as exc:
            self._trivially_infeasible = str(exc)
            return time.perf_counter() - t0
        self._trivially_infeasible = None
        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(self._tee))
        for k, v in self.options.items():
            h.setOptionValue(k, v)
        h.passModel(sf.lp)
        self._solves = 0
        log.info("%s handed to HiGHS %s: %d columns, %d rows, %d nonzeros%s; options %s", built.model.name,
                 h.version(), sf.lp.num_col_, sf.lp.num_row_, sf.a.nnz, " (MILP)" if sf.is_mip else "",
                 self.options)
        self._highs = h
        self._adopt(sf)
        return time.perf_counter() - t0

    def _adopt(self, sf: StandardForm) -> None:
        self._sf = sf
        self.is_mip = sf.is_mip
        self._rows, self._columns = sf.rows, sf.columns
        self._row_of = {}
        self._rows_of = {}
        for i, r in enumerate(sf.rows):
            self._row_of[r.constraint] = i
            self._rows_of.setdefault(r.constraint, []).append(i)
        self._col_of = {id(v): i for i, v in enumerate(sf.columns)}
        self._affine = {}
        self._x = None
        self._row_dual = None

    def update_rows(self, changes: list[tuple[Any, Any]]) -> int:
        """Push the rows of constraints whose mutable parameter has just been given a new value.

        ``changes`` lists ``(constraint, parameter)`` pairs; each constraint is affine in its
        parameter (a target level is). The first time a pair is seen, the row is compiled at two
        values of the parameter (``generate_standard_repn``, checked at a third), giving each
        coefficient and the constant as ``base + slope · value``; from then on an update is
        arithmetic plus ``changeCoeff`` for the coefficients that move and ``changeRowBounds``.
        HiGHS keeps its basis. Returns the number of rows pushed.
        """
        h = self._highs
        if h is None:
            raise RuntimeError("update_rows before load")
        inf = highspy.kHighsInf
        n = 0
        for con, param in changes:
            rows = self._rows_of.get(con)
            if rows is None:
                raise KeyError(f"{con.name} is not a row of the loaded model")
            aff = self._affine.get(con)
            if aff is None:
                aff = self._affine[con] = self._learn_affine(con, param)
            cols, base, slope, c_base, c_slope = aff
            p = float(pyo.value(param))
            coefs = base + slope * p
            const = c_base + c_slope * p
            lo = pyo.value(con.lower) if con.has_lb() else None
            hi = pyo.value(con.upper) if con.has_ub() else None
            moving = slope != 0.0
            move_cols = cols[moving].tolist()
            move_vals = coefs[moving].tolist()
            change = h.changeCoeff
            for i in rows:
                for c, v in zip(move_cols, move_vals):
                    change(i, c, v)
                bt = self._rows[i].bound_type
                row_lo = -inf if bt == 1 or lo is None else float(lo) - const
                row_hi = inf if bt == -1 or hi is None else float(hi) - const
                h.changeRowBounds(i, row_lo, row_hi)
                n += 1
        return n

    def _learn_affine(self, con: Any, param: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
        """Coefficients and constant of ``con``'s row as ``base + slope · param`` (columns in LP order)."""
        from pyomo.repn import generate_standard_repn

        p0 = float(pyo.value(param))

        def row_at(v: float) -> tuple[dict[int, float], float]:
            param.set_value(v)
            repn = generate_standard_repn(con.body, compute_values=True, quadratic=False)
            if repn.nonlinear_expr is not None:
                raise ValueError(f"{con.name} is not linear")
            out: dict[int, float] = {}
            for var, c in zip(repn.linear_vars, repn.linear_coefs):
                col = self._col_of.get(id(var))
                if col is None:
                    raise KeyError(f"{con.name}: variable {var.name} is not a column of the loaded model")
                out[col] = out.get(col, 0.0) + float(c)
            return out, float(pyo.value(repn.constant))

        try:
            r0, k0 = row_at(p0)
            r1, k1 = row_at(p0 + 1.0)
            r2, k2 = row_at(p0 + 2.0)
        finally:
            param.set_value(p0)
        cols = np.array(sorted(set(r0) | set(r1)), dtype=np.int64)
        v0 = np.array([r0.get(c, 0.0) for c in cols])
        v1 = np.array([r1.get(c, 0.0) for c in cols])
        v2 = np.array([r2.get(c, 0.0) for c in cols])
        slope = v1 - v0
        if not np.allclose(v2, v0 + 2.0 * slope, rtol=1e-9, atol=1e-12) or not math.isclose(
                k2, k0 + 2.0 * (k1 - k0), rel_tol=1e-9, abs_tol=1e-9):
            raise ValueError(f"{con.name} is not affine in {param.name}")
        return cols, v0 - slope * p0, slope, k0 - (k1 - k0) * p0, k1 - k0

    def update_model(self, built: BuiltModel) -> int:
        """Make the live HiGHS model that of ``built`` (a rebuild of the loaded one with other data).

        When rows and columns are the same (by name), only changed costs, column bounds, row
        bounds and matrix coefficients are pushed and the basis is kept: returns the number of
        changed entries (0: nothing changed). When the structure changed, the model is loaded
        afresh (cold): returns -1.
        """
        if self._highs is None or self._trivially_infeasible is not None:
            self._highs = None
            self.load(built)
            return -1
        try:
            sf = compile_standard_form(built)
        except InfeasibleConstraintException as exc:
            self._trivially_infeasible = str(exc)
            return -1
        old = self._sf
        assert old is not None
        if sf.col_names != old.col_names or sf.row_names != old.row_names or sf.is_mip != old.is_mip:
            log.info("%s: structure changed; loading afresh", built.model.name)
            self._highs = None
            self.load(built)
            return -1
        h = self._highs
        cur = h.getLp()  # what HiGHS holds now (includes rows pushed by update_rows)
        n_changes = 0
        c_new = np.asarray(sf.lp.col_cost_)
        idx = np.flatnonzero(c_new != np.asarray(cur.col_cost_))
        n_changes += idx.size
        if idx.size:
            h.changeColsCost(idx.size, idx.astype(np.int32), c_new[idx])
        lo_n, hi_n = np.asarray(sf.lp.col_lower_), np.asarray(sf.lp.col_upper_)
        idx = np.flatnonzero((lo_n != np.asarray(cur.col_lower_)) | (hi_n != np.asarray(cur.col_upper_)))
        n_changes += idx.size
        if idx.size:
            h.changeColsBounds(idx.size, idx.astype(np.int32), lo_n[idx], hi_n[idx])
        lo_n, hi_n = np.asarray(sf.lp.row_lower_), np.asarray(sf.lp.row_upper_)
        idx = np.flatnonzero((lo_n != np.asarray(cur.row_lower_)) | (hi_n != np.asarray(cur.row_upper_)))
        n_changes += idx.size
        if idx.size:
            h.changeRowsBounds(idx.size, idx.astype(np.int32), lo_n[idx], hi_n[idx])  # type: ignore[attr-defined]
        diff = (sf.a - _matrix(cur, sf.a.shape)).tocoo()
        changed = np.flatnonzero(diff.data != 0)
        if changed.size:
            rows, cols = diff.row[changed], diff.col[changed]
            vals = np.asarray(sf.a.tocsr()[rows, cols]).ravel()  # the new value (0 where an entry vanished)
            for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist()):
                h.changeCoeff(r, c, v)
        n_changes += changed.size
        if sf.lp.offset_ != cur.offset_:
            h.changeObjectiveOffset(sf.lp.offset_)
            n_changes += 1
        log.debug("%s: pushed %d changes into the live model", built.model.name, n_changes)
        x, duals = self._x, self._row_dual
        self._adopt(sf)
        self._x, self._row_dual = x, duals
        return int(n_changes)

    def solve(self, built: BuiltModel) -> SolveOutcome:
        """Run HiGHS; load primal values into the model when optimal."""
        m = built.model
        if self._trivially_infeasible is not None:
            log.info("%s: infeasible before solving (%s)", m.name, self._trivially_infeasible)
            return SolveOutcome(False, True, "provenInfeasible", None, 0.0, 0.0, 0, self.options)
        h = self._highs
        if h is None:
            self.load(built)
            return self.solve(built)
        if self._solves == 1 and self.config.resolve_options:  # a re-solve of the live model
            for k, v in self.config.resolve_options.items():
                h.setOptionValue(k, v)
            log.info("%s: re-solves with %s", m.name, self.config.resolve_options)
        self._solves += 1
        t0 = time.perf_counter()
        before = h.getRunTime()
        h.run()
        highs_s = h.getRunTime() - before
        status = h.getModelStatus()
        optimal = status in _HIGHS_OPTIMAL
        info = h.getInfo()
        obj = None
        self._row_dual = None
        if optimal:
            sol = h.getSolution()
            values = np.asarray(sol.col_value)
            self._x = values
            if not self.is_mip:
                self._row_dual = np.asarray(sol.row_dual)
            if self.load_values:
                for v, x in zip(self._columns, values.tolist()):
                    v.set_value(x, skip_validation=True)
            obj = float(info.objective_function_value) / OBJ_SCALE
        iters = int(info.simplex_iteration_count or 0) + int(info.ipm_iteration_count or 0)
        wall = time.perf_counter() - t0
        name = h.modelStatusToString(status)
        log.info("%s: %s, objective %s CNY, %.2f s (HiGHS %.2f s, %d iterations)", m.name, name,
                 f"{obj:,.0f}" if obj is not None else "-", wall, highs_s, iters)
        return SolveOutcome(optimal, status in _HIGHS_INFEASIBLE, name, obj, wall, highs_s, iters, self.options,
                            limit=status in _HIGHS_LIMITS)

    def duals(self, constraints: list[Any]) -> dict[Any, float]:
        """Row duals of the given constraints (objective units per unit of the constraint); none for a MILP."""
        if self._highs is None or self.is_mip:
            return {}
        return self.snapshot().duals(constraints)

    def snapshot(self) -> Solution:
        """The last solution, detached from the live model (safe to read while the model changes)."""
        if self._highs is None:
            raise RuntimeError("snapshot before load")
        x, duals = self._x, self._row_dual
        if x is None or (duals is None and not self.is_mip):
            sol = self._highs.getSolution()
            x, duals = np.asarray(sol.col_value), np.asarray(sol.row_dual)
        # the arrays are new at every solve and never written to: no copy needed
        return Solution(x, duals if duals is not None else np.zeros(0), self._col_of, self._row_of, self.is_mip)


@dataclass(frozen=True)
class Solution:
    """Column values and row duals of one solve, with the maps from Pyomo objects to positions."""

    x: np.ndarray
    row_dual: np.ndarray
    col_of: dict[int, int]
    row_of: dict[Any, int]
    is_mip: bool = False

    def duals(self, constraints: list[Any]) -> dict[Any, float]:
        if self.is_mip:
            return {}
        out = {}
        for c in constraints:
            i = self.row_of.get(c)
            if i is not None:
                out[c] = float(self.row_dual[i])
        return out


def _matrix(lp: highspy.HighsLp, shape: tuple[int, int]) -> Any:
    """The constraint matrix of a ``HighsLp`` as a scipy sparse matrix."""
    from scipy.sparse import csc_array, csr_array

    m = lp.a_matrix_
    parts = (np.asarray(m.value_), np.asarray(m.index_), np.asarray(m.start_))
    if m.format_ == highspy.MatrixFormat.kRowwise:
        return csr_array(parts, shape=shape)
    return csc_array(parts, shape=shape)
