"""Tidy result tables from a solved model, and atomic writing of a run folder.

Tables (columns fixed; see docs/results.md):

- capacity: jurisdiction, year, technology, unit_id, existing_mw, new_mw, retired_mw, capacity_mw,
  energy_mwh, retrofitted_mw, repowered_mw
- generation: jurisdiction, year, technology, unit_id, generation_mwh, curtailed_mwh — an electricity
  balance per (j, y): supplies positive, uses (demand, charging, exports) negative, summing to zero
- energy_balance: jurisdiction, year, term, energy_tce — every ledger term as ``category:term``, each
  category total, total_energy_consumption and nonfossil
- targets: jurisdiction, year, target, required, achieved, unit, slack, binding, dual, dual_unit
- costs: jurisdiction, year, component, cost_cny (annual, undiscounted) and discounted totals
- emissions: jurisdiction, year, source, co2_t
- dispatch: jurisdiction, year, step, weight_h, hour_of_year, series, value, balance_sign

Duals are reported as the marginal cost of tightening a target by one planner's unit, in CNY per
year of the milestone year (the discounted objective dual divided by DF_y · n_y).
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import yaml

from peakplan.build import BuiltModel
from peakplan.build.objective import OBJ_SCALE
from peakplan.build.policies import SENSE, TargetRow
from peakplan.build.renewables import existing_mw as vre_existing_mw
from peakplan.build.units import selected_units
from peakplan.io.schema import TARGETS

log = logging.getLogger(__name__)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: same output, faster

TABLE_COLUMNS: dict[str, list[str]] = {
    "capacity": ["jurisdiction", "year", "technology", "unit_id", "existing_mw", "new_mw", "retired_mw",
                 "capacity_mw", "energy_mwh", "retrofitted_mw", "repowered_mw"],
    "generation": ["jurisdiction", "year", "technology", "unit_id", "generation_mwh", "curtailed_mwh"],
    "energy_balance": ["jurisdiction", "year", "term", "energy_tce"],
    "targets": ["jurisdiction", "year", "target", "required", "achieved", "unit", "slack", "binding", "dual",
                "dual_unit", "firmness", "basis", "technology"],
    "costs": ["jurisdiction", "year", "component", "cost_cny"],
    "emissions": ["jurisdiction", "year", "source", "co2_t"],
    "dispatch": ["jurisdiction", "year", "step", "weight_h", "hour_of_year", "series", "value", "balance_sign"],
}

DUAL_UNIT = {
    "nonfossil_share": "CNY/pp", "energy_intensity": "CNY/tce", "co2_intensity": "CNY/tCO2",
    "new_energy_capacity": "CNY/MW", "new_energy_additions": "CNY/MW", "curtailment": "CNY/pp",
    "gas_share": "CNY/pp", "gas_min": "CNY/tce", "coal_cap": "CNY/tce", "storage_pairing": "CNY per MWh/MW",
    "committed_capacity": "CNY/MW", "committed_energy": "CNY/MWh",
}
TARGET_UNIT = dict(TARGETS, committed_capacity="mw", committed_energy="mwh")


def _v(x: Any) -> float:
    v = pyo.value(x, exception=False)
    return float(v) if v is not None else 0.0


LinearForm = tuple[np.ndarray, np.ndarray, float]  # column indices, coefficients, constant


class Evaluator:
    """Values of a block's expressions at the solution, each compiled once to a linear form.

    A named expression (or a keyed one, see :meth:`cached`) is compiled on first use to column
    indices, coefficients and a constant, and kept in ``built.linear_forms``; evaluating it is
    then one dot product with the solver's column values. Walking the expression trees again
    at every point was 60 % of a warm sweep point. Forms that contain a target level are not
    kept (target levels are the parameters a sweep changes in place); other mutable parameters
    are only changed by a rebuild, which comes with a new cache. Without column values it
    falls back to ``pyomo.value``.
    """

    def __init__(self, built: BuiltModel, x: np.ndarray | None = None, col_of: dict[int, int] | None = None):
        self.built = built
        self.x = x
        self.col_of = col_of or {}
        self.forms: dict[Any, Any] = built.linear_forms

    def __call__(self, e: Any) -> float:
        if self.x is None or isinstance(e, (int, float)):
            return _v(e)
        if e.is_variable_type():
            i = self.col_of.get(id(e))
            return float(self.x[i]) if i is not None else _v(e)
        if e.is_named_expression_type():
            return self.cached(id(e), lambda: e)
        return _v(e)

    def cached(self, key: Any, make: Callable[[], Any]) -> float:
        """The value of the expression ``make()`` (built only the first time ``key`` is seen)."""
        if self.x is None:
            return _v(make())
        form = self.forms.get(key)
        if form is None:
            form, keep = self._compile(make())
            if keep:
                self.forms[key] = form
        if isinstance(form, float):
            return form
        idx, coef, const = form
        return const + float(coef @ self.x[idx]) if idx.size else const

    def cached_vector(self, key: Any, make: Callable[[], list[Any]]) -> np.ndarray:
        """Values of the expressions ``make()`` as an array (compiled once into one sparse matrix)."""
        if self.x is None:
            return np.array([_v(e) for e in make()], dtype=float)
        got = self.forms.get(key)
        if got is None:
            from scipy.sparse import csr_array

            forms = [self._compile(e) for e in make()]
            keep = all(k for _, k in forms)
            rows, cols, vals, const = [], [], [], np.zeros(len(forms))
            for r, (form, _) in enumerate(forms):
                if isinstance(form, float):
                    const[r] = form
                    continue
                idx, coef, c = form
                rows += [r] * len(idx)
                cols += idx.tolist()
                vals += coef.tolist()
                const[r] = c
            mat = csr_array((vals, (rows, cols)), shape=(len(forms), len(self.x)))
            got = (mat, const)
            if keep:
                self.forms[key] = got
        mat, const = got
        return mat @ self.x + const

    def var_values(self, var: pyo.Var) -> tuple[list[Any], np.ndarray]:
        """Index and values of every element of ``var`` (0 where unset), in the var's order."""
        if self.x is None:  # values from the Pyomo variables, read now
            keys = list(var.keys())
            return keys, np.fromiter((var[k].value or 0.0 for k in keys), dtype=float, count=len(keys))
        key = ("var", var.name)
        got = self.forms.get(key)
        if got is None:
            keys = list(var.keys())
            idx = np.fromiter((self.col_of.get(id(var[k]), -1) for k in keys), dtype=np.int64, count=len(keys))
            fixed = np.fromiter((var[k].value or 0.0 for k in keys), dtype=float, count=len(keys))
            got = (keys, idx, fixed)
            self.forms[key] = got
        keys, idx, fixed = got
        return keys, np.where(idx >= 0, self.x[np.maximum(idx, 0)], fixed)

    def step_sums(self, var: pyo.Var, n: int, w: np.ndarray) -> dict[tuple, float]:
        """Weighted sums over the step (index position ``n``) of ``var``, keyed by the first ``n`` indices."""
        key = ("step_sums", var.name, n)
        got = self.forms.get(key)
        keys, vals = self.var_values(var)
        if got is None:
            groups: dict[tuple, int] = {}
            gid = np.fromiter((groups.setdefault(k[:n], len(groups)) for k in keys), dtype=np.int64, count=len(keys))
            wt = np.fromiter((w[k[n]] for k in keys), dtype=float, count=len(keys))
            got = (list(groups), gid, wt)
            self.forms[key] = got
        names, gid, wt = got
        sums = np.bincount(gid, weights=wt * vals, minlength=len(names)) if len(names) else np.zeros(0)
        return dict(zip(names, sums.tolist()))

    def _compile(self, e: Any) -> tuple[LinearForm | float, bool]:
        from pyomo.core.expr.visitor import identify_mutable_parameters
        from pyomo.repn import generate_standard_repn

        if isinstance(e, (int, float)):
            return float(e), True
        volatile = self.built.model.find_component("p_target_level")
        keep = not any(p.parent_component() is volatile for p in identify_mutable_parameters(e))
        repn = generate_standard_repn(e, compute_values=True, quadratic=False)
        if repn.nonlinear_expr is not None:
            return _v(e), False
        const = float(pyo.value(repn.constant))
        idx, coef = [], []
        for v, c in zip(repn.linear_vars, repn.linear_coefs):
            i = self.col_of.get(id(v))
            if i is None:  # not in the LP: its value never changes
                const += float(c) * (v.value or 0.0)
            else:
                idx.append(i)
                coef.append(float(c))
        return (np.asarray(idx, dtype=np.int64), np.asarray(coef), const), keep


def extract(built: BuiltModel, duals: dict[Any, float] | None = None,
            ev: Evaluator | None = None) -> dict[str, pd.DataFrame]:
    """All result tables of a solved block (``ev``: an evaluator over the solver's column values)."""
    m, ctx = built.model, built.ctx
    ev = ev or Evaluator(built)
    w = np.asarray(ctx.time.weight, dtype=float)
    units = built.linear_forms.get("selected_units")
    if units is None:  # fixed for the life of the model
        units = built.linear_forms["selected_units"] = selected_units(ctx)
    tables = {
        "capacity": _capacity(built, units, ev),
        "generation": _generation(built, w, units, ev),
        "energy_balance": _energy_balance(built, ev),
        "targets": _targets(built, duals or {}, ev),
        "costs": _costs(built, ev),
        "emissions": _emissions(m, ev),
        "dispatch": _dispatch(built, units, ev),
    }
    return {k: v.reindex(columns=TABLE_COLUMNS[k]) for k, v in tables.items()}


def _capacity(built: BuiltModel, units: pd.DataFrame, ev: Evaluator) -> pd.DataFrame:
    m, ctx = built.model, built.ctx
    rows = []
    for j, g in m.VRE:
        for y in m.YEARS:
            cap = ev(m.e_vre_capacity_mw[j, g, y])
            ex = ev.cached(("existing_mw", j, g, y), lambda: float(vre_existing_mw(ctx, j, g, y)))
            rows.append(dict(jurisdiction=j, year=y, technology=g, unit_id="", existing_mw=ex, new_mw=cap - ex,
                             retired_mw=0.0, capacity_mw=cap))
    for j, s in m.STORAGE:
        for y in m.YEARS:
            p, e = ev(m.e_storage_power_mw[j, s, y]), ev(m.e_storage_energy_mwh[j, s, y])
            new_p = sum(ev(m.v_storage_new_mw[j, s, yb]) for yb in m.YEARS if yb <= y) if (j, s) in m.STORAGE_BUILD else 0.0
            rows.append(dict(jurisdiction=j, year=y, technology=s, unit_id="", existing_mw=p - new_p, new_mw=new_p,
                             retired_mw=0.0, capacity_mw=p, energy_mwh=e))
    for j, g in m.NEW_THERMAL:
        for y in m.YEARS:
            cap = ev(m.e_thermal_capacity_mw[j, g, y])
            rows.append(dict(jurisdiction=j, year=y, technology=g, unit_id="", existing_mw=0.0, new_mw=cap,
                             retired_mw=0.0, capacity_mw=cap))
    for u in m.UNITS:
        cap = float(units.loc[u, "capacity_mw"])
        for y in m.YEARS:
            on = ev(m.p_unit_online[u, y])
            # fractions in [0, 1]; clamp solver noise of the order of the tolerances
            ret = min(1.0, max(0.0, ev(m.v_unit_retired[u, y])))
            rf = max(0.0, ev(m.v_unit_retrofit[u, y])) if u in m.UNITS_RETROFIT else 0.0
            rp = max(0.0, ev(m.v_unit_repower[u, y])) if u in m.UNITS_REPOWER else 0.0
            rows.append(dict(jurisdiction=units.loc[u, "jurisdiction"], year=y, technology=units.loc[u, "technology"],
                             unit_id=u, existing_mw=cap * on, new_mw=0.0, retired_mw=cap * on * ret,
                             capacity_mw=cap * on * (1 - ret), retrofitted_mw=cap * on * rf, repowered_mw=cap * on * rp))
    return pd.DataFrame(rows)


def _generation(built: BuiltModel, w: np.ndarray, units: pd.DataFrame, ev: Evaluator) -> pd.DataFrame:
    m = built.model
    rows = []
    vre = ev.step_sums(m.v_vre_gen_mw, 3, w)
    for j, g in m.VRE:
        for y in m.YEARS:
            cf_h = ev.cached(("cf_hours", j, g), lambda: float(sum(w[t] * _v(m.p_vre_cf[j, g, t]) for t in m.STEPS)))
            avail = cf_h * ev(m.e_vre_capacity_mw[j, g, y])
            gen = vre.get((j, g, y), 0.0)
            rows.append(dict(jurisdiction=j, year=y, technology=g, unit_id="", generation_mwh=gen,
                             curtailed_mwh=max(0.0, avail - gen)))
    old = ev.step_sums(m.v_unit_gen_mw, 2, w)
    rfit = ev.step_sums(m.v_unit_gen_retrofit_mw, 2, w)
    rep = ev.step_sums(m.v_unit_gen_repower_mw, 2, w)
    for u in m.UNITS:
        for y in m.YEARS:
            gen = old.get((u, y), 0.0) + rfit.get((u, y), 0.0) + rep.get((u, y), 0.0)
            rows.append(dict(jurisdiction=units.loc[u, "jurisdiction"], year=y, technology=units.loc[u, "technology"],
                             unit_id=u, generation_mwh=gen))
    th = ev.step_sums(m.v_thermal_gen_mw, 3, w)
    for j, g in m.NEW_THERMAL:
        for y in m.YEARS:
            rows.append(dict(jurisdiction=j, year=y, technology=g, unit_id="", generation_mwh=th.get((j, g, y), 0.0)))
    dis = ev.step_sums(m.v_discharge_mw, 3, w)
    ch = ev.step_sums(m.v_charge_mw, 3, w)
    for j, s in m.STORAGE:
        for y in m.YEARS:
            rows.append(dict(jurisdiction=j, year=y, technology=f"{s}_discharge", unit_id="",
                             generation_mwh=dis.get((j, s, y), 0.0)))
            rows.append(dict(jurisdiction=j, year=y, technology=f"{s}_charge", unit_id="",
                             generation_mwh=-ch.get((j, s, y), 0.0)))
    imp = ev.step_sums(m.v_import_mw, 2, w)
    exf = ev.step_sums(m.v_export_fossil_mw, 2, w)
    exn = ev.step_sums(m.v_export_nonfossil_mw, 2, w)
    shed = ev.step_sums(m.v_shed_mw, 2, w)
    switch_f = built.terms.withdrawals.get("switched_electricity")
    for j in m.JURISDICTIONS:
        for y in m.YEARS:
            demand = ev.cached(("demand_mwh", j, y), lambda: _v(m.p_demand_mwh[j, y]) * float(
                np.dot(w, [_v(m.p_demand_pu[j, t]) for t in m.STEPS])) / 8760.0)
            sw = ev.cached(("switched_mwh", j, y), lambda: sum(
                w[t] * switch_f(j, y, t) for t in m.STEPS)) if switch_f else 0.0
            rows += [
                dict(jurisdiction=j, year=y, technology="grid_import", unit_id="", generation_mwh=imp.get((j, y), 0.0)),
                dict(jurisdiction=j, year=y, technology="grid_export", unit_id="",
                     generation_mwh=-(exf.get((j, y), 0.0) + exn.get((j, y), 0.0))),
                dict(jurisdiction=j, year=y, technology="unserved", unit_id="", generation_mwh=shed.get((j, y), 0.0)),
                dict(jurisdiction=j, year=y, technology="demand", unit_id="", generation_mwh=-demand),
                dict(jurisdiction=j, year=y, technology="demand_fuel_switch", unit_id="", generation_mwh=-sw),
            ]
    return pd.DataFrame(rows)


CATEGORY_TERMS = ("coal", "gas", "oil", "nonfossil_local", "net_import", "import_nonfossil", "other_nonfossil")


def _energy_balance(built: BuiltModel, ev: Evaluator) -> pd.DataFrame:
    m = built.model
    cat_of = {term: cat for cat, reg in built.terms.energy.items() for term in reg}
    rows = []
    for j in m.JURISDICTIONS:
        for y in m.YEARS:
            for term in m.ENERGY_TERMS:
                rows.append(dict(jurisdiction=j, year=y, term=f"{cat_of[term]}:{term}",
                                 energy_tce=ev(m.e_energy_term_tce[j, y, term])))
            for cat in CATEGORY_TERMS:
                rows.append(dict(jurisdiction=j, year=y, term=cat, energy_tce=ev(getattr(m, f"e_{cat}_tce")[j, y])))
            rows.append(dict(jurisdiction=j, year=y, term="total_energy_consumption",
                             energy_tce=ev(m.e_total_energy_tce[j, y])))
            rows.append(dict(jurisdiction=j, year=y, term="nonfossil", energy_tce=ev(m.e_nonfossil_tce[j, y])))
            rows.append(dict(jurisdiction=j, year=y, term="total_energy_assessed",
                             energy_tce=ev(m.e_total_energy_assessed_tce[j, y])))
    return pd.DataFrame(rows)


def achieved_and_scale(built: BuiltModel, r: TargetRow, ev: Evaluator | None = None) -> tuple[float, float]:
    """(achieved value in the target's unit, tightening amount per planner's unit in constraint units)."""
    m, ctx = built.model, built.ctx
    j, y = r.jurisdiction, r.year
    ev = ev or Evaluator(built)

    def q(name: str, jj: str, yy: int) -> float:
        return ev.cached(("quantity", name, jj, yy), lambda: built.terms.quantity(name, jj, yy))

    tec = ev(m.e_total_energy_tce[j, y])
    base = lambda p: ctx.data.jy(j, ctx.base_year, p)  # noqa: E731
    if r.target == "nonfossil_share":
        return ev(m.e_nonfossil_tce[j, y]) / tec, 0.01 * tec
    if r.target == "gas_share":
        return ev(m.e_gas_tce[j, y]) / tec, 0.01 * tec
    if r.target == "energy_intensity":
        assessed = ev(m.e_total_energy_assessed_tce[j, y])
        i_base = base("total_energy_tce") / base("gdp_cny")
        return 1 - assessed / ev(m.p_gdp_cny[j, y]) / i_base, 1.0
    if r.target == "co2_intensity":
        c_base = base("co2_tco2") / base("gdp_cny")
        return 1 - ev(m.e_co2_tco2[j, y]) / ev(m.p_gdp_cny[j, y]) / c_base, 1.0
    if r.target == "new_energy_capacity":
        return q("vre_capacity_mw", j, y), 1.0
    if r.target == "new_energy_additions":
        return q("vre_capacity_mw", j, y) - q("vre_base_capacity_mw", j, y), 1.0
    if r.target == "curtailment":
        avail = q("vre_available_mwh", j, y)
        return (q("vre_curtailed_mwh", j, y) / avail if avail > 0 else 0.0), 0.01 * avail
    if r.target == "gas_min":
        return ev(m.e_gas_tce[j, y]), 1.0
    if r.target == "coal_cap":
        return ev(m.e_coal_tce[j, y]), 1.0
    if r.target == "storage_pairing":
        vre_new = q("vre_new_cumulative_mw", j, y)
        st = q("storage_new_energy_cumulative_mwh", j, y)
        return (st / vre_new if vre_new > 1e-9 else math.inf), vre_new
    if r.target == "committed_capacity":
        return q(f"new_cumulative_mw:{r.technology}", j, y), 1.0
    if r.target == "committed_energy":
        return q(f"new_cumulative_mwh:{r.technology}", j, y), 1.0
    raise KeyError(r.target)


def _targets(built: BuiltModel, duals: dict[Any, float], ev: Evaluator) -> pd.DataFrame:
    m, ctx = built.model, built.ctx
    rows = []
    for r in built.targets:
        achieved, per_unit = achieved_and_scale(built, r, ev)
        sense = SENSE[r.target]
        short = (r.level - achieved) if sense == "ge" else (achieved - r.level)
        if r.target in ("energy_intensity", "co2_intensity"):
            short = r.level - achieved  # a reduction target: achieved below required is a shortfall
        short = max(0.0, short) if not math.isinf(short) else 0.0
        con = getattr(m, f"c_{r.target}")[r.key]
        d = duals.get(con)
        dual = None
        if d is not None:
            # marginal cost of tightening by one constraint unit (CNY, discounted) -> per planner's unit, per year
            lam = abs(d) / OBJ_SCALE / (ctx.df[r.year] * ctx.n_years[r.year])
            if r.target in ("energy_intensity", "co2_intensity", "gas_min", "coal_cap", "committed_capacity",
                            "committed_energy", "new_energy_capacity", "new_energy_additions"):
                dual = lam
            else:
                dual = lam * per_unit
        tol = 1e-6 * max(1.0, abs(r.level))
        binding = bool((d is not None and abs(d) > 1e-9) or abs(achieved - r.level) <= tol)
        rows.append(dict(jurisdiction=r.jurisdiction, year=r.year, target=r.target, required=r.level,
                         achieved=achieved, unit=TARGET_UNIT[r.target], slack=short if short > tol else 0.0,
                         binding=binding, dual=dual, dual_unit=DUAL_UNIT[r.target], firmness=r.firmness,
                         basis=r.basis, technology=r.technology))
    return pd.DataFrame(rows, columns=TABLE_COLUMNS["targets"])


def _costs(built: BuiltModel, ev: Evaluator) -> pd.DataFrame:
    m, ctx = built.model, built.ctx
    rows = []
    for j in m.JURISDICTIONS:
        for y in m.YEARS:
            total = 0.0
            for c in m.COST_COMPONENTS:
                v = ev(m.e_cost_cny[j, y, c])
                total += v
                rows.append(dict(jurisdiction=j, year=y, component=c, cost_cny=v))
            rows.append(dict(jurisdiction=j, year=y, component="total_annual", cost_cny=total))
            rows.append(dict(jurisdiction=j, year=y, component="discounted_total",
                             cost_cny=total * ctx.df[y] * ctx.n_years[y]))
    return pd.DataFrame(rows)


def _emissions(m: pyo.ConcreteModel, ev: Evaluator) -> pd.DataFrame:
    rows = []
    for j in m.JURISDICTIONS:
        for y in m.YEARS:
            for s in m.EMISSION_SOURCES:
                rows.append(dict(jurisdiction=j, year=y, source=s, co2_t=ev(m.e_co2_source_tco2[j, y, s])))
            rows.append(dict(jurisdiction=j, year=y, source="total", co2_t=ev(m.e_co2_tco2[j, y])))
    return pd.DataFrame(rows)


def _dispatch(built: BuiltModel, units: pd.DataFrame, ev: Evaluator) -> pd.DataFrame:
    """Per-step values in long form; balance_sign +1 supplies, −1 uses, 0 not in the balance.

    The index columns of each piece are built once per model (kept by the evaluator); a sweep
    point only fills in the values.
    """
    m, ctx = built.model, built.ctx
    unit_j = {u: str(units.loc[u, "jurisdiction"]) for u in m.UNITS}
    pieces: list[tuple[Any, Callable[[], pd.DataFrame], np.ndarray]] = []

    def add(var: pyo.Var, key: Any, name: Any, sign: int) -> None:
        idx, vals = ev.var_values(var)
        if idx:
            pieces.append((("dispatch", var.name), lambda: pd.DataFrame({
                "jurisdiction": [key(k) for k in idx], "year": [k[-2] for k in idx], "step": [k[-1] for k in idx],
                "series": [name(k) for k in idx], "balance_sign": sign}), vals))

    add(m.v_vre_gen_mw, lambda k: k[0], lambda k: f"gen:{k[1]}", 1)
    add(m.v_unit_gen_mw, lambda k: unit_j[k[0]], lambda k: f"unit:{k[0]}", 1)
    add(m.v_unit_gen_retrofit_mw, lambda k: unit_j[k[0]], lambda k: f"unit_retrofit:{k[0]}", 1)
    add(m.v_unit_gen_repower_mw, lambda k: unit_j[k[0]], lambda k: f"unit_repower:{k[0]}", 1)
    add(m.v_thermal_gen_mw, lambda k: k[0], lambda k: f"gen:{k[1]}", 1)
    add(m.v_discharge_mw, lambda k: k[0], lambda k: f"discharge:{k[1]}", 1)
    add(m.v_charge_mw, lambda k: k[0], lambda k: f"charge:{k[1]}", -1)
    add(m.v_soc_mwh, lambda k: k[0], lambda k: f"soc_mwh:{k[1]}", 0)
    add(m.v_import_mw, lambda k: k[0], lambda k: "import", 1)
    add(m.v_export_fossil_mw, lambda k: k[0], lambda k: "export_fossil", -1)
    add(m.v_export_nonfossil_mw, lambda k: k[0], lambda k: "export_nonfossil", -1)
    add(m.v_shed_mw, lambda k: k[0], lambda k: "unserved", 1)
    switch_f = built.terms.withdrawals.get("switched_electricity")
    n_steps = len(m.STEPS)

    def series(j: str, y: int, name: str) -> Callable[[], pd.DataFrame]:
        return lambda: pd.DataFrame({"jurisdiction": j, "year": y, "step": np.arange(n_steps), "series": name,
                                     "balance_sign": -1})

    for j in m.JURISDICTIONS:
        for y in m.YEARS:
            d = ev.forms.get(("demand_mw", j, y))
            if d is None:  # parameters only: fixed for the life of the model
                pu = np.array([_v(m.p_demand_pu[j, t]) for t in m.STEPS])
                d = ev.forms[("demand_mw", j, y)] = _v(m.p_demand_mwh[j, y]) / 8760.0 * pu
            pieces.append((("dispatch_demand", j, y), series(j, y, "demand"), d))
            if switch_f is not None:
                sw = ev.cached_vector(("switched_mw", j, y), lambda: [switch_f(j, y, t) for t in m.STEPS])
                if sw.any():
                    pieces.append((("dispatch_switch", j, y), series(j, y, "demand_fuel_switch"), sw))
    layout = tuple(k for k, _, _ in pieces)
    skeleton = ev.forms.get(("dispatch_layout", layout))
    if skeleton is None:
        skeleton = pd.concat([make() for _, make, _ in pieces], ignore_index=True)
        skeleton["weight_h"] = ctx.time.weight[skeleton.step.to_numpy()]
        skeleton["hour_of_year"] = ctx.time.hour_of_year[skeleton.step.to_numpy()]
        ev.forms[("dispatch_layout", layout)] = skeleton
    out = skeleton.copy()
    out["value"] = np.concatenate([v for _, _, v in pieces])
    return out[["jurisdiction", "year", "step", "weight_h", "hour_of_year", "series", "value", "balance_sign"]]


# -- writing -----------------------------------------------------------------------------------
def write_run(out_dir: Path, tables: dict[str, pd.DataFrame], manifest: dict[str, Any],
              extra_files: dict[str, str] | None = None,
              before_manifest: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """Write a run folder atomically: everything goes to a temporary sibling, then one rename.

    The manifest is written last, once: its ``timings_s.write`` (if present) is stamped with the
    time taken by the tables, and ``before_manifest`` may add final entries just before it is dumped.
    """
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for name, df in tables.items():
            if name == "dispatch":
                df.to_parquet(tmp / "dispatch.parquet", index=False)
            else:
                df.to_csv(tmp / f"{name}.csv", index=False, float_format="%.10g", lineterminator="\n")
        for name, text in (extra_files or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        if isinstance(manifest.get("timings_s"), dict):
            manifest["timings_s"]["write"] = round(time.perf_counter() - t0, 4)
        if before_manifest is not None:
            before_manifest(manifest)
        (tmp / "manifest.yaml").write_text(yaml.dump(_plain(manifest), Dumper=_DUMPER, sort_keys=False,
                                                     allow_unicode=True),
                                           encoding="utf-8")
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("wrote %s", out_dir)
    return out_dir


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, Path):
        return str(x)
    return x


__all__ = ["TABLE_COLUMNS", "extract", "write_run"]
