"""Imports from and exports to the provincial grid.

- ``v_import_mw[j,y,t]`` ≤ import_cap[j,y] (``c_import_max``).
- Exports are attributed hour by hour: ``v_export_fossil_mw`` + ``v_export_nonfossil_mw`` ≤ export_cap
  (``c_export_max``); with ``export_attribution: fossil_first`` the fossil part cannot exceed local fossil
  generation in that hour (``c_export_fossil_first``), so a county exporting coal power loses no non-fossil
  credit, and one exporting only solar loses exactly what it exports.
- Optional coupling ``c_shared_import[y,t]``: Σ_j import ≤ shared cap (joins the jurisdictions in one LP).

Accounting (formulation §4): net import M = Σ_t w (imp − exp) f_pe; its non-fossil part
MNF = Σ_t w (imp · s_grid − exp_nf) f_pe (fossil_first) or Σ_t w (imp − exp) s_grid f_pe (grid_average);
indirect CO2 = Σ_t w (imp − exp) ef_grid when ``include_indirect``.
Costs: imports at the year's mean price × the hour's time-of-use multiplier; exports earn the export price.
"""

from __future__ import annotations

import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add grid exchange variables and register their terms."""
    J, Y = ctx.jurisdictions, ctx.years
    m.p_import_cap_mw = pyo.Param(m.JURISDICTIONS, m.YEARS, mutable=True, doc="import limit (MW)",
                                  initialize={(j, y): ctx.data.jy(j, y, "import_cap_mw") for j in J for y in Y})
    m.p_export_cap_mw = pyo.Param(m.JURISDICTIONS, m.YEARS, mutable=True, doc="export limit (MW)",
                                  initialize={(j, y): ctx.data.jy(j, y, "export_cap_mw") for j in J for y in Y})
    m.p_import_price_cny_per_mwh = pyo.Param(m.YEARS, mutable=True, doc="mean import price (CNY/MWh)",
                                             initialize={y: ctx.data.sy(y, "import_price_cny_per_mwh") for y in Y})
    m.p_export_price_cny_per_mwh = pyo.Param(m.YEARS, mutable=True, doc="export price (CNY/MWh)",
                                             initialize={y: ctx.data.sy(y, "export_price_cny_per_mwh") for y in Y})
    m.p_import_price_pu = pyo.Param(m.JURISDICTIONS, m.STEPS, doc="time-of-use multiplier (-)",
                                    initialize={(j, t): float(v) for j in J
                                                for t, v in enumerate(ctx.profile(j, "import_price_pu"))})
    m.v_import_mw = pyo.Var(m.JURISDICTIONS, m.YEARS, m.STEPS, within=pyo.NonNegativeReals, doc="import (MW)")
    m.v_export_fossil_mw = pyo.Var(m.JURISDICTIONS, m.YEARS, m.STEPS, within=pyo.NonNegativeReals,
                                   doc="export attributed to fossil generation (MW)")
    m.v_export_nonfossil_mw = pyo.Var(m.JURISDICTIONS, m.YEARS, m.STEPS, within=pyo.NonNegativeReals,
                                      doc="export attributed to non-fossil generation (MW)")

    def _c_import_max(mm: pyo.ConcreteModel, j: str, y: int, t: int) -> pyo.Expression:
        r"""Import limit: :math:`imp_{jyt} \le \overline{I}_{jy}`."""
        return mm.v_import_mw[j, y, t] <= mm.p_import_cap_mw[j, y]

    def _c_export_max(mm: pyo.ConcreteModel, j: str, y: int, t: int) -> pyo.Expression:
        r"""Export limit: :math:`exp^f_{jyt} + exp^{nf}_{jyt} \le \overline{X}_{jy}`."""
        return mm.v_export_fossil_mw[j, y, t] + mm.v_export_nonfossil_mw[j, y, t] <= mm.p_export_cap_mw[j, y]

    m.c_import_max = pyo.Constraint(m.JURISDICTIONS, m.YEARS, m.STEPS, rule=_c_import_max, doc="imp ≤ import cap")
    m.c_export_max = pyo.Constraint(m.JURISDICTIONS, m.YEARS, m.STEPS, rule=_c_export_max, doc="exp ≤ export cap")

    fossil_first = ctx.scenario.policy.export_attribution == "fossil_first"
    if fossil_first:
        def _c_export_fossil_first(mm: pyo.ConcreteModel, j: str, y: int, t: int) -> pyo.Expression:
            r"""Fossil-first attribution: :math:`exp^f_{jyt} \le \sum_{fossil} p_{jyt}`."""
            return mm.v_export_fossil_mw[j, y, t] <= sum(f(j, y, t) for f in terms.fossil_generation.values())

        m.c_export_fossil_first = pyo.Constraint(m.JURISDICTIONS, m.YEARS, m.STEPS, rule=_c_export_fossil_first,
                                                 doc="exp_f ≤ local fossil generation (fossil-first)")

    cap = ctx.scenario.policy.shared_import_cap_mw
    if cap is not None:
        m.p_shared_import_cap_mw = pyo.Param(initialize=float(cap), mutable=True, doc="shared import limit (MW)")

        def _c_shared_import(mm: pyo.ConcreteModel, y: int, t: int) -> pyo.Expression:
            r"""Shared import limit: :math:`\sum_j imp_{jyt} \le \overline{I}`."""
            return sum(mm.v_import_mw[j, y, t] for j in J) <= mm.p_shared_import_cap_mw

        m.c_shared_import = pyo.Constraint(m.YEARS, m.STEPS, rule=_c_shared_import, doc="Σ_j imp ≤ shared cap")

    w = ctx.weight
    terms.add_injection("grid_import", lambda j, y, t: m.v_import_mw[j, y, t])
    terms.add_withdrawal("grid_export", lambda j, y, t: m.v_export_fossil_mw[j, y, t] + m.v_export_nonfossil_mw[j, y, t])

    def net_mwh(j: str, y: int) -> pyo.Expression:
        return sum(w(t) * (m.v_import_mw[j, y, t] - m.v_export_fossil_mw[j, y, t] - m.v_export_nonfossil_mw[j, y, t])
                   for t in ctx.steps)

    def import_nonfossil(j: str, y: int) -> pyo.Expression:
        s = ctx.data.sy(y, "grid_nonfossil_share")
        if fossil_first:
            return ctx.f_pe(y) * sum(w(t) * (s * m.v_import_mw[j, y, t] - m.v_export_nonfossil_mw[j, y, t])
                                     for t in ctx.steps)
        return ctx.f_pe(y) * s * net_mwh(j, y)

    terms.add_energy("net_import", "net_import_electricity", lambda j, y: ctx.f_pe(y) * net_mwh(j, y))

    def exported_nonfossil(j: str, y: int) -> pyo.Expression:
        """Non-fossil electricity that leaves the jurisdiction (tce): exp_nf, or s_grid × exp (grid_average)."""
        if fossil_first:
            return ctx.f_pe(y) * ctx.annual(m.v_export_nonfossil_mw, j, y)
        s = ctx.data.sy(y, "grid_nonfossil_share")
        return ctx.f_pe(y) * s * sum(w(t) * (m.v_export_fossil_mw[j, y, t] + m.v_export_nonfossil_mw[j, y, t])
                                     for t in ctx.steps)

    terms.add_quantity("nonfossil_exported_tce", "grid", exported_nonfossil)
    terms.add_energy("import_nonfossil", "net_import_nonfossil", import_nonfossil)
    include = 1.0 if ctx.scenario.policy.include_indirect else 0.0
    terms.add_emission("grid_import_indirect",
                       lambda j, y: include * ctx.data.sy(y, "grid_ef_tco2_per_mwh") * net_mwh(j, y))

    def cost(j: str, y: int) -> pyo.Expression:
        return sum(w(t) * (m.p_import_price_cny_per_mwh[y] * m.p_import_price_pu[j, t] * m.v_import_mw[j, y, t]
                           - m.p_export_price_cny_per_mwh[y]
                           * (m.v_export_fossil_mw[j, y, t] + m.v_export_nonfossil_mw[j, y, t]))
                   for t in ctx.steps)

    terms.add_cost("grid_exchange", cost)
