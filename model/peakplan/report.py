"""Bilingual (中文 / English) summary of a run for planners: ``summary.md`` in the result folder.

Per jurisdiction and milestone year: every target with what the plan requires, what the least-cost
plan achieves and what tightening it by one unit costs; the capacity built; the energy balance in
China's statistical convention; the annual cost. Plots and run comparison come with the sweep tools.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

NAMES_ZH = {
    "linxiang": "临湘市", "xiangtan": "湘潭市", "lixian": "澧县", "leiyang": "耒阳市", "yueyang_etdz": "岳阳经开区",
}
TARGET_LABEL = {
    "nonfossil_share": "非化石能源消费比重 non-fossil share",
    "energy_intensity": "单位GDP能耗下降 energy-intensity reduction",
    "co2_intensity": "单位GDP二氧化碳排放下降 CO2-intensity reduction",
    "new_energy_capacity": "新能源装机 new-energy capacity",
    "new_energy_additions": "新增新能源装机 new-energy additions",
    "curtailment": "弃风弃光率 curtailment",
    "gas_share": "天然气消费比重 gas share",
    "gas_min": "天然气消费量 gas use",
    "coal_cap": "煤炭消费上限 coal cap",
    "storage_pairing": "新能源配储 storage pairing",
    "committed_capacity": "规划项目 committed projects",
    "committed_energy": "规划储能容量 committed storage energy",
}
TECH_LABEL = {
    "solar_utility": "集中式/农光互补光伏 utility PV", "solar_rooftop": "屋顶/分布式光伏 rooftop PV",
    "wind_onshore": "风电 onshore wind", "battery": "电化学储能 battery", "pumped_hydro": "抽水蓄能 pumped hydro",
    "compressed_air": "压缩空气储能 compressed air", "gas_peaker": "燃气调峰 gas peaker", "gas_ccgt": "燃气联合循环 gas CCGT",
}
TERM_LABEL = {
    "coal": "煤炭 coal", "gas": "天然气 natural gas", "oil": "石油 oil",
    "nonfossil_local": "本地非化石能源（发电煤耗法） local non-fossil",
    "net_import": "净调入电力 net electricity import", "import_nonfossil": "其中非化石 of which non-fossil",
    "other_nonfossil": "其他非化石能源 other non-fossil",
    "total_energy_consumption": "能源消费总量 total energy consumption", "nonfossil": "非化石能源 non-fossil energy",
}
SHARE_TARGETS = {"nonfossil_share", "energy_intensity", "co2_intensity", "curtailment", "gas_share"}


def _fmt(target: str, v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if target in SHARE_TARGETS:
        return f"{100 * v:.1f} %"
    if math.isinf(v):
        return "∞"
    return f"{v:,.0f}"


def render_summary(tables: dict[str, pd.DataFrame], manifest: dict) -> str:
    """Markdown summary of a run, bilingual."""
    status = manifest.get("status")
    obj = manifest.get("objective_cny")
    out = [f"# peakplan 结果摘要 / result summary — {manifest.get('scenario')}", "",
           f"- 状态 status: **{status}**",
           f"- 折现总成本 discounted total cost: **{obj / 1e8:,.2f} 亿元 (100 million CNY)**" if obj is not None
           else "- 折现总成本 discounted total cost: —", ""]
    for d in manifest.get("diagnosis") or []:
        out.append(f"- ⚠ {d}")
    targets, cap = tables["targets"], tables["capacity"]
    empty = {k: v.iloc[0:0] for k, v in tables.items()}
    split = {k: dict(tuple(tables[k].groupby("jurisdiction", sort=False))) for k in
             ("targets", "capacity", "energy_balance", "costs")}
    for j in dict.fromkeys(list(targets.jurisdiction) + list(cap.jurisdiction)):
        out += ["", f"## {NAMES_ZH.get(j, j)} {j}", ""]
        t = split["targets"].get(j, empty["targets"]).sort_values(["year", "target"], kind="stable")
        if not t.empty:
            out += ["| 年份 year | 目标 target | 要求 required | 最优方案 achieved | 边际成本 marginal cost |",
                    "|---|---|---|---|---|"]
            for r in t.itertuples(index=False):
                label = TARGET_LABEL.get(r.target, r.target) + (f" ({r.technology})" if isinstance(r.technology, str)
                                                               and r.technology else "")
                dual = "—" if pd.isna(r.dual) else f"{r.dual:,.0f} {r.dual_unit}"
                out.append(f"| {r.year} | {label} | {_fmt(r.target, r.required)} | {_fmt(r.target, r.achieved)} | {dual} |")
        cj = split["capacity"].get(j, empty["capacity"])
        c = cj[cj.unit_id.isna() | (cj.unit_id == "")]
        c = c[c.technology.isin(TECH_LABEL) & (c.capacity_mw > 0.05)]
        if not c.empty:
            out += ["", "| 年份 year | 技术 technology | 新建 new MW | 总装机 total MW |", "|---|---|---|---|"]
            for r in c.itertuples(index=False):
                out.append(f"| {r.year} | {TECH_LABEL[r.technology]} | {r.new_mw:,.0f} | {r.capacity_mw:,.0f} |")
        u = cj[cj.unit_id.notna() & (cj.unit_id != "")]
        u = u[(u.retired_mw > 0.05) | (u.retrofitted_mw.fillna(0) > 0.05) | (u.repowered_mw.fillna(0) > 0.05)]
        if not u.empty:
            out += ["", "| 年份 year | 机组 unit | 关停 retired MW | 节能改造 retrofitted MW | 改燃气 repowered MW |",
                    "|---|---|---|---|---|"]
            for r in u.itertuples(index=False):
                out.append(f"| {r.year} | {r.unit_id} | {r.retired_mw:,.0f} | {r.retrofitted_mw or 0:,.0f} | "
                           f"{r.repowered_mw or 0:,.0f} |")
        ej = split["energy_balance"].get(j, empty["energy_balance"])
        e = ej[ej.term.isin(TERM_LABEL)]
        if not e.empty:
            years = sorted(set(e.year))
            out += ["", "| 能源平衡 energy balance (万吨标准煤 10⁴ tce) | " + " | ".join(str(y) for y in years) + " |",
                    "|---|" + "---|" * len(years)]
            by = {(t, y): float(v) for t, y, v in zip(e.term, e.year, e.energy_tce)}
            for term, label in TERM_LABEL.items():
                out.append(f"| {label} | " + " | ".join(f"{by[term, y] / 1e4:,.2f}" if (term, y) in by else "—"
                                                       for y in years) + " |")
        kj = split["costs"].get(j, empty["costs"])
        k = kj[kj.component == "total_annual"]
        if not k.empty:
            out += ["", "年度成本 annual cost: " + "; ".join(f"{int(r.year)}: {r.cost_cny / 1e8:,.2f} 亿元"
                                                          for r in k.itertuples(index=False))]
    out.append("")
    return "\n".join(out)


def write_summary_md(run_dir: str | Path) -> Path:
    """Render ``summary.md`` of a result folder from its tables and manifest (written atomically)."""
    import yaml

    from peakplan.config import ConfigError
    from peakplan.io.atomic import atomic_text

    run_dir = Path(run_dir)
    mf = run_dir / "manifest.yaml"
    if not mf.is_file():
        raise ConfigError(f"{run_dir}: not a run folder (no manifest.yaml)")
    manifest = yaml.safe_load(mf.read_text(encoding="utf-8")) or {}
    tables = {k: pd.read_csv(run_dir / f"{k}.csv") for k in ("targets", "capacity", "energy_balance", "costs")}
    return atomic_text(run_dir / "summary.md", render_summary(tables, manifest))
