"""What the inputs say about the base year, and where every input number comes from.

Two products, both built from the input tables only (no model is solved):

* :func:`base_year_balance` applies China's energy accounting (formulation §4, the same terms
  as :mod:`peakplan.build.accounting`) to the base-year inputs of every jurisdiction: coal C,
  gas G, oil O, local non-fossil electricity NFL, net import M and its non-fossil part MNF,
  other non-fossil energy ONF, total energy consumption TEC, non-fossil energy NF and its share,
  CO2, and the energy and CO2 intensities of GDP. It compares TEC, CO2 and NFL with the
  base-year values of ``jurisdiction_year.csv`` (``total_energy_tce``, ``co2_tco2``,
  ``nonfossil_electricity_tce``), which are the bases of the intensity targets and of the
  new-renewables exclusion. :func:`render_report` prints it per jurisdiction with the number of
  plan figures, statistics and estimates in each table (:func:`estimate_shares`);
  ``peakplan inputs report [SCENARIO]``.
* :func:`render_sources` lists every reference cited in the ``source`` columns once
  (plan lines, statistics, sections of the research notes, web addresses, estimate methods),
  with the rows that use it: ``inputs/SOURCES.md``, written by ``peakplan inputs sources``.

Base-year generation of the named units and of the existing wind and solar capacity is not an
input column. It is taken exactly as :mod:`peakplan.estimates` made the base year: the full-load
hours of each named unit in 2020 (:func:`peakplan.estimates.units`, ``hours_2020``) and the
full-load hours of existing wind and PV (:data:`peakplan.estimates.FLH`), applied to the
capacities of the input tables. Biomass co-firing applies from each unit's ``cofire_from_year``
(blank: every year), exactly as the model applies it; Shaoneng's starts in 2025, so the base year
has none (``docs/data.md``).
"""

from __future__ import annotations

import csv
import logging
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from peakplan import estimates
from peakplan.io.load import Dataset
from peakplan.io.schema import TABLES, VRE_TECHS

log = logging.getLogger(__name__)

COAL_TECHS: tuple[str, ...] = ("coal", "coal_chp")
GAS_TECHS: tuple[str, ...] = ("gas",)
FOSSIL_TECHS: tuple[str, ...] = COAL_TECHS + GAS_TECHS
NONFOSSIL_ELECTRIC: tuple[str, ...] = ("biomass", "waste", "hydro")

#: Inputs compared with the computed balance: term -> jurisdiction_year.csv parameter.
CHECKED: dict[str, str] = {
    "TEC": "total_energy_tce",
    "CO2": "co2_tco2",
    "NFL": "nonfossil_electricity_tce",
}

SourceKind = Literal["plan", "statistic", "estimate", "other"]


@dataclass(frozen=True)
class Term:
    """One row of the base-year balance."""

    key: str
    label: str  # English and Chinese
    unit: str
    level: int = 0  # 1: a component of the term above it


#: The rows of the balance, in report order.
TERMS: tuple[Term, ...] = (
    Term("gdp", "GDP 地区生产总值", "亿元"),
    Term("electricity_demand", "electricity consumption 全社会用电量", "MWh"),
    Term("local_generation", "local generation 本地发电量", "MWh", 1),
    Term("net_import_mwh", "net electricity import 净调入电量", "MWh", 1),
    Term("C", "coal 煤炭", "tce"),
    Term("coal_other", "coal outside power units and switch blocks 其他煤炭消费", "tce", 1),
    Term("coal_blocks", "coal of the fuel-switch blocks 可替代工业用煤", "tce", 1),
    Term("coal_units", "coal burnt in power units 发电用煤", "tce", 1),
    Term("G", "natural gas 天然气", "tce"),
    Term("O", "oil 石油", "tce"),
    Term("NFL", "local non-fossil electricity 本地非化石能源电力", "tce"),
    Term("nfl_vre", "wind and solar electricity 风电和光伏发电", "tce", 1),
    Term("nfl_units", "hydro, biomass and waste electricity 水电、生物质和垃圾发电", "tce", 1),
    Term("nfl_cofired", "co-fired biomass (fuel) 掺烧生物质", "tce", 1),
    Term("M", "net electricity import 净调入电力 (× f_pe)", "tce"),
    Term("MNF", "non-fossil part of net import 调入电力中的非化石能源", "tce", 1),
    Term("ONF", "other non-fossil energy 其他非化石能源", "tce"),
    Term("TEC", "total energy consumption 能源消费总量", "tce"),
    Term("NF", "non-fossil energy 非化石能源消费量", "tce"),
    Term("NF_share", "non-fossil share 非化石能源消费比重", "fraction"),
    Term("CO2", "CO2 emissions 二氧化碳排放", "tCO2"),
    Term("co2_fuels", "CO2 of coal, gas and oil 化石能源燃烧排放", "tCO2", 1),
    Term("co2_indirect", "CO2 of net electricity import 调入电力间接排放", "tCO2", 1),
    Term("energy_intensity", "energy intensity 单位地区生产总值能耗", "tce/万元"),
    Term("co2_intensity", "CO2 intensity 单位地区生产总值二氧化碳排放", "tCO2/万元"),
)
TERMS_BY_KEY: dict[str, Term] = {t.key: t for t in TERMS}

BALANCE_COLUMNS: tuple[str, ...] = (
    "jurisdiction", "term", "label", "unit", "computed", "input", "difference", "relative_difference",
)


# ---------------------------------------------------------------------------------------
# Base-year balance
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def unit_hours_base_year() -> dict[str, float]:
    """Full-load hours of each named unit in the base year, as assumed by :mod:`peakplan.estimates`."""
    return {str(u.row["unit_id"]): float(u.hours_2020) for u in estimates.units()}


def _generation_base_year(data: Dataset, j: str) -> tuple[pd.DataFrame, float]:
    """(units of ``j`` with their base-year generation in MWh, existing wind + PV generation in MWh)."""
    y0 = data.base_year
    if y0 != estimates.BASE_YEAR:
        log.warning("base year %s differs from the one of peakplan.estimates (%s): its unit and VRE hours are"
                    " used anyway", y0, estimates.BASE_YEAR)
    hours = unit_hours_base_year()
    units = data.table("units")
    units = units[units.jurisdiction == j].copy()
    gen: list[float] = []
    for _, r in units.iterrows():
        h = hours.get(str(r.unit_id))
        if r.commissioning_year > y0:
            gen.append(0.0)
            continue
        if h is None:
            log.warning("unit %s (%s) has no base-year hours in peakplan.estimates; counted as 0 MWh in %s",
                        r.unit_id, j, y0)
            h = 0.0
        gen.append(float(r.capacity_mw) * h)
    units["generation_mwh"] = gen
    ex = data.table("existing_capacity")
    ex = ex[(ex.jurisdiction == j) & (ex.year == y0) & ex.technology.isin(VRE_TECHS)]
    vre = 0.0
    for _, r in ex.iterrows():
        flh = estimates.FLH.get(str(r.technology))
        if flh is None:
            log.warning("no full-load hours for existing %s of %s; counted as 0 MWh", r.technology, j)
            continue
        vre += float(r.capacity_mw) * flh
    return units, vre


def installed_capacity_rows(data: Dataset, j: str) -> list[list[str]]:
    """Base-year installed capacity by type (named units by technology, existing wind, PV and
    storage) and the peak load implied by the demand and its hourly profile."""
    y0 = data.base_year
    rows: list[list[str]] = []
    units = data.table("units")
    units = units[(units.jurisdiction == j) & (units.commissioning_year <= y0)]
    for tech, g in units.groupby("technology", sort=True):
        rows.append([str(tech), f"{float(g.capacity_mw.sum()):,.0f}", "units.csv: " + ", ".join(map(str, g.unit_id))])
    ex = data.table("existing_capacity")
    ex = ex[(ex.jurisdiction == j) & (ex.year == y0)]
    for tech, g in ex.groupby("technology", sort=True):
        rows.append([str(tech), f"{float(g.capacity_mw.sum()):,.0f}", "existing_capacity.csv"])
    ts = data.timeseries.get(j)
    if ts is not None:
        peak = data.jy(j, y0, "electricity_demand_mwh") / 8760.0 * float(ts.demand_pu.max())
        rows.append(["peak load 最大负荷", f"{peak:,.0f}",
                     "electricity_demand_mwh ÷ 8,760 h × the profile's highest hour (timeseries demand_pu)"])
    return rows


def _balance_terms(data: Dataset, j: str, export_attribution: str, include_indirect: bool,
                   cofire_in_base_year: bool) -> dict[str, float]:
    """Every term of :data:`TERMS` for ``j`` in the base year."""
    y0 = data.base_year
    f = data.sy(y0, "f_pe_tce_per_mwh")
    s_grid = data.sy(y0, "grid_nonfossil_share")
    units, vre_mwh = _generation_base_year(data, j)
    tech = units.technology.astype(str)
    hr = units.heat_rate_tce_per_mwh.fillna(0.0).astype(float)
    started = units.cofire_from_year.isna() | (units.cofire_from_year <= y0)
    phi = units.cofire_share.fillna(0.0).astype(float).where(started | cofire_in_base_year, 0.0)
    gen = units.generation_mwh.astype(float)
    fuel = gen * hr
    is_coal, is_gas = tech.isin(COAL_TECHS), tech.isin(GAS_TECHS)
    is_fossil, is_nf = tech.isin(FOSSIL_TECHS), tech.isin(NONFOSSIL_ELECTRIC)

    blocks = data.table("fuel_switch_blocks")
    t: dict[str, float] = {}
    t["gdp"] = data.jy(j, y0, "gdp_cny") / 1e8
    t["electricity_demand"] = data.jy(j, y0, "electricity_demand_mwh")
    t["local_generation"] = float(gen.sum()) + vre_mwh
    net_imp = t["electricity_demand"] - t["local_generation"]
    t["net_import_mwh"] = net_imp
    t["coal_other"] = data.jy(j, y0, "coal_other_tce")
    t["coal_blocks"] = float(blocks.loc[blocks.jurisdiction == j, "coal_use_tce"].sum())
    t["coal_units"] = float(((1 - phi) * fuel)[is_coal].sum())
    t["C"] = t["coal_other"] + t["coal_blocks"] + t["coal_units"]
    t["G"] = data.jy(j, y0, "gas_final_tce") + float(((1 - phi) * fuel)[is_gas].sum())
    t["O"] = data.jy(j, y0, "oil_final_tce")
    t["nfl_vre"] = vre_mwh * f
    t["nfl_units"] = float(gen[is_nf].sum()) * f
    t["nfl_cofired"] = float((phi * fuel)[is_fossil].sum())
    t["NFL"] = t["nfl_vre"] + t["nfl_units"] + t["nfl_cofired"]
    t["M"] = net_imp * f
    imp, exp = max(net_imp, 0.0), max(-net_imp, 0.0)
    if export_attribution == "grid_average":
        exp_nf = s_grid * exp
    else:  # fossil first: only what exceeds local fossil generation is non-fossil
        fossil_gen = float(((1 - phi) * gen)[is_fossil].sum())
        exp_nf = max(exp - fossil_gen, 0.0)
    t["MNF"] = (imp * s_grid - exp_nf) * f
    t["ONF"] = data.jy(j, y0, "other_nonfossil_tce")
    t["TEC"] = t["C"] + t["G"] + t["O"] + t["NFL"] + t["M"] + t["ONF"]
    t["NF"] = t["NFL"] + t["MNF"] + t["ONF"]
    t["NF_share"] = t["NF"] / t["TEC"] if t["TEC"] else math.nan
    t["co2_fuels"] = (t["C"] * data.sy(y0, "ef_coal_tco2_per_tce") + t["G"] * data.sy(y0, "ef_gas_tco2_per_tce")
                      + t["O"] * data.sy(y0, "ef_oil_tco2_per_tce"))
    t["co2_indirect"] = net_imp * data.sy(y0, "grid_ef_tco2_per_mwh") if include_indirect else 0.0
    t["CO2"] = t["co2_fuels"] + t["co2_indirect"]
    gdp_wan = t["gdp"] * 1e4  # 亿元 -> 万元
    t["energy_intensity"] = t["TEC"] / gdp_wan
    t["co2_intensity"] = t["CO2"] / gdp_wan
    return t


def base_year_balance(data: Dataset, *, export_attribution: str = "fossil_first", include_indirect: bool = True,
                      cofire_in_base_year: bool = False) -> pd.DataFrame:
    """The base-year energy balance of every jurisdiction of ``data`` by formulation §4.

    One row per jurisdiction and term of :data:`TERMS` (columns :data:`BALANCE_COLUMNS`):
    ``computed`` from the input tables; for TEC, CO2 and NFL also the ``input`` value of
    ``jurisdiction_year.csv`` (:data:`CHECKED`), ``difference`` = computed − input and
    ``relative_difference`` = difference / input (blank for the other terms).

    ``export_attribution`` and ``include_indirect`` are the scenario switches of formulation §4;
    ``cofire_in_base_year`` applies every ``cofire_share`` of units.csv in the base year, whatever its
    ``cofire_from_year`` (a counterfactual: the inputs were built with co-firing only from its start year).
    """
    y0 = data.base_year
    rows: list[dict[str, object]] = []
    for j in data.jurisdictions:
        t = _balance_terms(data, j, export_attribution, include_indirect, cofire_in_base_year)
        for term in TERMS:
            inp = math.nan
            if term.key in CHECKED:
                inp = data.jy(j, y0, CHECKED[term.key], default=math.nan)
            diff = t[term.key] - inp
            rows.append({"jurisdiction": j, "term": term.key, "label": term.label, "unit": term.unit,
                         "computed": t[term.key], "input": inp, "difference": diff,
                         "relative_difference": diff / inp if inp else math.nan})
        log.debug("%s %s: TEC %.0f tce, NF share %.4f, CO2 %.0f t", j, y0, t["TEC"], t["NF_share"], t["CO2"])
    return pd.DataFrame(rows, columns=list(BALANCE_COLUMNS))


def balance_value(balance: pd.DataFrame, j: str, term: str, column: str = "computed") -> float:
    """One value of a :func:`base_year_balance` frame."""
    sel = balance[(balance.jurisdiction == j) & (balance.term == term)]
    if sel.empty:
        raise KeyError(f"no term {term!r} for {j!r}")
    return float(sel[column].iloc[0])


# ---------------------------------------------------------------------------------------
# Plan figures, statistics, estimates
# ---------------------------------------------------------------------------------------


def source_kind(source: str | None) -> SourceKind:
    """Kind of a ``source`` text by its prefix: plan (``seeds/``), ``statistic:``, ``estimate:``."""
    s = (source or "").strip()
    if s.startswith("seeds/"):
        return "plan"
    if s.startswith("statistic:"):
        return "statistic"
    if s.startswith("estimate:"):
        return "estimate"
    return "other"


def _has_estimated_number(source: str | None) -> bool:
    """A plan-cited row whose number is nevertheless an estimate (the clause is followed by ``estimate:``)."""
    return source_kind(source) == "plan" and "estimate:" in (source or "")


ESTIMATE_SHARE_COLUMNS: tuple[str, ...] = (
    "table", "jurisdiction", "rows", "plan", "statistic", "estimate", "other", "plan_with_estimated_number",
)


def _timeseries_sources(root: Path, jurisdictions: Iterable[str] | None = None) -> pd.DataFrame | None:
    path = root / "timeseries" / "sources.csv"
    if not path.is_file():
        return None
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if jurisdictions is not None and "jurisdiction" in df.columns:
        df = df[df.jurisdiction.isin(list(jurisdictions))]
    return df


def estimate_shares(data: Dataset) -> pd.DataFrame:
    """Rows per table (and jurisdiction, where the table has one) by kind of source.

    Columns :data:`ESTIMATE_SHARE_COLUMNS`: ``plan`` (``seeds/`` prefix), ``statistic``,
    ``estimate``, ``other`` (none in valid inputs) sum to ``rows``;
    ``plan_with_estimated_number`` counts the plan rows whose number is an estimate attached to
    a plan clause (a subset of ``plan``). Tables without a jurisdiction column have
    jurisdiction ``"all"``. ``timeseries/sources.csv`` is included when present.
    """
    frames: list[tuple[str, pd.DataFrame]] = [(t.file, data.table(t.name)) for t in TABLES if t.name in data.tables]
    ts = _timeseries_sources(data.root, data.jurisdictions)
    if ts is not None:
        frames.append(("timeseries/sources.csv", ts))
    rows: list[dict[str, object]] = []
    for file, df in frames:
        groups = df.groupby("jurisdiction", sort=True) if "jurisdiction" in df.columns else [("all", df)]
        for j, g in groups:
            kinds = [source_kind(s) for s in g.source]
            rows.append({
                "table": file, "jurisdiction": str(j), "rows": len(g),
                **{k: kinds.count(k) for k in ("plan", "statistic", "estimate", "other")},
                "plan_with_estimated_number": sum(_has_estimated_number(s) for s in g.source),
            })
    return pd.DataFrame(rows, columns=list(ESTIMATE_SHARE_COLUMNS))


# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------


def _fmt(v: float, unit: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if unit == "fraction":
        return f"{100 * v:.2f} %"
    if unit == "亿元":
        return f"{v:,.1f}"
    if "/" in unit:
        return f"{v:.4f}"
    return f"{v:,.0f}"


def _table(header: list[str], rows: list[list[str]], align: str | None = None) -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _names(data: Dataset) -> dict[str, str]:
    js = data.table("jurisdictions")
    return {str(r.jurisdiction): f"{r.name_zh} {r.name_en}" for _, r in js.iterrows()}


def _shares_rows(shares: pd.DataFrame) -> list[list[str]]:
    out = []
    for _, r in shares.iterrows():
        out.append([str(r.table), str(r.rows), str(r.plan), str(r.plan_with_estimated_number), str(r.statistic),
                    str(r.estimate)] + ([str(r.other)] if r.other else []))
    return out


_SHARE_HEADER = ["table", "rows", "plan 规划", "of which estimated number", "statistic 统计", "estimate 估算"]


def render_report(data: Dataset, *, export_attribution: str = "fossil_first", include_indirect: bool = True,
                  cofire_in_base_year: bool = False, model_accounting: pd.DataFrame | None = None) -> str:
    """Readable (markdown) report of the base-year balance, its check against the inputs and the estimate counts.

    ``model_accounting`` (from :func:`peakplan.base_year.model_base_year_accounting`) adds the base year as the
    model's own ledger computes it, next to the inputs.
    """
    y0 = data.base_year
    bal = base_year_balance(data, export_attribution=export_attribution, include_indirect=include_indirect,
                            cofire_in_base_year=cofire_in_base_year)
    shares = estimate_shares(data)
    names = _names(data)
    f = data.sy(y0, "f_pe_tce_per_mwh")
    out = [
        f"# Base year {y0}: energy balance of the inputs",
        "",
        f"Inputs: `{data.root}`. Every term below is computed from the input tables by China's energy accounting"
        " (formulation §4): coal, gas and oil in tce; electricity by the power-generation coal-consumption method"
        f" (发电煤耗法, f_pe {f} tce/MWh); the non-fossil part of a net import at the grid share"
        f" {data.sy(y0, 'grid_nonfossil_share')}; export attribution {export_attribution}; CO2"
        f" {'with' if include_indirect else 'without'} the indirect emissions of the net import (grid factor"
        f" {data.sy(y0, 'grid_ef_tco2_per_mwh')} tCO2/MWh). The {y0} generation of the named units and of existing"
        " wind and PV is not an input column: it uses the full-load hours of `peakplan.estimates`"
        f" (units: `units()` hours_2020; wind/PV: FLH), with co-firing"
        f" {'at every cofire_share of units.csv' if cofire_in_base_year else 'from each unit’s cofire_from_year'}"
        f" in {y0}.",
        "",
        "## Summary",
        "",
    ]
    summ = []
    for j in data.jurisdictions:
        v = {t: balance_value(bal, j, t) for t in ("TEC", "NF_share", "energy_intensity", "CO2", "co2_intensity")}
        worst = max(abs(balance_value(bal, j, t, "relative_difference")) for t in CHECKED)
        summ.append([f"{j} {names.get(j, '')}".strip(), _fmt(v["TEC"], "tce"), _fmt(v["NF_share"], "fraction"),
                     _fmt(v["energy_intensity"], "tce/万元"), _fmt(v["CO2"], "tCO2"),
                     _fmt(v["co2_intensity"], "tCO2/万元"), f"{100 * worst:.3f} %"])
    out += _table(["jurisdiction", "total energy consumption 能源消费总量 (tce)", "non-fossil share 非化石能源消费比重",
                   "energy intensity 单位GDP能耗 (tce/万元)", "CO2 二氧化碳排放 (tCO2)", "CO2 intensity (tCO2/万元)",
                   "largest difference to the inputs"], summ)
    out.append("")
    if model_accounting is not None:
        out += [f"## {y0} by the model's own accounting (build/accounting.py)", "",
                "The model built for the base year alone, every decision at its base-year quantity (no investment,"
                " units and existing wind/PV at their base-year generation, net import = demand − local generation),"
                " its ledger evaluated: the same code that accounts the milestone years.", ""]
        ma = model_accounting.set_index(["jurisdiction", "term"]).value
        rows = []
        for j in data.jurisdictions:
            worst = max(abs(float(ma[(j, t)]) - data.jy(j, y0, CHECKED[t])) / abs(data.jy(j, y0, CHECKED[t]))
                        for t in ("TEC", "CO2", "NFL"))
            rows.append([f"{j} {names.get(j, '')}".strip(), _fmt(float(ma[(j, "TEC")]), "tce"),
                         _fmt(float(ma[(j, "NF_share")]), "fraction"), _fmt(float(ma[(j, "CO2")]), "tCO2"),
                         f"{100 * worst:.4f} %"])
        out += _table(["jurisdiction", "TEC (tce)", "non-fossil share", "CO2 (tCO2)",
                       "largest difference to jurisdiction_year.csv (TEC, CO2, NFL)"], rows)
        out.append("")
    for j in data.jurisdictions:
        sub = bal[bal.jurisdiction == j]
        out += [f"## {j} {names.get(j, '')}".rstrip(), "", f"### {y0} energy balance (formulation §4)", ""]
        rows = []
        for _, r in sub.iterrows():
            term = TERMS_BY_KEY[str(r.term)]
            label = ("  · " if term.level else "") + term.label
            key = r.term if term.key.isupper() or term.key in ("NF_share",) else ""
            rows.append([label, str(key), _fmt(float(r.computed), term.unit), term.unit])
        out += _table(["term 项目", "symbol", "value", "unit"], rows, "llrl")
        out += ["", "TEC = C + G + O + NFL + M + ONF; NF = NFL + MNF + ONF; non-fossil share = NF / TEC.", ""]
        out += [f"### {y0} installed capacity 装机容量 and peak load 最大负荷", ""]
        out += _table(["type 类型", "MW", "from"], installed_capacity_rows(data, j), "lrl")
        out += ["", "### check against jurisdiction_year.csv", ""]
        rows = []
        for term, param in CHECKED.items():
            r = sub[sub.term == term].iloc[0]
            rows.append([f"{TERMS_BY_KEY[term].label} ({term} ↔ `{param}`)", _fmt(float(r.computed), "tce"),
                         _fmt(float(r.input), "tce"), f"{float(r.difference):+,.1f}",
                         f"{100 * float(r.relative_difference):+.4f} %"])
        out += _table(["quantity", "computed", "input", "difference", "difference %"], rows)
        out += ["", "### inputs by kind of source", ""]
        sj = shares[shares.jurisdiction == j]
        out += _table(_SHARE_HEADER, _shares_rows(sj))
        jy = data.table("jurisdiction_year")
        jy0 = jy[(jy.jurisdiction == j) & (jy.year == y0)].sort_values("parameter")
        out += ["", f"### {y0} values of jurisdiction_year.csv", ""]
        out += _table(["parameter", "value", "kind of source"],
                      [[str(r.parameter), f"{float(r.value):,.0f}", source_kind(r.source)] for _, r in jy0.iterrows()],
                      "lrl")
        out.append("")
    rest = shares[shares.jurisdiction == "all"]
    if not rest.empty:
        out += ["## Tables without a jurisdiction", ""]
        out += _table(_SHARE_HEADER, _shares_rows(rest))
        out.append("")
    tot = shares[["rows", "plan", "statistic", "estimate", "other", "plan_with_estimated_number"]].sum()
    out += [f"All tables: {tot['rows']} rows: {tot['plan']} plan figures ({tot['plan_with_estimated_number']} of them"
            f" with an estimated number), {tot['statistic']} statistics, {tot['estimate']} estimates"
            + (f", {tot['other']} of unknown kind" if tot["other"] else "") + ".", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# Sources list
# ---------------------------------------------------------------------------------------

_OPEN, _CLOSE = "([（【", ")]）】"
_SEED_RE = re.compile(
    r"seeds/(?P<file>[\w.-]+?\.txt) (?P<lines>L\d+(?:-L?\d+)?(?:, L\d+(?:-L?\d+)?)*)(?P<clause>: [^;()（）]+)?")
_LINE_SEG_RE = re.compile(r"^(?:repeated |also )?L(?P<line>\d+(?:-L?\d+)?): (?P<clause>.+)$")
_URL_RE = re.compile(r"https?://(?:[^\s,;()（）]|,(?=\S)|\([^\s()]*\))+")
_DATAMD_RE = re.compile(r"data\.md §(?P<secs>\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?(?:/§\d+(?:\.\d+)?)*(?: item \d+)?)")
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")
_PROTECT_RE = re.compile(rf"{_URL_RE.pattern}|seeds/[\w.-]+?\.txt|\bL\d+(?:-L?\d+)?|§\s?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class SourceRow:
    """One row of an input table: where it is and its ``source`` text."""

    file: str
    line: int  # line in the CSV file (header = 1)
    key: str
    source: str


@dataclass
class _Entry:
    """A reference and the rows citing it."""

    texts: list[str] = field(default_factory=list)
    uses: list[SourceRow] = field(default_factory=list)

    def add(self, row: SourceRow, text: str | None = None) -> None:
        if text and text not in self.texts:
            self.texts.append(text)
        if row not in self.uses:
            self.uses.append(row)


def read_source_rows(inputs_dir: Path) -> list[SourceRow]:
    """The ``source`` of every row of every table of ``inputs_dir`` and of ``timeseries/sources.csv``."""
    specs: list[tuple[str, tuple[str, ...]]] = [(t.file, t.key) for t in TABLES]
    specs.append(("timeseries/sources.csv", ("jurisdiction", "series")))
    out: list[SourceRow] = []
    for file, key in specs:
        path = inputs_dir / file
        if not path.is_file():
            log.warning("%s not found; its sources are not listed", path)
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            for i, r in enumerate(csv.DictReader(fh), start=2):
                k = " ".join(str(r.get(c, "")) for c in key if r.get(c))
                out.append(SourceRow(file, i, k, (r.get("source") or "").strip()))
    return out


def split_top(text: str, sep: str = ";") -> list[str]:
    """Split ``text`` at ``sep`` outside brackets (ASCII and full-width), stripping each part."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch == sep and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def _line_key(spec: str) -> str:
    spec = spec if spec.startswith("L") else f"L{spec}"
    return re.sub(r"-(\d)", r"-L\1", spec)


def _line_order(spec: str) -> tuple[int, str]:
    m = re.match(r"L(\d+)", spec)
    return (int(m.group(1)) if m else 0, spec)


def _plan_refs(source: str) -> list[tuple[str, str, str | None]]:
    """(plan file, line, quoted clause or None) of every plan line cited in ``source``."""
    refs: list[tuple[str, str, str | None]] = []
    segs = split_top(source)
    if segs and segs[0].startswith("seeds/"):
        m = _SEED_RE.match(segs[0])
        if m:
            file = m.group("file")
            head, _, clause = segs[0].partition(": ")
            lines = [_line_key(s) for s in m.group("lines").split(", ")]
            refs += [(file, ln, clause.strip() or None) for ln in lines]
            for seg in segs[1:]:
                if seg.startswith("estimate:"):
                    break
                sm = _LINE_SEG_RE.match(seg)
                if sm:
                    refs.append((file, _line_key(sm.group("line")), sm.group("clause").strip()))
    for m in _SEED_RE.finditer(source):
        if m.start() == 0:
            continue
        clause = m.group("clause")
        for ln in m.group("lines").split(", "):
            refs.append((m.group("file"), _line_key(ln), clause[2:].strip() if clause else None))
    return refs


def _statistic_document(statement: str) -> str:
    """The reference part of a statistic: its web address(es), else the bracket naming the document."""
    urls = _URL_RE.findall(statement)
    if urls:
        return " ".join(dict.fromkeys(urls))
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(statement):
        if ch in _OPEN:
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append(statement[start:i])
    named = [g for g in groups if "data.md" in g or "http" in g]
    return (named or groups or [statement])[0].strip()


def _data_md_sections(source: str) -> list[str]:
    out = []
    for m in _DATAMD_RE.finditer(source):
        secs = m.group("secs")
        item = re.search(r" item \d+$", secs)
        if item:
            out.append(f"§{secs}")
            continue
        out += [f"§{s}" for s in secs.split("/§")]
    return out


def _section_order(sec: str) -> tuple[float, ...]:
    nums = [float(n) for n in re.findall(r"\d+", sec)]
    return tuple(nums)


def _method_key(method: str) -> str:
    """Estimate text with its numbers blanked (plan lines, research sections and web addresses kept)."""
    out, last = [], 0
    for m in _PROTECT_RE.finditer(method):
        out.append(_NUM_RE.sub("#", method[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_NUM_RE.sub("#", method[last:]))
    return "".join(out)


def _line_ranges(lines: list[int]) -> str:
    lines = sorted(set(lines))
    parts: list[str] = []
    start = prev = lines[0]
    for n in lines[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}" if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


_FILE_ORDER = {t.file: i for i, t in enumerate(TABLES)} | {"timeseries/sources.csv": len(TABLES)}


def _uses(uses: list[SourceRow], max_keys: int = 6) -> str:
    by_file: dict[str, list[SourceRow]] = defaultdict(list)
    for u in uses:
        by_file[u.file].append(u)
    parts = []
    for file in sorted(by_file, key=lambda f: _FILE_ORDER.get(f, 99)):
        rows = sorted(by_file[file], key=lambda u: u.line)
        if len(rows) <= max_keys:
            parts.append(f"`{file}`: " + "; ".join(u.key for u in rows))
        else:
            parts.append(f"`{file}`: {len(rows)} rows (lines {_line_ranges([u.line for u in rows])})")
    return " · ".join(parts)


def _md(text: str) -> str:
    """Text safe inside a markdown list item (no emphasis by ``*``)."""
    return text.replace("*", "\\*")


def render_sources(inputs_dir: Path) -> str:
    """``inputs/SOURCES.md``: every reference cited by the ``source`` columns once, with the rows using it."""
    inputs_dir = Path(inputs_dir)
    rows = read_source_rows(inputs_dir)
    plans: dict[tuple[str, str], _Entry] = defaultdict(_Entry)
    stats: dict[str, _Entry] = defaultdict(_Entry)
    research: dict[str, _Entry] = defaultdict(_Entry)
    urls: dict[str, _Entry] = defaultdict(_Entry)
    methods: dict[str, _Entry] = defaultdict(_Entry)
    for r in rows:
        s = r.source
        for file, ln, clause in _plan_refs(s):
            plans[(file, ln)].add(r, clause)
        kind = source_kind(s)
        if kind == "statistic":
            statement = split_top(s[len("statistic:"):])[0]
            stats[_statistic_document(statement)].add(r, statement)
        for sec in _data_md_sections(s):
            research[sec].add(r)
        for u in _URL_RE.findall(s):
            urls[u.rstrip(".")].add(r)
        if kind == "estimate":
            method = s[len("estimate:"):].strip()
        elif "estimate:" in s:
            method = s[s.index("estimate:") + len("estimate:"):].strip()
        else:
            method = ""
        if method:
            methods[_method_key(method)].add(r, method)

    plan_names: dict[str, str] = {}
    jpath = inputs_dir / "jurisdictions.csv"
    if jpath.is_file():
        with open(jpath, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                plan_names[r["plan_file"]] = f"{r['name_zh']} {r['name_en']} ({r['jurisdiction']})"

    files = sorted({r.file for r in rows}, key=lambda f: _FILE_ORDER.get(f, 99))
    kinds = [source_kind(r.source) for r in rows]
    out = [
        "# inputs/ — sources",
        "",
        "Generated from the `source` columns of the input tables by `peakplan inputs sources`; do not edit by hand.",
        f"{len(rows)} rows in {len(files)} files ({', '.join(f'`{f}`' for f in files)}):"
        f" {kinds.count('plan')} cite a plan line (`seeds/`), {kinds.count('statistic')} a public statistic"
        f" (`statistic:`), {kinds.count('estimate')} are estimates (`estimate:`)"
        + (f", {kinds.count('other')} have no recognised prefix" if kinds.count("other") else "") + ".",
        "Each reference is listed once in its section, with the rows that cite it (table key, or CSV line"
        " numbers with the header as line 1). `data.md` is `shared/research/data.md`; plan files are in"
        " `shared/seeds/`.",
        "",
        f"- [Plans](#plans): {len(plans)} plan lines in {len({f for f, _ in plans})} plans",
        f"- [Public statistics](#public-statistics): {len(stats)} references",
        f"- [Research notes](#research-notes-datamd): {len(research)} sections of data.md",
        f"- [Web addresses](#web-addresses): {len(urls)}",
        f"- [Estimates](#estimates): {len(methods)} methods",
        "",
        "## Plans",
        "",
    ]
    by_file: dict[str, list[str]] = defaultdict(list)
    for file, ln in plans:
        by_file[file].append(ln)
    for file in sorted(by_file):
        name = plan_names.get(file, "")
        out += [f"### seeds/{file}" + (f" — {name}" if name else ""), ""]
        for ln in sorted(by_file[file], key=_line_order):
            e = plans[(file, ln)]
            quote = " / ".join(f"「{_md(t)}」" for t in e.texts) if e.texts else "(line cited without a quotation)"
            out.append(f"- **{ln}** {quote} — {_uses(e.uses)}")
        out.append("")
    out += ["## Public statistics", "",
            "Rows whose source starts with `statistic:`; one entry per document (web address or named source).", ""]
    for doc in sorted(stats, key=str.lower):
        e = stats[doc]
        out.append(f"- **{_md(doc)}** — " + " / ".join(_md(t) for t in e.texts) + f" — {_uses(e.uses)}")
    out += ["", "## Research notes (data.md)", "",
            "Every section of `shared/research/data.md` cited anywhere in a source (statistics and the inputs of"
            " estimates).", ""]
    for sec in sorted(research, key=_section_order):
        out.append(f"- **data.md {sec}** — {_uses(research[sec].uses)}")
    out += ["", "## Web addresses", ""]
    for u in sorted(urls):
        out.append(f"- <{u}> — {_uses(urls[u].uses)}")
    out += ["", "## Estimates", "",
            "Estimate methods (the text after `estimate:`, also where a plan clause is followed by an estimated"
            " number), grouped when they differ only in their numbers; the first text of each group is shown.", ""]
    order = sorted(methods, key=lambda k: min((_FILE_ORDER.get(u.file, 99), u.line) for u in methods[k].uses))
    for k in order:
        e = methods[k]
        more = f" ({len(e.texts)} variants differing in their numbers)" if len(e.texts) > 1 else ""
        out += [f"- {_md(e.texts[0])}{more}", f"  — {_uses(e.uses)}"]
    out.append("")
    return "\n".join(out)
