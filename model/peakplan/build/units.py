"""Existing named units: coal, coal-CHP, gas, biomass, waste-to-energy and hydro.

Each unit u dispatches in up to three modes, each bounded by its share of the unit
(formulation §3):

- ``v_unit_gen_mw[u,y,t]`` (as built, heat rate hr_u) ≤ a_u · cap_u · avail_t · (1 − ret − rfit − rep)
- ``v_unit_gen_retrofit_mw[u,y,t]`` (heat rate hr_u^rfit) ≤ a_u · cap_u · rfit
- ``v_unit_gen_repower_mw[u,y,t]`` (gas heat rate) ≤ a_u · cap_u · rep

with cumulative fractions ``v_unit_retired`` (ret), ``v_unit_retrofit`` (rfit),
``v_unit_repower`` (rep) ∈ [0, 1], non-decreasing in y, and ret + rfit + rep ≤ 1.
avail_t is the hydro capacity factor for hydro units, 1 otherwise. CHP units keep a
heating-season floor: total output ≥ min_output_share · a_u · cap_u · (1 − ret) in heating months.
A unit co-firing biomass burns share φ_u of its fuel as biomass (non-fossil primary energy,
counted as fuel); biomass, waste and hydro units count as non-fossil electricity (× f_pe).

Unit rules (formulation §5, with ``policy.unit_rules``): ``c_unit_rule[k]`` forces
ret = 1 (retire_by) or ret + rfit ≥ 1 (retire_or_retrofit_by; heat_rate_threshold for units above
the threshold, where retrofitting counts only if the retrofitted rate is below it) from the
rule's year on.

MILP option (``policy.integer_retirement``): ``v_unit_retired_count[u,y]`` ∈ {0, …, n_u} with
``c_unit_retired_whole``: ret · n_u = count, so units retire whole.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms

FOSSIL_TECHS = ("coal", "coal_chp", "gas")
NONFOSSIL_ELECTRIC = ("biomass", "waste", "hydro")


def selected_units(ctx: BuildContext) -> pd.DataFrame:
    """Units of the block's jurisdictions; units recorded as retired are dropped when the scenario honours records."""
    u = ctx.data.table("units")
    u = u[u.jurisdiction.isin(ctx.jurisdictions)]
    if ctx.scenario.policy.honour_recorded_retirements:
        u = u[u.status != "retired"]
    return u.set_index("unit_id", drop=False).sort_index()


def rule_rows(ctx: BuildContext, units: pd.DataFrame) -> list[tuple[str, str, int, bool]]:
    """(rule id, unit id, from year, retrofit counts) for every unit rule that applies to a modelled unit."""
    if not ctx.scenario.policy.unit_rules:
        return []
    rules = ctx.data.table("unit_rules")
    out: list[tuple[str, str, int, bool]] = []
    for i, r in rules.iterrows():
        if r.jurisdiction not in ctx.jurisdictions:
            continue
        targets = [r.unit_id] if r.unit_id else list(units[(units.jurisdiction == r.jurisdiction)
                                                         & units.technology.isin(("coal", "coal_chp"))].unit_id)
        for uid in targets:
            if uid not in units.index:
                continue  # a recorded-retired unit left out of the model
            u = units.loc[uid]
            if r.rule == "retire_by":
                out.append((f"{i}:{uid}", uid, int(r.year), False))
            elif r.rule == "retire_or_retrofit_by":
                out.append((f"{i}:{uid}", uid, int(r.year), not pd.isna(u.retrofit_heat_rate_tce_per_mwh)))
            elif r.rule == "heat_rate_threshold":
                thr = float(r.threshold_tce_per_mwh)
                if pd.isna(u.heat_rate_tce_per_mwh) or float(u.heat_rate_tce_per_mwh) < thr:
                    continue
                rf = u.retrofit_heat_rate_tce_per_mwh
                out.append((f"{i}:{uid}", uid, int(r.year), not pd.isna(rf) and float(rf) < thr))
    return out


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add the named units and register their balance, energy, emission and cost terms."""
    units = selected_units(ctx)
    ids = list(units.index)
    m.UNITS = pyo.Set(initialize=ids, ordered=True, doc="existing named units u")
    rfit_ids = [u for u in ids if not pd.isna(units.loc[u, "retrofit_heat_rate_tce_per_mwh"])]
    rep_ids = [u for u in ids if not pd.isna(units.loc[u, "repower_heat_rate_tce_per_mwh"])]
    chp_ids = [u for u in ids if not pd.isna(units.loc[u, "min_output_share"])]
    m.UNITS_RETROFIT = pyo.Set(initialize=rfit_ids, within=m.UNITS, ordered=True, doc="units that can be retrofitted")
    m.UNITS_REPOWER = pyo.Set(initialize=rep_ids, within=m.UNITS, ordered=True, doc="units that can be repowered")
    m.UNITS_MUSTRUN = pyo.Set(initialize=chp_ids, within=m.UNITS, ordered=True, doc="CHP units with a heating floor")

    cap = {u: float(units.loc[u, "capacity_mw"]) * float(units.loc[u, "availability"]) for u in ids}
    m.p_unit_max_mw = pyo.Param(m.UNITS, initialize=cap, doc="a_u · cap_u (MW)")
    hydro_cf = {}
    for u in ids:
        j = units.loc[u, "jurisdiction"]
        prof = ctx.profile(j, "hydro_cf") if units.loc[u, "technology"] == "hydro" else None
        for t in ctx.steps:
            hydro_cf[u, t] = float(prof[t]) if prof is not None else 1.0
    m.p_unit_avail = pyo.Param(m.UNITS, m.STEPS, initialize=hydro_cf, doc="availability per step (hydro cf, else 1)")
    online = {(u, y): 1.0 if int(units.loc[u, "commissioning_year"]) <= y else 0.0 for u in ids for y in ctx.years}
    m.p_unit_online = pyo.Param(m.UNITS, m.YEARS, initialize=online, doc="1 if commissioned by y")

    m.v_unit_retired = pyo.Var(m.UNITS, m.YEARS, bounds=(0, 1), doc="cumulative retired fraction ret[u,y]")
    m.v_unit_retrofit = pyo.Var(m.UNITS_RETROFIT, m.YEARS, bounds=(0, 1), doc="cumulative retrofitted fraction")
    m.v_unit_repower = pyo.Var(m.UNITS_REPOWER, m.YEARS, bounds=(0, 1), doc="cumulative repowered fraction")
    m.v_unit_gen_mw = pyo.Var(m.UNITS, m.YEARS, m.STEPS, within=pyo.NonNegativeReals, doc="output as built (MW)")
    m.v_unit_gen_retrofit_mw = pyo.Var(m.UNITS_RETROFIT, m.YEARS, m.STEPS, within=pyo.NonNegativeReals,
                                       doc="output of the retrofitted share (MW)")
    m.v_unit_gen_repower_mw = pyo.Var(m.UNITS_REPOWER, m.YEARS, m.STEPS, within=pyo.NonNegativeReals,
                                      doc="output of the share repowered to gas (MW)")

    def rfit(u: str, y: int) -> pyo.Expression:
        return m.v_unit_retrofit[u, y] if u in m.UNITS_RETROFIT else 0.0

    def rep(u: str, y: int) -> pyo.Expression:
        return m.v_unit_repower[u, y] if u in m.UNITS_REPOWER else 0.0

    def _c_unit_state(mm: pyo.ConcreteModel, u: str, y: int) -> pyo.Expression:
        r"""Shares of a unit: :math:`ret + rfit + rep \le 1`."""
        return mm.v_unit_retired[u, y] + rfit(u, y) + rep(u, y) <= 1.0

    def _prev(y: int) -> int | None:
        i = ctx.years.index(y)
        return ctx.years[i - 1] if i > 0 else None

    def _c_unit_retired_monotone(mm: pyo.ConcreteModel, u: str, y: int) -> pyo.Expression:
        r"""Retirement is irreversible: :math:`ret_{u,y} \ge ret_{u,y-1}`."""
        p = _prev(y)
        return pyo.Constraint.Skip if p is None else mm.v_unit_retired[u, y] >= mm.v_unit_retired[u, p]

    def _c_unit_retrofit_monotone(mm: pyo.ConcreteModel, u: str, y: int) -> pyo.Expression:
        r"""Retrofits stay: :math:`rfit_{u,y} \ge rfit_{u,y-1}`."""
        p = _prev(y)
        return pyo.Constraint.Skip if p is None else mm.v_unit_retrofit[u, y] >= mm.v_unit_retrofit[u, p]

    def _c_unit_repower_monotone(mm: pyo.ConcreteModel, u: str, y: int) -> pyo.Expression:
        r"""Repowering stays: :math:`rep_{u,y} \ge rep_{u,y-1}`."""
        p = _prev(y)
        return pyo.Constraint.Skip if p is None else mm.v_unit_repower[u, y] >= mm.v_unit_repower[u, p]

    def _c_unit_gen_max(mm: pyo.ConcreteModel, u: str, y: int, t: int) -> pyo.Expression:
        r"""As-built output: :math:`p^{old}_{uyt} \le a_u K_u \alpha_{ut} (1 - ret - rfit - rep)`."""
        k = mm.p_unit_max_mw[u] * mm.p_unit_avail[u, t] * mm.p_unit_online[u, y]
        return mm.v_unit_gen_mw[u, y, t] <= k * (1.0 - mm.v_unit_retired[u, y] - rfit(u, y) - rep(u, y))

    def _c_unit_gen_retrofit_max(mm: pyo.ConcreteModel, u: str, y: int, t: int) -> pyo.Expression:
        r"""Retrofitted output: :math:`p^{rfit}_{uyt} \le a_u K_u\, rfit_{uy}`."""
        return mm.v_unit_gen_retrofit_mw[u, y, t] <= mm.p_unit_max_mw[u] * mm.p_unit_online[u, y] * mm.v_unit_retrofit[u, y]

    def _c_unit_gen_repower_max(mm: pyo.ConcreteModel, u: str, y: int, t: int) -> pyo.Expression:
        r"""Repowered (gas) output: :math:`p^{gas}_{uyt} \le a_u K_u\, rep_{uy}`."""
        return mm.v_unit_gen_repower_mw[u, y, t] <= mm.p_unit_max_mw[u] * mm.p_unit_online[u, y] * mm.v_unit_repower[u, y]

    def total_gen(u: str, y: int, t: int) -> pyo.Expression:
        e = m.v_unit_gen_mw[u, y, t]
        if u in m.UNITS_RETROFIT:
            e = e + m.v_unit_gen_retrofit_mw[u, y, t]
        if u in m.UNITS_REPOWER:
            e = e + m.v_unit_gen_repower_mw[u, y, t]
        return e

    heating: dict[str, set[int]] = {}
    for u in chp_ids:
        heating[u] = {int(x) for x in str(units.loc[u, "heating_months"]).split(";")}
    mustrun_idx = [(u, y, t) for u in chp_ids for y in ctx.years for t in ctx.steps
                   if int(ctx.time.month[t]) in heating[u]]
    m.UNIT_MUSTRUN_STEPS = pyo.Set(initialize=mustrun_idx, dimen=3, ordered=True,
                                   doc="(u, y, t) in a CHP unit's heating season")
    m.p_unit_min_output_share = pyo.Param(m.UNITS_MUSTRUN, initialize={u: float(units.loc[u, "min_output_share"])
                                                                       for u in chp_ids}, doc="CHP floor (-)")

    def _c_unit_must_run(mm: pyo.ConcreteModel, u: str, y: int, t: int) -> pyo.Expression:
        r"""CHP heating floor: :math:`p^{old}+p^{rfit}+p^{gas} \ge m_u a_u K_u (1 - ret_{uy})` in heating months."""
        return total_gen(u, y, t) >= (mm.p_unit_min_output_share[u] * mm.p_unit_max_mw[u] * mm.p_unit_online[u, y]
                                      * (1.0 - mm.v_unit_retired[u, y]))

    m.c_unit_state = pyo.Constraint(m.UNITS, m.YEARS, rule=_c_unit_state, doc="ret + rfit + rep ≤ 1")
    m.c_unit_retired_monotone = pyo.Constraint(m.UNITS, m.YEARS, rule=_c_unit_retired_monotone,
                                               doc="ret[y] ≥ ret[y-1]")
    m.c_unit_retrofit_monotone = pyo.Constraint(m.UNITS_RETROFIT, m.YEARS, rule=_c_unit_retrofit_monotone,
                                                doc="rfit[y] ≥ rfit[y-1]")
    m.c_unit_repower_monotone = pyo.Constraint(m.UNITS_REPOWER, m.YEARS, rule=_c_unit_repower_monotone,
                                               doc="rep[y] ≥ rep[y-1]")
    m.c_unit_gen_max = pyo.Constraint(m.UNITS, m.YEARS, m.STEPS, rule=_c_unit_gen_max,
                                      doc="p_old ≤ a K α (1 − ret − rfit − rep)")
    m.c_unit_gen_retrofit_max = pyo.Constraint(m.UNITS_RETROFIT, m.YEARS, m.STEPS, rule=_c_unit_gen_retrofit_max,
                                               doc="p_rfit ≤ a K rfit")
    m.c_unit_gen_repower_max = pyo.Constraint(m.UNITS_REPOWER, m.YEARS, m.STEPS, rule=_c_unit_gen_repower_max,
                                              doc="p_gas ≤ a K rep")
    m.c_unit_must_run = pyo.Constraint(m.UNIT_MUSTRUN_STEPS, rule=_c_unit_must_run,
                                       doc="CHP output ≥ floor · a K (1 − ret) in heating months")

    if ctx.scenario.policy.integer_retirement:
        n_units = {u: int(units.loc[u, "n_units"]) for u in ids}
        m.v_unit_retired_count = pyo.Var(m.UNITS, m.YEARS, within=pyo.NonNegativeIntegers,
                                         bounds=lambda mm, u, y: (0, n_units[u]), doc="whole units retired by y")

        def _c_unit_retired_whole(mm: pyo.ConcreteModel, u: str, y: int) -> pyo.Expression:
            r"""Whole-unit retirement: :math:`ret_{uy} \cdot n_u = N^{ret}_{uy}`, N integer."""
            return mm.v_unit_retired[u, y] * n_units[u] == mm.v_unit_retired_count[u, y]

        m.c_unit_retired_whole = pyo.Constraint(m.UNITS, m.YEARS, rule=_c_unit_retired_whole,
                                                doc="ret · n_units = whole units retired (MILP option)")

    rules = [r for r in rule_rows(ctx, units) if any(y >= r[2] for y in ctx.years)]
    rule_idx = [(rid, y) for rid, uid, y0, _ in rules for y in ctx.years if y >= y0]
    rule_info = {rid: (uid, rf) for rid, uid, _, rf in rules}
    m.UNIT_RULES = pyo.Set(initialize=rule_idx, dimen=2, ordered=True, doc="(unit rule, year) pairs in force")

    def _c_unit_rule(mm: pyo.ConcreteModel, rid: str, y: int) -> pyo.Expression:
        r"""Forced phase-out: :math:`ret_{uy} (+ rfit_{uy}) \ge 1` from the rule's year."""
        uid, retrofit_counts = rule_info[rid]
        lhs = mm.v_unit_retired[uid, y] + (rfit(uid, y) if retrofit_counts else 0.0)
        return lhs >= 1.0

    m.c_unit_rule = pyo.Constraint(m.UNIT_RULES, rule=_c_unit_rule, doc="ret (+ rfit) ≥ 1 from the rule's year")

    # -- registered terms -----------------------------------------------------------------
    by_j: dict[str, list[str]] = {}
    for u in ids:
        by_j.setdefault(str(units.loc[u, "jurisdiction"]), []).append(u)
    tech = {u: str(units.loc[u, "technology"]) for u in ids}
    hr = {u: (0.0 if pd.isna(units.loc[u, "heat_rate_tce_per_mwh"]) else float(units.loc[u, "heat_rate_tce_per_mwh"]))
          for u in ids}
    hr_rfit = {u: float(units.loc[u, "retrofit_heat_rate_tce_per_mwh"]) for u in rfit_ids}
    hr_rep = {u: float(units.loc[u, "repower_heat_rate_tce_per_mwh"]) for u in rep_ids}
    share = {u: (0.0 if pd.isna(units.loc[u, "cofire_share"]) else float(units.loc[u, "cofire_share"])) for u in ids}
    start = {u: (None if pd.isna(units.loc[u, "cofire_from_year"]) else int(units.loc[u, "cofire_from_year"]))
             for u in ids}

    def phi(u: str, y: int) -> float:
        """Co-fired biomass share of unit u's fuel in year y (0 before its cofire_from_year)."""
        return share[u] if start[u] is None or y >= start[u] else 0.0
    w = ctx.weight

    terms.add_injection("units", lambda j, y, t: sum(total_gen(u, y, t) for u in by_j.get(j, [])))

    def fuel_old_tce(u: str, y: int) -> pyo.Expression:
        """Annual fuel of the as-built and retrofitted modes (tce)."""
        e = hr[u] * ctx.annual(m.v_unit_gen_mw, u, y)
        if u in m.UNITS_RETROFIT:
            e = e + hr_rfit[u] * ctx.annual(m.v_unit_gen_retrofit_mw, u, y)
        return e

    def fuel_repower_tce(u: str, y: int) -> pyo.Expression:
        return hr_rep[u] * ctx.annual(m.v_unit_gen_repower_mw, u, y)

    def coal_units(j: str, y: int) -> pyo.Expression:
        return sum((1 - phi(u, y)) * fuel_old_tce(u, y) for u in by_j.get(j, []) if tech[u] in ("coal", "coal_chp"))

    def gas_units(j: str, y: int) -> pyo.Expression:
        e = sum((1 - phi(u, y)) * fuel_old_tce(u, y) for u in by_j.get(j, []) if tech[u] == "gas")
        return e + sum(fuel_repower_tce(u, y) for u in by_j.get(j, []) if u in m.UNITS_REPOWER)

    def cofired_biomass(j: str, y: int) -> pyo.Expression:
        return sum(phi(u, y) * fuel_old_tce(u, y) for u in by_j.get(j, []) if tech[u] in FOSSIL_TECHS and phi(u, y) > 0)

    def nonfossil_units(j: str, y: int) -> pyo.Expression:
        return ctx.f_pe(y) * sum(w(t) * total_gen(u, y, t) for u in by_j.get(j, []) if tech[u] in NONFOSSIL_ELECTRIC
                                 for t in ctx.steps)

    terms.add_energy("coal", "coal_power_units", coal_units)
    terms.add_energy("gas", "gas_power_units", gas_units)
    terms.add_energy("nonfossil_local", "cofired_biomass_fuel", cofired_biomass)
    terms.add_energy("nonfossil_local", "hydro_biomass_waste_electricity", nonfossil_units)

    def fossil_gen(j: str, y: int, t: int) -> pyo.Expression:
        e = 0.0
        for u in by_j.get(j, []):
            if tech[u] in FOSSIL_TECHS:
                e = e + (1 - phi(u, y)) * (m.v_unit_gen_mw[u, y, t]
                                        + (m.v_unit_gen_retrofit_mw[u, y, t] if u in m.UNITS_RETROFIT else 0.0))
            if u in m.UNITS_REPOWER:
                e = e + m.v_unit_gen_repower_mw[u, y, t]
        return e

    terms.add_fossil_generation("units", fossil_gen)

    fuel_price = {"coal": "coal_price_cny_per_tce", "coal_chp": "coal_price_cny_per_tce",
                  "gas": "gas_price_cny_per_tce", "biomass": "biomass_price_cny_per_tce"}

    def fuel_cost(j: str, y: int) -> pyo.Expression:
        e = 0.0
        for u in by_j.get(j, []):
            if tech[u] in fuel_price:
                main = ctx.data.sy(y, fuel_price[tech[u]])
                bio = ctx.data.sy(y, "biomass_price_cny_per_tce")
                e = e + ((1 - phi(u, y)) * main + phi(u, y) * bio) * fuel_old_tce(u, y)
            if u in m.UNITS_REPOWER:
                e = e + ctx.data.sy(y, "gas_price_cny_per_tce") * fuel_repower_tce(u, y)
        return e

    vom_u = {u: float(units.loc[u, "vom_cny_per_mwh"]) for u in ids}

    def vom(j: str, y: int) -> pyo.Expression:
        return sum(vom_u[u] * w(t) * total_gen(u, y, t) for u in by_j.get(j, []) for t in ctx.steps)

    def fom(j: str, y: int) -> pyo.Expression:
        return sum(1000.0 * float(units.loc[u, "fom_cny_per_kw_yr"]) * float(units.loc[u, "capacity_mw"])
                   * m.p_unit_online[u, y] * (1.0 - m.v_unit_retired[u, y]) for u in by_j.get(j, []))

    def upgrade_capex(j: str, y: int) -> pyo.Expression:
        e = 0.0
        for u in by_j.get(j, []):
            a = ctx.crf(float(units.loc[u, "lifetime_yr"])) * 1000.0 * float(units.loc[u, "capacity_mw"])
            if u in m.UNITS_RETROFIT:
                e = e + a * float(units.loc[u, "retrofit_capex_cny_per_kw"]) * m.v_unit_retrofit[u, y]
            if u in m.UNITS_REPOWER:
                e = e + a * float(units.loc[u, "repower_capex_cny_per_kw"]) * m.v_unit_repower[u, y]
        return e

    terms.add_cost("unit_fuel", fuel_cost)
    terms.add_cost("unit_variable_om", vom)
    terms.add_cost("unit_fixed_om", fom)
    terms.add_cost("unit_retrofit_repower_capex", upgrade_capex)
