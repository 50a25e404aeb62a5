"""Objective: discounted, annualised system cost from the cost ledger (formulation §6).

``e_cost_cny[j,y,c]`` is each registered annual cost component (undiscounted CNY/yr);
``obj_total_cost`` minimises Σ_y DF_y · n_y · Σ_j Σ_c e_cost_cny[j,y,c], scaled by 1e-6 (million CNY)
for the solver's numerics; :data:`OBJ_SCALE` converts back.
"""

from __future__ import annotations

import pyomo.environ as pyo

from peakplan.build.context import BuildContext
from peakplan.build.terms import SystemTerms

OBJ_SCALE = 1e-6  # objective units per CNY


def add_to_model(m: pyo.ConcreteModel, ctx: BuildContext, terms: SystemTerms) -> None:
    """Add the cost expressions and the objective."""
    m.COST_COMPONENTS = pyo.Set(initialize=list(terms.costs), ordered=True, doc="cost components c")
    m.e_cost_cny = pyo.Expression(m.JURISDICTIONS, m.YEARS, m.COST_COMPONENTS,
                                  rule=lambda mm, j, y, c: terms.costs[c](j, y),
                                  doc="annual cost of component c (CNY/yr, undiscounted)")
    m.p_discount_weight = pyo.Param(m.YEARS, initialize={y: ctx.df[y] * ctx.n_years[y] for y in ctx.years},
                                    doc="DF_y · n_y (-)")
    m.obj_total_cost = pyo.Objective(
        expr=OBJ_SCALE * sum(m.p_discount_weight[y] * m.e_cost_cny[j, y, c]
                             for j in m.JURISDICTIONS for y in m.YEARS for c in m.COST_COMPONENTS),
        sense=pyo.minimize,
        doc="min Σ_y DF_y n_y Σ_j Σ_c cost (million CNY)",
    )
