"""Optional new gas plants (gas_peaker, gas_ccgt), buildable where potentials.csv has a row.

- ``NEW_THERMAL`` set of (j, g); ``v_thermal_new_mw[j,g,y]`` built in y; ``v_thermal_gen_mw[j,g,y,t]`` output.
- ``e_thermal_capacity_mw[j,g,y]`` = Σ_{online vintages} new MW.
- ``c_thermal_gen_max[j,g,y,t]``: p ≤ K; ``c_thermal_potential[j,g,y]``: K ≤ potential.

Registers: balance injection, gas use (p × heat rate), fossil generation, capex annuity, O&M, fuel.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms
from peakplan.io.schema import THERMAL_TECHS


def _c_thermal_gen_max(m: pyo.ConcreteModel, j: str, g: str, y: int, t: int) -> pyo.Expression:
    r"""Output within capacity: :math:`p_{jgyt} \le K_{jgy}`."""
    return m.v_thermal_gen_mw[j, g, y, t] <= m.e_thermal_capacity_mw[j, g, y]


def _c_thermal_potential(m: pyo.ConcreteModel, j: str, g: str, y: int) -> pyo.Expression:
    r"""Site limit: :math:`K_{jgy} \le \overline{K}_{jg}`."""
    return m.e_thermal_capacity_mw[j, g, y] <= m.p_thermal_potential_mw[j, g]


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add candidate gas plants and register their terms."""
    pot = ctx.data.table("potentials")
    build = sorted({(j, g) for j, g in zip(pot.jurisdiction, pot.technology)
                    if g in THERMAL_TECHS and j in ctx.jurisdictions})
    m.NEW_THERMAL = pyo.Set(initialize=build, dimen=2, ordered=True, doc="(j, g) buildable gas plants")
    limited = {(j, g): float(v) for j, g, v in zip(pot.jurisdiction, pot.technology, pot.potential_mw)
               if (j, g) in set(build) and not pd.isna(v)}
    m.NEW_THERMAL_LIMITED = pyo.Set(initialize=sorted(limited), dimen=2, within=m.NEW_THERMAL,
                                    doc="(j, g) with a site limit")
    m.p_thermal_potential_mw = pyo.Param(m.NEW_THERMAL_LIMITED, initialize=limited, mutable=True,
                                         doc="site limit (MW)")
    techs = sorted({g for _, g in build})
    life = {g: float(ctx.data.tech(g, ctx.years[0]).lifetime_yr) for g in techs}
    m.p_thermal_capex_cny_per_kw = pyo.Param(techs, m.YEARS, mutable=True, doc="capex (CNY/kW)",
                                             initialize={(g, y): float(ctx.data.tech(g, y).capex_cny_per_kw)
                                                         for g in techs for y in ctx.years})
    m.v_thermal_new_mw = pyo.Var(m.NEW_THERMAL, m.YEARS, within=pyo.NonNegativeReals, doc="gas plant built (MW)")
    m.v_thermal_gen_mw = pyo.Var(m.NEW_THERMAL, m.YEARS, m.STEPS, within=pyo.NonNegativeReals,
                                 doc="gas plant output (MW)")

    def cap(mm: pyo.ConcreteModel, j: str, g: str, y: int) -> pyo.Expression:
        return sum(mm.v_thermal_new_mw[j, g, yb] for yb in ctx.years if ctx.online(yb, y, life[g]))

    m.e_thermal_capacity_mw = pyo.Expression(m.NEW_THERMAL, m.YEARS, rule=cap, doc="K = Σ online vintages (MW)")
    m.c_thermal_gen_max = pyo.Constraint(m.NEW_THERMAL, m.YEARS, m.STEPS, rule=_c_thermal_gen_max, doc="p ≤ K")
    m.c_thermal_potential = pyo.Constraint(m.NEW_THERMAL_LIMITED, m.YEARS, rule=_c_thermal_potential,
                                           doc="K ≤ site limit")
    by_j: dict[str, list[str]] = {}
    for j, g in build:
        by_j.setdefault(j, []).append(g)
    terms.add_injection("new_thermal", lambda j, y, t: sum(m.v_thermal_gen_mw[j, g, y, t] for g in by_j.get(j, [])))
    terms.add_fossil_generation("new_thermal",
                                lambda j, y, t: sum(m.v_thermal_gen_mw[j, g, y, t] for g in by_j.get(j, [])))

    def fuel_tce(j: str, y: int) -> pyo.Expression:
        out = 0.0
        for g in by_j.get(j, []):
            hr = float(ctx.data.tech(g, y).heat_rate_tce_per_mwh)
            out = out + hr * ctx.annual(m.v_thermal_gen_mw, j, g, y)
        return out

    terms.add_energy("gas", "gas_new_plants", fuel_tce)

    def capex(j: str, y: int) -> pyo.Expression:
        return sum(ctx.crf(life[g]) * 1000.0 * m.p_thermal_capex_cny_per_kw[g, yb] * m.v_thermal_new_mw[j, g, yb]
                   for g in by_j.get(j, []) for yb in ctx.years if ctx.online(yb, y, life[g]))

    def om_fuel(j: str, y: int) -> pyo.Expression:
        e = 0.0
        for g in by_j.get(j, []):
            row = ctx.data.tech(g, y)
            e = e + 1000.0 * float(row.fom_cny_per_kw_yr) * m.e_thermal_capacity_mw[j, g, y]
            per_mwh = float(row.vom_cny_per_mwh) + float(row.heat_rate_tce_per_mwh) * ctx.data.sy(
                y, "gas_price_cny_per_tce")
            e = e + per_mwh * ctx.annual(m.v_thermal_gen_mw, j, g, y)
        return e

    terms.add_cost("thermal_capex", capex)
    terms.add_cost("thermal_om_fuel", om_fuel)
    for g in THERMAL_TECHS:
        terms.add_quantity(f"new_cumulative_mw:{g}", "thermal",
                           lambda j, y, g=g: sum(m.v_thermal_new_mw[j, g, yb] for yb in ctx.years
                                                 if yb <= y and (j, g) in set(build)))
