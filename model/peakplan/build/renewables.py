"""Variable renewables (solar_utility incl. agri-/forest-PV, solar_rooftop, wind_onshore).

Components (index letters: j jurisdiction, g technology, y milestone year, t step):

- ``VRE`` set of (j, g) with existing capacity or a potential row; ``VRE_BUILD`` ⊆ VRE, buildable.
- ``v_vre_new_mw[j,g,y]``: MW built in milestone y (online from y for its lifetime).
- ``v_vre_gen_mw[j,g,y,t]``: dispatched output.
- ``e_vre_capacity_mw[j,g,y]`` = existing[j,g,y] + Σ_{y' ≤ y, y − y' < life} v_vre_new_mw[j,g,y'].
- ``c_vre_available[j,g,y,t]``: gen ≤ cf[j,g,t] · cap[j,g,y].
- ``c_vre_potential[j,g,y]``: cap[j,g,y] ≤ potential[j,g] (where a potential is given).
- ``p_vre_capex_cny_per_kw[g,y]`` (mutable): overnight capex of a vintage.

Registers: balance injection; non-fossil local electricity (gen × f_pe); costs (capex annuity,
fixed and variable O&M); quantities for policies (capacity, new capacity, curtailment,
available energy, cumulative new MW per technology for committed projects).
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms
from peakplan.io.schema import VRE_TECHS

CF_SERIES = {"solar_utility": "solar_utility_cf", "solar_rooftop": "solar_rooftop_cf",
             "wind_onshore": "wind_onshore_cf"}


def existing_mw(ctx: BuildContext, j: str, g: str, y: int) -> float:
    """Aggregated existing capacity of (j, g) online in year y (existing_capacity.csv; latest row ≤ y)."""
    ex = ctx.data.table("existing_capacity")
    rows = ex[(ex.jurisdiction == j) & (ex.technology == g) & (ex.year <= y)]
    if rows.empty:
        return 0.0
    return float(rows.sort_values("year").iloc[-1].capacity_mw)


def _c_vre_available(m: pyo.ConcreteModel, j: str, g: str, y: int, t: int) -> pyo.Expression:
    r"""Output is bounded by the capacity factor: :math:`p_{jgyt} \le cf_{jgt}\, K_{jgy}`."""
    return m.v_vre_gen_mw[j, g, y, t] <= m.p_vre_cf[j, g, t] * m.e_vre_capacity_mw[j, g, y]


def _c_vre_potential(m: pyo.ConcreteModel, j: str, g: str, y: int) -> pyo.Expression:
    r"""Resource potential: :math:`K_{jgy} \le \overline{K}_{jg}`."""
    return m.e_vre_capacity_mw[j, g, y] <= m.p_vre_potential_mw[j, g]


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add VRE candidates and existing VRE capacity, and register their terms."""
    pot = ctx.data.table("potentials")
    ex = ctx.data.table("existing_capacity")
    build = sorted({(j, g) for j, g in zip(pot.jurisdiction, pot.technology)
                    if g in VRE_TECHS and j in ctx.jurisdictions})
    existing = sorted({(j, g) for j, g in zip(ex.jurisdiction, ex.technology)
                       if g in VRE_TECHS and j in ctx.jurisdictions})
    allv = sorted(set(build) | set(existing))
    m.VRE = pyo.Set(initialize=allv, dimen=2, ordered=True, doc="(j, g) variable renewables present or buildable")
    m.VRE_BUILD = pyo.Set(initialize=build, dimen=2, ordered=True, within=m.VRE, doc="(j, g) buildable VRE")
    potentials = {(j, g): float(v) for j, g, v in zip(pot.jurisdiction, pot.technology, pot.potential_mw)
                  if (j, g) in set(build) and not pd.isna(v)}
    m.VRE_LIMITED = pyo.Set(initialize=sorted(potentials), dimen=2, within=m.VRE_BUILD,
                            doc="(j, g) with a resource potential")
    m.p_vre_potential_mw = pyo.Param(m.VRE_LIMITED, initialize=potentials, mutable=True,
                                     doc="resource potential (MW)")
    cf = {(j, g, t): float(v) for j, g in allv for t, v in enumerate(ctx.profile(j, CF_SERIES[g]))}
    m.p_vre_cf = pyo.Param(m.VRE, m.STEPS, initialize=cf, doc="capacity factor per step (-)")
    techs = sorted({g for _, g in build})
    capex = {(g, y): float(ctx.data.tech(g, y).capex_cny_per_kw) for g in techs for y in ctx.years}
    m.p_vre_capex_cny_per_kw = pyo.Param(sorted({g for _, g in build}), m.YEARS, initialize=capex,
                                         mutable=True, doc="overnight capex of a vintage (CNY/kW)")
    m.v_vre_new_mw = pyo.Var(m.VRE_BUILD, m.YEARS, within=pyo.NonNegativeReals, doc="VRE built in y (MW)")
    m.v_vre_gen_mw = pyo.Var(m.VRE, m.YEARS, m.STEPS, within=pyo.NonNegativeReals, doc="VRE output (MW)")

    life = {g: float(ctx.data.tech(g, ctx.years[0]).lifetime_yr) for g in techs}

    def cap_rule(mm: pyo.ConcreteModel, j: str, g: str, y: int) -> pyo.Expression:
        new = sum(mm.v_vre_new_mw[j, g, yb] for yb in ctx.years
                  if (j, g) in build_set and ctx.online(yb, y, life[g]))
        return existing_mw(ctx, j, g, y) + new

    build_set = set(build)
    m.e_vre_capacity_mw = pyo.Expression(m.VRE, m.YEARS, rule=cap_rule,
                                         doc="K[j,g,y] = existing + Σ online vintages (MW)")
    m.c_vre_available = pyo.Constraint(m.VRE, m.YEARS, m.STEPS, rule=_c_vre_available,
                                       doc="p ≤ cf · K (availability)")
    m.c_vre_potential = pyo.Constraint(m.VRE_LIMITED, m.YEARS, rule=_c_vre_potential, doc="K ≤ potential")

    by_j: dict[str, list[str]] = {}
    for j, g in allv:
        by_j.setdefault(j, []).append(g)

    terms.add_injection("vre", lambda j, y, t: sum(m.v_vre_gen_mw[j, g, y, t] for g in by_j.get(j, [])))

    def gen_mwh(j: str, y: int) -> pyo.Expression:
        return sum(ctx.annual(m.v_vre_gen_mw, j, g, y) for g in by_j.get(j, []))

    terms.add_energy("nonfossil_local", "vre_electricity", lambda j, y: ctx.f_pe(y) * gen_mwh(j, y))

    def available_mwh(j: str, y: int) -> pyo.Expression:
        return sum(ctx.weight(t) * m.p_vre_cf[j, g, t] * m.e_vre_capacity_mw[j, g, y]
                   for g in by_j.get(j, []) for t in ctx.steps)

    terms.add_quantity("vre_available_mwh", "vre", available_mwh)
    terms.add_quantity("vre_curtailed_mwh", "vre", lambda j, y: available_mwh(j, y) - gen_mwh(j, y))
    terms.add_quantity("vre_capacity_mw", "vre",
                       lambda j, y: sum(m.e_vre_capacity_mw[j, g, y] for g in by_j.get(j, [])))
    terms.add_quantity("vre_base_capacity_mw", "vre",
                       lambda j, y: sum(existing_mw(ctx, j, g, ctx.base_year) for g in by_j.get(j, [])))

    def new_cum(j: str, y: int) -> pyo.Expression:
        return sum(m.v_vre_new_mw[j, g, yb] for g in by_j.get(j, []) if (j, g) in build_set
                   for yb in ctx.years if yb <= y)

    terms.add_quantity("vre_new_cumulative_mw", "vre", new_cum)
    for g in VRE_TECHS:
        terms.add_quantity(f"new_cumulative_mw:{g}", "vre",
                           lambda j, y, g=g: sum(m.v_vre_new_mw[j, g, yb] for yb in ctx.years
                                                 if yb <= y and (j, g) in build_set))

    def capex_annuity(j: str, y: int) -> pyo.Expression:
        return sum(ctx.crf(life[g]) * 1000.0 * m.p_vre_capex_cny_per_kw[g, yb] * m.v_vre_new_mw[j, g, yb]
                   for g in by_j.get(j, []) if (j, g) in build_set
                   for yb in ctx.years if ctx.online(yb, y, life[g]))

    def fom(j: str, y: int) -> pyo.Expression:
        """Fixed O&M of all capacity online, existing and new."""
        return sum(1000.0 * float(ctx.data.tech(g, y).fom_cny_per_kw_yr) * m.e_vre_capacity_mw[j, g, y]
                   for g in by_j.get(j, []))

    def vom(j: str, y: int) -> pyo.Expression:
        out = 0.0
        for g in by_j.get(j, []):
            c = float(ctx.data.tech(g, y).vom_cny_per_mwh)
            if c:
                out = out + c * ctx.annual(m.v_vre_gen_mw, j, g, y)
        return out

    terms.add_cost("vre_capex", capex_annuity)
    terms.add_cost("vre_fixed_om", fom)
    terms.add_cost("vre_variable_om", vom)
