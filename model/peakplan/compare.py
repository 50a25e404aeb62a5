"""Compare runs and sweeps: tables and bilingual plots (``peakplan compare``).

Runs (folders with ``manifest.yaml``) are compared with a baseline run (the first one unless
``baseline`` is given): discounted cost, annual cost by component, capacity mix, targets
(required, achieved, marginal cost) — each as a CSV with the difference to the baseline, and as
a plot. Sweeps (folders with ``summary.csv``) get, per target axis, the cost-of-ambition curve
(total cost and marginal cost against the target level, per jurisdiction) and, over all axes,
a tornado chart of the objective's sensitivity:

- on a grid, each axis moves from its lowest to its highest value with every other axis held at
  its middle value (the one-at-a-time range of the objective);
- on random draws, each bar is a least-squares slope of the objective on that axis times half
  its range, on either side of the mean (all axes fitted together).

Labels are bilingual (中文 English) when a CJK font is installed (Noto Sans CJK, WenQuanYi,
SimHei, Microsoft YaHei, PingFang, Source Han Sans); otherwise English only, with one warning.
Every file is written atomically; the list of written files is returned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from peakplan.config import ConfigError
from peakplan.io.atomic import atomic_text, atomic_write

log = logging.getLogger(__name__)

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN")
COST_TABLE_SKIP = ("total_annual", "discounted_total", "objective_discounted_total")
JUR_ZH = {"linxiang": "临湘市", "xiangtan": "湘潭市", "lixian": "澧县", "leiyang": "耒阳市",
          "yueyang_etdz": "岳阳经开区"}
TARGET_ZH = {"nonfossil_share": "非化石能源消费比重", "energy_intensity": "能耗强度下降",
             "co2_intensity": "碳排放强度下降", "gas_share": "天然气消费比重", "new_energy_capacity": "新能源装机",
             "new_energy_additions": "新增新能源装机", "curtailment": "弃电率", "gas_min": "天然气消费量",
             "coal_cap": "煤炭消费上限", "storage_pairing": "储能配比"}
# targets whose level is a fraction: plotted in percent, marginal cost per percentage point
FRACTION_TARGETS = ("nonfossil_share", "gas_share", "curtailment", "energy_intensity", "co2_intensity")


@dataclass
class RunData:
    """One run folder: its manifest and result tables."""

    name: str
    path: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def objective(self) -> float | None:
        v = self.manifest.get("objective_cny")
        return float(v) if v is not None else None


@dataclass
class SweepData:
    """One sweep folder: its summary and (when present) the axes it varied."""

    name: str
    path: Path
    summary: pd.DataFrame
    axes: list[dict[str, Any]]
    draws: int = 0


def load_result(path: Path) -> RunData | SweepData:
    """Read a run or sweep folder; a folder that is neither raises :class:`ConfigError`."""
    path = Path(path)
    if (path / "summary.csv").is_file():
        summary = pd.read_csv(path / "summary.csv")
        spec: dict[str, Any] = {}
        if (path / "sweep.yaml").is_file():
            spec = yaml.safe_load((path / "sweep.yaml").read_text(encoding="utf-8")) or {}
        axes = list(spec.get("axes") or [])
        if not axes:  # no spec: every column before status is an axis
            cols = list(summary.columns)
            axes = [{"name": c, "kind": "unknown"} for c in cols[1:cols.index("status")]] if "status" in cols else []
        return SweepData(str(spec.get("name", path.name)), path, summary, axes, int(spec.get("draws") or 0))
    if (path / "manifest.yaml").is_file():
        manifest = yaml.safe_load((path / "manifest.yaml").read_text(encoding="utf-8")) or {}
        tables = {}
        for t in ("costs", "capacity", "targets", "emissions"):
            f = path / f"{t}.csv"
            if f.is_file():
                tables[t] = pd.read_csv(f)
        return RunData(path.name, path, manifest, tables)
    raise ConfigError(f"{path}: neither a run folder (manifest.yaml) nor a sweep folder (summary.csv)")


# -- labels and fonts --------------------------------------------------------------------------
_CJK: str | None | bool = False  # False: not looked up yet


def _cjk_font() -> str | None:
    global _CJK
    if _CJK is False:
        from matplotlib import font_manager

        names = {f.name for f in font_manager.fontManager.ttflist}
        _CJK = next((n for n in CJK_FONTS if n in names), None)
        if _CJK is None:
            log.warning("no CJK font found (%s): plot labels are in English only; install e.g. fonts-noto-cjk",
                        ", ".join(CJK_FONTS[:4]))
    return _CJK  # type: ignore[return-value]


def label(zh: str, en: str) -> str:
    """``中文 English`` when a CJK font is available, else ``English``."""
    return f"{zh} {en}" if _cjk_font() else en


TECH_ZH = {"solar_utility": "集中式光伏", "solar_rooftop": "分布式光伏", "wind_onshore": "风电", "battery": "电化学储能",
           "pumped_hydro": "抽水蓄能", "compressed_air": "压缩空气储能", "gas_peaker": "燃气调峰", "gas_ccgt": "燃气联合循环",
           "coal": "煤电", "coal_chp": "热电联产", "hydro": "水电", "biomass": "生物质发电", "waste": "垃圾发电"}


def _colors(n: int) -> list[Any]:
    """n distinct colours (tab10 up to 10, tab20 up to 20, then a continuous map)."""
    from matplotlib import colormaps

    name = "tab10" if n <= 10 else "tab20" if n <= 20 else "turbo"
    cmap = colormaps[name]
    return [cmap(i) for i in range(n)] if n <= 20 else [cmap(i / max(n - 1, 1)) for i in range(n)]


def _tech(t: str) -> str:
    return label(TECH_ZH[t], t) if t in TECH_ZH else t


def _jur(j: str) -> str:
    return label(JUR_ZH.get(j, ""), j) if j in JUR_ZH else j


def _figure(width: float = 8.0, height: float = 4.5, rows: int = 1) -> Any:
    from matplotlib.figure import Figure

    font = _cjk_font()
    fig = Figure(figsize=(width, height * rows), layout="constrained")
    if font:
        import matplotlib

        matplotlib.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
        matplotlib.rcParams["axes.unicode_minus"] = False
    return fig


# -- atomic writing ----------------------------------------------------------------------------
def _csv(df: pd.DataFrame, path: Path) -> Path:
    return atomic_write(path, lambda p: df.to_csv(p, index=False, float_format="%.10g", lineterminator="\n"))


def _png(fig: Any, path: Path) -> Path:
    return atomic_write(path, lambda p: fig.savefig(p, dpi=130, format="png"))


# -- runs --------------------------------------------------------------------------------------
def compare_runs(runs: list[RunData], baseline: RunData, out: Path) -> list[Path]:
    """Tables and plots of several runs against ``baseline``."""
    written: list[Path] = []
    names = [r.name for r in runs]
    if len(set(names)) != len(names):  # two folders of the same name: tell them apart by parent
        for r in runs:
            r.name = f"{r.path.parent.name}/{r.name}"
    base_name = baseline.name

    # objective
    obj = pd.DataFrame([{"run": r.name, "status": r.manifest.get("status"), "objective_cny": r.objective}
                        for r in runs])
    b = baseline.objective
    obj["delta_vs_baseline_cny"] = obj.objective_cny - b if b is not None else np.nan
    obj["delta_vs_baseline_pct"] = 100 * obj.delta_vs_baseline_cny / b if b else np.nan
    written.append(_csv(obj, out / "objective.csv"))

    def stack(table: str, keys: list[str], value: str, filt: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
        frames = []
        for r in runs:
            t = r.tables.get(table)
            if t is None or t.empty:
                continue
            t = filt(t.copy())
            g = t.groupby(keys, dropna=False, sort=True)[value].sum().reset_index()
            g.insert(0, "run", r.name)
            frames.append(g)
        if not frames:
            return pd.DataFrame(columns=["run", *keys, value])
        df = pd.concat(frames, ignore_index=True)
        base = df[df.run == base_name].drop(columns="run").rename(columns={value: f"baseline_{value}"})
        df = df.merge(base, on=keys, how="left")
        df[f"delta_{value}"] = df[value] - df[f"baseline_{value}"].fillna(0.0)
        return df

    costs = stack("costs", ["year", "component"], "cost_cny",
                  lambda t: t[(t.jurisdiction != "all") & ~t.component.isin(COST_TABLE_SKIP)])
    written.append(_csv(costs, out / "costs.csv"))
    cap = stack("capacity", ["year", "technology"], "capacity_mw", lambda t: t)
    written.append(_csv(cap, out / "capacity.csv"))
    tg_frames = []
    for r in runs:
        t = r.tables.get("targets")
        if t is not None and not t.empty:
            t = t[["jurisdiction", "year", "target", "technology", "required", "achieved", "binding", "dual",
                   "dual_unit"]].copy()
            t.insert(0, "run", r.name)
            tg_frames.append(t)
    targets = pd.concat(tg_frames, ignore_index=True) if tg_frames else pd.DataFrame()
    if not targets.empty:
        keys = ["jurisdiction", "year", "target", "technology"]
        targets["technology"] = targets["technology"].fillna("")
        base = targets[targets.run == base_name][keys + ["achieved", "dual"]].rename(
            columns={"achieved": "baseline_achieved", "dual": "baseline_dual"})
        targets = targets.merge(base, on=keys, how="left")
        targets["delta_achieved"] = targets.achieved - targets.baseline_achieved
    written.append(_csv(targets, out / "targets.csv"))

    last = max((int(y) for y in costs.year.dropna()), default=None) if not costs.empty else None
    written += _plot_runs(runs, obj, costs, cap, targets, last, out)
    written.append(atomic_text(out / "compare.md", _render_runs_md(obj, base_name)))
    return written


def _plot_runs(runs: list[RunData], obj: pd.DataFrame, costs: pd.DataFrame, cap: pd.DataFrame,
               targets: pd.DataFrame, year: int | None, out: Path) -> list[Path]:
    written = []
    names = [r.name for r in runs]
    x = np.arange(len(names))
    # discounted cost, and annual cost by component in the last milestone year
    fig = _figure(rows=2)
    ax1, ax2 = fig.subplots(2, 1)
    ax1.bar(x, [v / 1e8 if v == v and v is not None else 0 for v in obj.objective_cny], color="#4c72b0")
    ax1.set_xticks(x, names, rotation=15, ha="right")
    ax1.set_ylabel(label("折现总成本 (亿元)", "discounted cost (100 M CNY)"))
    ax1.set_title(label("总成本对比", "total cost by run"))
    if year is not None and not costs.empty:
        c = costs[costs.year == year].pivot_table(index="run", columns="component", values="cost_cny",
                                                  aggfunc="sum").reindex(names).fillna(0.0) / 1e8
        c = c.loc[:, (c.abs() > 1e-6).any(axis=0)]  # components that are zero in every run add nothing
        pos = np.zeros(len(names))
        neg = np.zeros(len(names))
        colors = _colors(len(c.columns))
        for comp, color in zip(c.columns, colors):
            v = c[comp].to_numpy()
            ax2.bar(x, v, bottom=np.where(v >= 0, pos, neg), label=comp, color=color)
            pos += np.where(v >= 0, v, 0)
            neg += np.where(v < 0, v, 0)
        ax2.set_xticks(x, names, rotation=15, ha="right")
        ax2.set_ylabel(label(f"{year}年 年度成本 (亿元)", f"annual cost {year} (100 M CNY)"))
        ax2.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    written.append(_png(fig, out / "costs.png"))
    # capacity mix in the last milestone year
    if year is not None and not cap.empty:
        fig = _figure()
        ax = fig.subplots()
        c = cap[cap.year == year].pivot_table(index="run", columns="technology", values="capacity_mw",
                                              aggfunc="sum").reindex(names).fillna(0.0)
        c = c.loc[:, (c.abs() > 1e-6).any(axis=0)]
        bottom = np.zeros(len(names))
        for tech, color in zip(c.columns, _colors(len(c.columns))):
            ax.bar(x, c[tech].to_numpy(), bottom=bottom, label=_tech(str(tech)), color=color)
            bottom += c[tech].to_numpy()
        ax.set_xticks(x, names, rotation=15, ha="right")
        ax.set_ylabel(label(f"{year}年 装机 (MW)", f"capacity {year} (MW)"))
        ax.set_title(label("装机结构", "capacity mix"))
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        written.append(_png(fig, out / "capacity.png"))
    # non-fossil share and its marginal cost per jurisdiction and year
    if not targets.empty and (targets.target == "nonfossil_share").any():
        t = targets[targets.target == "nonfossil_share"]
        keys = sorted({(j, int(y)) for j, y in zip(t.jurisdiction, t.year)})
        fig = _figure(width=max(8.0, 0.9 * len(keys)), rows=2)
        ax1, ax2 = fig.subplots(2, 1)
        xk = np.arange(len(keys))
        wdt = 0.8 / max(1, len(names))
        for i, n in enumerate(names):
            s = t[t.run == n].set_index(["jurisdiction", "year"])
            ach = [100 * float(s.loc[k, "achieved"]) if k in s.index else np.nan for k in keys]
            dual = [float(s.loc[k, "dual"]) / 1e6 if k in s.index and s.loc[k, "dual"] == s.loc[k, "dual"] else 0.0
                    for k in keys]
            ax1.bar(xk + i * wdt, ach, wdt, label=n)
            ax2.bar(xk + i * wdt, dual, wdt, label=n)
        req = t[t.run == names[0]].set_index(["jurisdiction", "year"])
        ax1.scatter(xk + 0.4 - wdt / 2, [100 * float(req.loc[k, "required"]) if k in req.index else np.nan
                                         for k in keys], marker="_", s=400, color="black",
                    label=label("目标", "required"), zorder=3)
        ticks = [f"{_jur(j)}\n{y}" for j, y in keys]
        ax1.set_xticks(xk + 0.4 - wdt / 2, ticks, fontsize=7)
        ax2.set_xticks(xk + 0.4 - wdt / 2, ticks, fontsize=7)
        ax1.set_ylabel(label("非化石能源比重 (%)", "non-fossil share (%)"))
        ax2.set_ylabel(label("边际成本 (百万元/百分点/年)", "marginal cost (M CNY per pp per yr)"))
        ax1.legend(fontsize=7)
        written.append(_png(fig, out / "targets.png"))
    return written


def _render_runs_md(obj: pd.DataFrame, base: str) -> str:
    lines = [f"# 方案对比 / run comparison (baseline 基准: {base})", "",
             "| 方案 run | 状态 status | 折现总成本 discounted cost (亿元) | 差额 Δ vs baseline (亿元) | Δ % |",
             "|---|---|---|---|---|"]
    for _, r in obj.iterrows():
        v = r.objective_cny
        d = r.delta_vs_baseline_cny
        lines.append(f"| {r.run} | {r.status} | {v / 1e8:,.2f} | {d / 1e8:+,.2f} | {r.delta_vs_baseline_pct:+.2f} |"
                     if v == v and v is not None and d == d else f"| {r.run} | {r.status} | — | — | — |")
    lines += ["", "Tables: objective.csv, costs.csv, capacity.csv, targets.csv; plots: costs.png, capacity.png, "
              "targets.png.", ""]
    return "\n".join(lines)


# -- sweeps ------------------------------------------------------------------------------------
def ambition_table(sw: SweepData, axis: dict[str, Any]) -> pd.DataFrame:
    """Cost of ambition along one target axis: level, total cost, finite-difference and dual marginal cost.

    Rows per (other-axes combination, jurisdiction): ``level``, ``objective_cny``, ``marginal_fd_cny``
    (Δ objective ÷ Δ level between neighbouring levels, discounted CNY per unit of level — per
    percentage point for fractions) and ``dual`` (the target's marginal cost in the run's dual unit,
    per year of the milestone year).
    """
    s = sw.summary[sw.summary.status.isin(["optimal", "elastic"])].copy()
    name = axis["name"]
    others = [a["name"] for a in sw.axes if a["name"] != name and a["name"] in s.columns]
    target = axis.get("target", "")
    year = axis.get("year", "all")
    jur = axis.get("jurisdiction", "all")
    dual_cols = [c for c in s.columns if c.startswith(f"dual:{target}:")
                 and (jur == "all" or c.split(":")[2] == jur) and (year == "all" or c.split(":")[3] == str(year))]
    per = 100.0 if target in FRACTION_TARGETS else 1.0
    rows = []
    groups = s.groupby(others, dropna=False) if others else [((), s)]
    for key, g in groups:
        g = g.sort_values(name)
        lv = g[name].to_numpy(dtype=float)
        ob = g.objective_cny.to_numpy(dtype=float)
        fd = np.full(len(g), np.nan)
        if len(g) > 1:
            fd[1:] = np.diff(ob) / (np.diff(lv) * per)
        ctx = dict(zip(others, key if isinstance(key, tuple) else (key,)))
        for dc in (dual_cols or [None]):  # type: ignore[list-item]
            for i in range(len(g)):
                rows.append({**ctx, "level": lv[i], "jurisdiction": dc.split(":")[2] if dc else jur,
                             "year": dc.split(":")[3] if dc else year, "objective_cny": ob[i],
                             "marginal_fd_cny": fd[i], "dual": float(g[dc].iloc[i]) if dc else np.nan})
    return pd.DataFrame(rows)


def tornado_table(sw: SweepData) -> pd.DataFrame:
    """Objective sensitivity to each axis: low and high effect (CNY) against a reference point."""
    s = sw.summary[sw.summary.status.isin(["optimal", "elastic"])]
    names = [a["name"] for a in sw.axes if a["name"] in s.columns]
    if s.empty or not names:
        return pd.DataFrame(columns=["axis", "low_value", "high_value", "low_cny", "high_cny", "reference_cny"])
    rows = []
    if sw.draws:
        x = s[names].to_numpy(dtype=float)
        y = s.objective_cny.to_numpy(dtype=float)
        xm = x.mean(axis=0)
        design = np.column_stack([np.ones(len(x)), x - xm])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        ref = float(coef[0])
        declared = {a["name"]: a.get("range") for a in sw.axes}
        for i, n in enumerate(names):
            rng = declared.get(n)  # the range the draws came from; else what was drawn
            lo, hi = (float(rng[0]), float(rng[1])) if rng else (float(x[:, i].min()), float(x[:, i].max()))
            rows.append({"axis": n, "low_value": lo, "high_value": hi, "low_cny": coef[i + 1] * (lo - xm[i]),
                         "high_cny": coef[i + 1] * (hi - xm[i]), "reference_cny": ref, "method": "regression"})
    else:
        mid = {n: sorted(s[n].unique())[(len(s[n].unique()) - 1) // 2] for n in names}
        ref_rows = s
        for n in names:
            ref_rows = ref_rows[ref_rows[n] == mid[n]]
        ref = float(ref_rows.objective_cny.iloc[0]) if len(ref_rows) else float(s.objective_cny.median())
        for n in names:
            g = s
            for o in names:
                if o != n:
                    g = g[g[o] == mid[o]]
            if len(g) < 2:
                continue
            g = g.sort_values(n)
            rows.append({"axis": n, "low_value": float(g[n].iloc[0]), "high_value": float(g[n].iloc[-1]),
                         "low_cny": float(g.objective_cny.iloc[0]) - ref,
                         "high_cny": float(g.objective_cny.iloc[-1]) - ref, "reference_cny": ref,
                         "method": "one_at_a_time"})
    df = pd.DataFrame(rows)
    if not df.empty:
        df["swing_cny"] = (df.high_cny - df.low_cny).abs()
        df = df.sort_values("swing_cny", ascending=False, kind="stable").reset_index(drop=True)
    return df


def compare_sweep(sw: SweepData, out: Path) -> list[Path]:
    """Cost-of-ambition curves per target axis and the tornado chart of one sweep."""
    written: list[Path] = []
    prefix = sw.name.replace("/", "_")
    for axis in sw.axes:
        if axis.get("kind") != "target" or (sw.draws and len(sw.axes) > 1):
            continue  # on random draws over several axes no two points share the other axes: no curve
        t = ambition_table(sw, axis)
        if t.empty:
            continue
        written.append(_csv(t, out / f"{prefix}_{axis['name']}_ambition.csv"))
        written.append(_plot_ambition(t, axis, out / f"{prefix}_{axis['name']}_ambition.png"))
    tor = tornado_table(sw)
    if not tor.empty:
        written.append(_csv(tor, out / f"{prefix}_tornado.csv"))
        written.append(_plot_tornado(tor, sw, out / f"{prefix}_tornado.png"))
    return written


def _plot_ambition(t: pd.DataFrame, axis: dict[str, Any], path: Path) -> Path:
    target = axis.get("target", "")
    frac = target in FRACTION_TARGETS
    scale = 100.0 if frac else 1.0
    fig = _figure(rows=2)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    others = [c for c in t.columns if c not in ("level", "jurisdiction", "year", "objective_cny", "marginal_fd_cny",
                                                "dual")]
    groups = list(t.groupby(others, dropna=False)) if others else [((), t)]
    for key, g in groups[:8]:
        tag = ", ".join(f"{o}={v:g}" for o, v in zip(others, key if isinstance(key, tuple) else (key,)))
        first = g.drop_duplicates("level")
        ax1.plot(first.level * scale, first.objective_cny / 1e8, marker="o", label=tag or None)
        for (j, y), gj in g.groupby(["jurisdiction", "year"]):
            if gj.dual.notna().any():
                ax2.plot(gj.level * scale, gj.dual / 1e6, marker="o",
                         label=f"{_jur(str(j))} {y}" + (f" ({tag})" if tag else ""))
        if not g.dual.notna().any():
            ax2.plot(first.level * scale, first.marginal_fd_cny / 1e6, marker="o", linestyle="--",
                     label=label("差分", "finite difference") + (f" ({tag})" if tag else ""))
    name_zh = TARGET_ZH.get(target, target)
    unit = "%" if frac else ""
    ax2.set_xlabel(label(f"{name_zh}目标 ({unit})", f"{target} target ({unit})") if unit
                   else label(f"{name_zh}目标", f"{target} target"))
    ax1.set_ylabel(label("折现总成本 (亿元)", "discounted cost (100 M CNY)"))
    ax2.set_ylabel(label("边际成本 (百万元/单位/年)", "marginal cost (M CNY per unit per yr)") if not frac else
                   label("边际成本 (百万元/百分点/年)", "marginal cost (M CNY per pp per yr)"))
    ax1.set_title(label("目标成本曲线", "cost of ambition") + f": {axis['name']}")
    if ax1.get_legend_handles_labels()[0]:
        ax1.legend(fontsize=7)
    if ax2.get_legend_handles_labels()[0]:
        ax2.legend(fontsize=7)
    return _png(fig, path)


def _plot_tornado(tor: pd.DataFrame, sw: SweepData, path: Path) -> Path:
    fig = _figure(height=max(2.5, 0.6 * len(tor) + 1.5))
    ax = fig.subplots()
    y = np.arange(len(tor))[::-1]
    ax.barh(y, tor.low_cny / 1e8, color="#55a868", label=label("低值", "low value"))
    ax.barh(y, tor.high_cny / 1e8, color="#c44e52", label=label("高值", "high value"))
    ax.set_yticks(y, [f"{r.axis}\n[{r.low_value:g} … {r.high_value:g}]" for r in tor.itertuples()], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ref = float(tor.reference_cny.iloc[0])
    how = (label("回归", "regression on draws") if sw.draws else label("单因素", "one at a time"))
    ax.set_xlabel(label("相对参考点的折现总成本变化 (亿元)", "change of discounted cost vs reference (100 M CNY)")
                  + f"; ref {ref / 1e8:,.1f}")
    ax.set_title(label("敏感性", "sensitivity") + f" ({how}): {sw.name}")
    ax.legend(fontsize=7)
    return _png(fig, path)


# -- entry point -------------------------------------------------------------------------------
def compare(paths: list[Path], baseline: Path | None = None, out_dir: Path = Path("results/compare")) -> list[Path]:
    """Compare the given run and sweep folders; write tables and plots to ``out_dir``."""
    loaded = [load_result(Path(p)) for p in paths]
    runs = [x for x in loaded if isinstance(x, RunData)]
    sweeps = [x for x in loaded if isinstance(x, SweepData)]
    base: RunData | None = None
    if baseline is not None:
        b = load_result(Path(baseline))
        if not isinstance(b, RunData):
            raise ConfigError(f"{baseline}: --baseline must be a run folder (manifest.yaml), not a sweep")
        base = next((r for r in runs if r.path.resolve() == b.path.resolve()), None)
        if base is None:
            runs.insert(0, b)
            base = b
    out = Path(out_dir)
    written: list[Path] = []
    if runs:
        written += compare_runs(runs, base or runs[0], out)
    for sw in sweeps:
        written += compare_sweep(sw, out)
    if not written:
        log.warning("nothing to compare")
    return written


__all__ = ["RunData", "SweepData", "ambition_table", "compare", "compare_runs", "compare_sweep", "label",
           "load_result", "tornado_table"]
