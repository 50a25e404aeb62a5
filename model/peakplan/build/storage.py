"""Storage: battery (free power and energy within duration bounds), pumped hydro, compressed air.

Pumped hydro and compressed air are buildable only where potentials.csv has a row (a site
named in a plan). Components (s: storage technology):

- ``STORAGE`` set of (j, s) present or buildable; ``STORAGE_BUILD`` ⊆ STORAGE.
- ``v_storage_new_mw[j,s,y]``, ``v_storage_new_mwh[j,s,y]``: power and energy built in y.
- ``e_storage_power_mw[j,s,y]``, ``e_storage_energy_mwh[j,s,y]``: existing + online vintages.
- ``v_charge_mw``, ``v_discharge_mw``, ``v_soc_mwh`` [j,s,y,t].
- ``c_storage_soc[j,s,y,t]``: soc_t = (1 − loss) soc_{prev(t)} + η_c ch_t − dis_t / η_d, cyclic per
  period (a representative day, or the year in full-year mode).
- ``c_storage_charge_max``, ``c_storage_discharge_max``: ch, dis ≤ P; ``c_storage_soc_max``: soc ≤ E.
- ``c_storage_duration_min`` / ``_max[j,s,y]``: d_min · new MW ≤ new MWh ≤ d_max · new MW (each vintage).
- ``c_storage_potential[j,s,y]``: P ≤ potential.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms
from peakplan.io.schema import STORAGE_TECHS


def _existing(ctx: BuildContext, j: str, s: str, y: int) -> tuple[float, float]:
    ex = ctx.data.table("existing_capacity")
    rows = ex[(ex.jurisdiction == j) & (ex.technology == s) & (ex.year <= y)]
    if rows.empty:
        return 0.0, 0.0
    r = rows.sort_values("year").iloc[-1]
    return float(r.capacity_mw), 0.0 if pd.isna(r.energy_mwh) else float(r.energy_mwh)


def _c_storage_soc(m: pyo.ConcreteModel, j: str, s: str, y: int, t: int) -> pyo.Expression:
    r"""State of charge, hourly, cyclic per period:
    :math:`e_t = (1-\lambda) e_{prev(t)} + \eta_c c_t - d_t/\eta_d`."""
    prev = m.p_prev_step[t]
    return m.v_soc_mwh[j, s, y, t] == (
        (1.0 - m.p_storage_loss[j, s]) * m.v_soc_mwh[j, s, y, prev]
        + m.p_storage_eff_charge[j, s] * m.v_charge_mw[j, s, y, t]
        - m.v_discharge_mw[j, s, y, t] / m.p_storage_eff_discharge[j, s]
    )


def _c_storage_charge_max(m: pyo.ConcreteModel, j: str, s: str, y: int, t: int) -> pyo.Expression:
    r"""Charging power: :math:`c_t \le P_{jsy}`."""
    return m.v_charge_mw[j, s, y, t] <= m.e_storage_power_mw[j, s, y]


def _c_storage_discharge_max(m: pyo.ConcreteModel, j: str, s: str, y: int, t: int) -> pyo.Expression:
    r"""Discharging power: :math:`d_t \le P_{jsy}`."""
    return m.v_discharge_mw[j, s, y, t] <= m.e_storage_power_mw[j, s, y]


def _c_storage_soc_max(m: pyo.ConcreteModel, j: str, s: str, y: int, t: int) -> pyo.Expression:
    r"""Energy: :math:`e_t \le E_{jsy}`."""
    return m.v_soc_mwh[j, s, y, t] <= m.e_storage_energy_mwh[j, s, y]


def _c_storage_duration_min(m: pyo.ConcreteModel, j: str, s: str, y: int) -> pyo.Expression:
    r"""Shortest duration of a vintage: :math:`E^{new}_{jsy} \ge d^{min}_s P^{new}_{jsy}`."""
    return m.v_storage_new_mwh[j, s, y] >= m.p_storage_duration_min_h[j, s] * m.v_storage_new_mw[j, s, y]


def _c_storage_duration_max(m: pyo.ConcreteModel, j: str, s: str, y: int) -> pyo.Expression:
    r"""Longest duration of a vintage: :math:`E^{new}_{jsy} \le d^{max}_s P^{new}_{jsy}`."""
    return m.v_storage_new_mwh[j, s, y] <= m.p_storage_duration_max_h[j, s] * m.v_storage_new_mw[j, s, y]


def _c_storage_potential(m: pyo.ConcreteModel, j: str, s: str, y: int) -> pyo.Expression:
    r"""Site potential: :math:`P_{jsy} \le \overline{P}_{js}`."""
    return m.e_storage_power_mw[j, s, y] <= m.p_storage_potential_mw[j, s]


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add storage technologies and register their balance and cost terms."""
    pot = ctx.data.table("potentials")
    ex = ctx.data.table("existing_capacity")
    build = sorted({(j, s) for j, s in zip(pot.jurisdiction, pot.technology)
                    if s in STORAGE_TECHS and j in ctx.jurisdictions})
    existing = sorted({(j, s) for j, s in zip(ex.jurisdiction, ex.technology)
                       if s in STORAGE_TECHS and j in ctx.jurisdictions})
    alls = sorted(set(build) | set(existing))
    build_set = set(build)
    m.STORAGE = pyo.Set(initialize=alls, dimen=2, ordered=True, doc="(j, s) storage present or buildable")
    m.STORAGE_BUILD = pyo.Set(initialize=build, dimen=2, ordered=True, within=m.STORAGE, doc="(j, s) buildable")
    limited = {(j, s): float(v) for j, s, v in zip(pot.jurisdiction, pot.technology, pot.potential_mw)
               if (j, s) in build_set and not pd.isna(v)}
    m.STORAGE_LIMITED = pyo.Set(initialize=sorted(limited), dimen=2, within=m.STORAGE_BUILD,
                                doc="(j, s) with a site potential")
    m.p_storage_potential_mw = pyo.Param(m.STORAGE_LIMITED, initialize=limited, mutable=True,
                                         doc="site potential (MW)")
    y0 = ctx.years[0]
    row = {(j, s): ctx.data.tech(s, y0) for j, s in alls}
    m.p_storage_eff_charge = pyo.Param(m.STORAGE, initialize={k: float(r.efficiency_charge) for k, r in row.items()},
                                       doc="charging efficiency (-)")
    m.p_storage_eff_discharge = pyo.Param(m.STORAGE, initialize={k: float(r.efficiency_discharge)
                                                                 for k, r in row.items()},
                                          doc="discharging efficiency (-)")
    m.p_storage_loss = pyo.Param(m.STORAGE, initialize={k: float(r.loss_per_h) for k, r in row.items()},
                                 doc="self-discharge per hour (-)")
    m.p_storage_duration_min_h = pyo.Param(m.STORAGE_BUILD, initialize={k: float(row[k].duration_min_h)
                                                                        for k in build}, doc="shortest duration (h)")
    m.p_storage_duration_max_h = pyo.Param(m.STORAGE_BUILD, initialize={k: float(row[k].duration_max_h)
                                                                        for k in build}, doc="longest duration (h)")
    techs = sorted({s for _, s in build})
    m.p_storage_capex_cny_per_kw = pyo.Param(techs, m.YEARS, mutable=True, doc="power capex (CNY/kW)",
                                             initialize={(s, y): float(ctx.data.tech(s, y).capex_cny_per_kw)
                                                         for s in techs for y in ctx.years})
    m.p_storage_capex_cny_per_kwh = pyo.Param(techs, m.YEARS, mutable=True, doc="energy capex (CNY/kWh)",
                                              initialize={(s, y): float(ctx.data.tech(s, y).capex_energy_cny_per_kwh)
                                                          for s in techs for y in ctx.years})
    life = {s: float(ctx.data.tech(s, y0).lifetime_yr) for s in techs}

    m.v_storage_new_mw = pyo.Var(m.STORAGE_BUILD, m.YEARS, within=pyo.NonNegativeReals, doc="power built (MW)")
    m.v_storage_new_mwh = pyo.Var(m.STORAGE_BUILD, m.YEARS, within=pyo.NonNegativeReals, doc="energy built (MWh)")

    def power(mm: pyo.ConcreteModel, j: str, s: str, y: int) -> pyo.Expression:
        return _existing(ctx, j, s, y)[0] + sum(mm.v_storage_new_mw[j, s, yb] for yb in ctx.years
                                                if (j, s) in build_set and ctx.online(yb, y, life[s]))

    def energy(mm: pyo.ConcreteModel, j: str, s: str, y: int) -> pyo.Expression:
        return _existing(ctx, j, s, y)[1] + sum(mm.v_storage_new_mwh[j, s, yb] for yb in ctx.years
                                                if (j, s) in build_set and ctx.online(yb, y, life[s]))

    m.e_storage_power_mw = pyo.Expression(m.STORAGE, m.YEARS, rule=power, doc="P = existing + online vintages (MW)")
    m.e_storage_energy_mwh = pyo.Expression(m.STORAGE, m.YEARS, rule=energy,
                                            doc="E = existing + online vintages (MWh)")
    m.v_charge_mw = pyo.Var(m.STORAGE, m.YEARS, m.STEPS, within=pyo.NonNegativeReals, doc="charging (MW)")
    m.v_discharge_mw = pyo.Var(m.STORAGE, m.YEARS, m.STEPS, within=pyo.NonNegativeReals, doc="discharging (MW)")
    m.v_soc_mwh = pyo.Var(m.STORAGE, m.YEARS, m.STEPS, within=pyo.NonNegativeReals, doc="state of charge (MWh)")
    m.c_storage_soc = pyo.Constraint(m.STORAGE, m.YEARS, m.STEPS, rule=_c_storage_soc,
                                     doc="soc_t = (1-loss) soc_prev + ηc ch − dis/ηd (cyclic per period)")
    m.c_storage_charge_max = pyo.Constraint(m.STORAGE, m.YEARS, m.STEPS, rule=_c_storage_charge_max, doc="ch ≤ P")
    m.c_storage_discharge_max = pyo.Constraint(m.STORAGE, m.YEARS, m.STEPS, rule=_c_storage_discharge_max,
                                               doc="dis ≤ P")
    m.c_storage_soc_max = pyo.Constraint(m.STORAGE, m.YEARS, m.STEPS, rule=_c_storage_soc_max, doc="soc ≤ E")
    m.c_storage_duration_min = pyo.Constraint(m.STORAGE_BUILD, m.YEARS, rule=_c_storage_duration_min,
                                              doc="new MWh ≥ d_min · new MW")
    m.c_storage_duration_max = pyo.Constraint(m.STORAGE_BUILD, m.YEARS, rule=_c_storage_duration_max,
                                              doc="new MWh ≤ d_max · new MW")
    m.c_storage_potential = pyo.Constraint(m.STORAGE_LIMITED, m.YEARS, rule=_c_storage_potential,
                                           doc="P ≤ site potential")

    by_j: dict[str, list[str]] = {}
    for j, s in alls:
        by_j.setdefault(j, []).append(s)
    terms.add_injection("storage_discharge",
                        lambda j, y, t: sum(m.v_discharge_mw[j, s, y, t] for s in by_j.get(j, [])))
    terms.add_withdrawal("storage_charge", lambda j, y, t: sum(m.v_charge_mw[j, s, y, t] for s in by_j.get(j, [])))

    def capex(j: str, y: int) -> pyo.Expression:
        return sum(ctx.crf(life[s]) * 1000.0 * (m.p_storage_capex_cny_per_kw[s, yb] * m.v_storage_new_mw[j, s, yb]
                                                 + m.p_storage_capex_cny_per_kwh[s, yb] * m.v_storage_new_mwh[j, s, yb])
                   for s in by_j.get(j, []) if (j, s) in build_set
                   for yb in ctx.years if ctx.online(yb, y, life[s]))

    def fom(j: str, y: int) -> pyo.Expression:
        """Fixed O&M of all storage online, existing and new."""
        return sum(1000.0 * float(ctx.data.tech(s, y).fom_cny_per_kw_yr) * m.e_storage_power_mw[j, s, y]
                   for s in by_j.get(j, []))

    def vom(j: str, y: int) -> pyo.Expression:
        out = 0.0
        for s in by_j.get(j, []):
            c = float(ctx.data.tech(s, y).vom_cny_per_mwh)
            if c:
                out = out + c * ctx.annual(m.v_discharge_mw, j, s, y)
        return out

    terms.add_cost("storage_capex", capex)
    terms.add_cost("storage_fixed_om", fom)
    terms.add_cost("storage_variable_om", vom)

    def new_energy_cum(j: str, y: int) -> pyo.Expression:
        return sum(m.v_storage_new_mwh[j, s, yb] for s in by_j.get(j, []) if (j, s) in build_set
                   for yb in ctx.years if yb <= y)

    terms.add_quantity("storage_new_energy_cumulative_mwh", "storage", new_energy_cum)
    for s in STORAGE_TECHS:
        terms.add_quantity(f"new_cumulative_mw:{s}", "storage",
                           lambda j, y, s=s: sum(m.v_storage_new_mw[j, s, yb] for yb in ctx.years
                                                 if yb <= y and (j, s) in build_set))
        terms.add_quantity(f"new_cumulative_mwh:{s}", "storage",
                           lambda j, y, s=s: sum(m.v_storage_new_mwh[j, s, yb] for yb in ctx.years
                                                 if yb <= y and (j, s) in build_set))
