"""Electricity balance, assembled last from the registered injections and withdrawals.

``c_energy_balance[j,y,t]``: Σ injections + v_shed_mw = p_demand_mw + Σ withdrawals, where demand is
the base profile × annual demand (``demand_pu`` has mean 1) and withdrawals include storage charging,
exports and electricity added by coal→electricity switching. Unserved demand ``v_shed_mw`` is
priced at the value of lost load (cost component ``unserved_energy``).

Unserved demand is *accounted* as if it had been bought from the grid: it enters the net import
(× f_pe), its non-fossil part (× s_grid) and the indirect emissions like an import. Demand is
exogenous, so rationing relieves physical limits (import capacity) but never helps meet a
non-fossil share, intensity or CO2 target.
"""

from __future__ import annotations

import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms
from peakplan.io.schema import HOURS_PER_YEAR


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add demand, unserved energy and the balance constraint."""
    J, Y = ctx.jurisdictions, ctx.years
    m.p_demand_mwh = pyo.Param(m.JURISDICTIONS, m.YEARS, mutable=True, doc="annual base demand (MWh)",
                               initialize={(j, y): ctx.data.jy(j, y, "electricity_demand_mwh") for j in J for y in Y})
    m.p_demand_pu = pyo.Param(m.JURISDICTIONS, m.STEPS, doc="demand profile, mean 1 (-)",
                              initialize={(j, t): float(v) for j in J for t, v in enumerate(ctx.profile(j, "demand_pu"))})
    m.p_voll_cny_per_mwh = pyo.Param(initialize=ctx.data.const("voll_cny_per_mwh"), mutable=True,
                                     doc="value of lost load (CNY/MWh)")
    m.v_shed_mw = pyo.Var(m.JURISDICTIONS, m.YEARS, m.STEPS, within=pyo.NonNegativeReals, doc="unserved demand (MW)")

    def _c_energy_balance(mm: pyo.ConcreteModel, j: str, y: int, t: int) -> pyo.Expression:
        r"""Electricity balance:
        :math:`\sum_g p + \sum_u p + \sum_s (d - c) + imp - exp + shed = D_{jyt} + \Delta D^{switch}_{jyt}`."""
        inj = sum(f(j, y, t) for f in terms.injections.values())
        wd = sum(f(j, y, t) for f in terms.withdrawals.values())
        demand = mm.p_demand_mwh[j, y] / HOURS_PER_YEAR * mm.p_demand_pu[j, t]
        return inj + mm.v_shed_mw[j, y, t] - wd == demand

    m.c_energy_balance = pyo.Constraint(m.JURISDICTIONS, m.YEARS, m.STEPS, rule=_c_energy_balance,
                                        doc="Σ injections + shed = demand + Σ withdrawals")
    def shed_mwh(j: str, y: int) -> pyo.Expression:
        return ctx.annual(m.v_shed_mw, j, y)

    terms.add_cost("unserved_energy", lambda j, y: m.p_voll_cny_per_mwh * shed_mwh(j, y))
    terms.add_energy("net_import", "unserved_as_import", lambda j, y: ctx.f_pe(y) * shed_mwh(j, y))
    terms.add_energy("import_nonfossil", "unserved_as_import_nonfossil",
                     lambda j, y: ctx.f_pe(y) * ctx.data.sy(y, "grid_nonfossil_share") * shed_mwh(j, y))
    include = 1.0 if ctx.scenario.policy.include_indirect else 0.0
    terms.add_emission("unserved_as_import_indirect",
                       lambda j, y: include * ctx.data.sy(y, "grid_ef_tco2_per_mwh") * shed_mwh(j, y))
