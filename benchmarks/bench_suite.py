"""The solve-loop benchmark suite (issue 4): cold path, 50-point sweeps, workers, growth with size.

    python benchmarks/bench_suite.py [--sections cold,sweep,workers,days,jurisdictions,synthetic,full]
                                     [--out benchmarks/out/suite.json]

Sections (all by default except ``full`` and ``full_sweep``, which take minutes):

- ``cold``: bench_run on the base scenario — load, aggregate, build, hand-over, solve per block,
  and the same LP from MPS solved by highspy alone (the floor).
- ``sweep``: two 50-point sweeps over the base scenario (5 jurisdictions, rep:12) with one worker:
  ``targets`` — every jurisdiction's 2030 non-fossil share from 25.0 % in 0.2-point steps (levels
  pushed into the live models); ``mixed`` — 10 non-fossil levels × 5 gas prices (a gas price
  change rebuilds and diffs the models). Per point: wall time against HiGHS's own run time
  (``getRunTime`` around ``run``: the re-solve floor on the same modified LP).
- ``workers``: the ``targets`` sweep with 1, 2 and N = cpu_count workers (process pool).
- ``days``: one jurisdiction (Leiyang) at 6, 12, 24, 48 representative days: build, hand-over,
  HiGHS (dual simplex); with ``full`` also 96 days and the full year (HiPO).
- ``jurisdictions``: 1 → 5 jurisdictions, as independent blocks and coupled into one LP by a
  shared import limit (rep:12).
- ``synthetic``: 50 synthetic jurisdictions (peakplan.synthetic), rep:12, 1 and 2 workers.
- ``full_sweep``: a 4-point full-year sweep of Linxiang with ``solver_configs/highs_ipm_sweep.yaml``
  (HiPO + crossover for the first point, warm dual simplex after).

Prints a Markdown report and writes JSON. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_run import bench_block  # noqa: E402

from peakplan.config import load_scenario  # noqa: E402
from peakplan.io.load import load_dataset  # noqa: E402
from peakplan.run import blocks_of, run_scenario  # noqa: E402
from peakplan.sweep import load_sweep, run_sweep  # noqa: E402
from peakplan.synthetic import make_synthetic_inputs  # noqa: E402

BASE = ROOT / "scenarios" / "base.yaml"


def _sweep_file(tmp: Path, name: str, axes: str, jurisdictions: str = "") -> Path:
    p = tmp / f"{name}.yaml"
    p.write_text(f"name: {name}\nbase: {BASE}\n{jurisdictions}axes:\n{axes}", encoding="utf-8")
    return p


TARGET_AXIS = ("  - {name: nf2030, kind: target, target: nonfossil_share, jurisdiction: all, year: 2030, values: "
               + str([round(0.25 + 0.002 * i, 4) for i in range(50)]) + "}\n")
MIXED_AXES = ("  - {name: nf2030, kind: target, target: nonfossil_share, jurisdiction: all, year: 2030, values: "
              + str([round(0.25 + 0.01 * i, 3) for i in range(10)]) + "}\n"
              "  - {name: gas_price, kind: override, table: system_year, where: {parameter: gas_price_cny_per_tce},"
              " column: value, op: scale, values: [0.8, 0.9, 1.0, 1.1, 1.2]}\n")


def timed_sweep(path: Path, out: Path, workers: int = 1) -> dict[str, Any]:
    """Run a sweep; per-point wall time in the warm phase from the times points finished."""
    stamps: list[float] = []
    res = run_sweep(load_sweep(path), workers=workers, out_dir=out, progress=lambda p: stamps.append(p.elapsed_s))
    s = res.summary
    cold = s.build_s > 0  # points that built (and loaded) a model: a worker's first point, or a structure change
    warm = s[~cold]
    n = len(s)
    span = stamps[-1] - stamps[min(workers, n) - 1] if n > workers else float("nan")
    warm_wall = span / max(n - workers, 1)  # after every worker's first (cold) point
    highs_warm = float(warm.highs_s.mean()) if len(warm) else float("nan")
    return {"points": n, "optimal": int((s.status == "optimal").sum()), "workers": workers,
            "wall_s": round(res.seconds, 2), "wall_per_point_s": round(res.seconds / max(n, 1), 4),
            "cold_points": int(cold.sum()), "first_point_s": round(stamps[0], 3) if stamps else None,
            "warm_wall_per_point_s": round(warm_wall, 4), "warm_highs_per_point_s": round(highs_warm, 4),
            "warm_wall_over_highs": round(warm_wall / highs_warm, 2) if highs_warm == highs_warm else None,
            "warm_extract_per_point_s": round(float(warm.extract_s.mean()), 4) if len(warm) else None,
            "blocks_solved_per_point": round(float(s.blocks_solved.mean()), 2)}


def highs_only_replay(path: Path) -> dict[str, Any]:
    """HiGHS's own re-solve time for a target sweep: the same level changes pushed into the same
    live LPs, in the same order, and ``run()`` — no extraction, no writing, nothing else running."""
    from peakplan.build import build_model
    from peakplan.solve import DirectSolver
    from peakplan.sweep import points, run_order
    from peakplan.time import make_time_index

    sweep = load_sweep(path)
    scen = sweep.base
    data = load_dataset(scen)
    live = []
    for block in blocks_of(scen):
        ti = make_time_index({j: data.timeseries[j] for j in block}, scen.time)
        built = build_model(data, scen, ti, block)
        solver = DirectSolver(scen.solver)
        solver.load_values = False
        solver.load(built)
        solver.solve(built)
        live.append((built, solver))
    per_point, push = [], []
    for p in run_order(sweep, points(sweep))[1:]:
        total = 0.0
        for built, solver in live:
            m = built.model
            changes = []
            for r in built.targets:
                for a in sweep.target_axes:
                    if a.matches(r.key) and float(m.p_target_level[r.key].value) != float(p.as_dict[a.name]):
                        m.p_target_level[r.key] = float(p.as_dict[a.name])
                        changes.append((getattr(m, f"c_{r.target}")[r.key], m.p_target_level[r.key]))
            if changes:
                t0 = time.perf_counter()
                solver.update_rows(changes)
                push.append(time.perf_counter() - t0)
                h = solver.highs
                before = h.getRunTime()
                h.run()
                total += h.getRunTime() - before
        per_point.append(total)
    return {"points": len(per_point), "highs_per_point_s": round(float(np.mean(per_point)), 4),
            "highs_median_s": round(float(np.median(per_point)), 4),
            "push_per_point_s": round(float(np.sum(push)) / max(len(per_point), 1), 4)}


def section_cold(tmp: Path) -> dict[str, Any]:
    scen = load_scenario(BASE)
    t0 = time.perf_counter()
    data = load_dataset(scen)
    load_s = time.perf_counter() - t0
    rows = [bench_block(data, scen, b, tmp) for b in blocks_of(scen)]
    tot = {k: round(sum(r.get(k, 0.0) for r in rows), 3) for k in
           ("aggregate_s", "build_s", "handover_s", "solve_s", "highs_in_pyomo_s", "highs_alone_s", "resolve_s")}
    t0 = time.perf_counter()
    run = run_scenario(scen)
    run_s = time.perf_counter() - t0
    return {"load_s": round(load_s, 3), **tot, "run_scenario_s": round(run_s, 2), "objective_cny": run.objective_cny,
            "build_over_highs_alone": round(tot["build_s"] / tot["highs_alone_s"], 3),
            "build_handover_over_highs_alone": round((tot["build_s"] + tot["handover_s"]) / tot["highs_alone_s"], 3),
            "cold_over_warm_resolve": round((tot["build_s"] + tot["handover_s"] + tot["solve_s"])
                                            / max(tot["resolve_s"], 1e-9), 1), "blocks": rows}


def section_sweep(tmp: Path) -> dict[str, Any]:
    out = {}
    for name, axes in (("targets", TARGET_AXIS), ("mixed", MIXED_AXES)):
        out[name] = timed_sweep(_sweep_file(tmp, f"bench_{name}", axes), tmp / f"sw_{name}")
    alone = highs_only_replay(_sweep_file(tmp, "bench_targets", TARGET_AXIS))
    out["targets"]["highs_alone_per_point_s"] = alone["highs_per_point_s"]
    out["targets"]["warm_wall_over_highs_alone"] = round(out["targets"]["warm_wall_per_point_s"]
                                                         / alone["highs_per_point_s"], 2)
    return out


def section_workers(tmp: Path) -> dict[str, Any]:
    out = {}
    n_cpu = os.cpu_count() or 1
    for w in sorted({1, 2, n_cpu}):
        out[f"workers_{w}"] = timed_sweep(_sweep_file(tmp, "bench_targets", TARGET_AXIS), tmp / f"sw_w{w}", w)
    base = out["workers_1"]["wall_s"]
    for k, v in out.items():
        v["speedup"] = round(base / v["wall_s"], 2)
    return out


def _block_times(scen: Any) -> dict[str, Any]:
    t0 = time.perf_counter()
    res = run_scenario(scen)
    wall = time.perf_counter() - t0
    t = {k: round(sum(float(b.timings.get(k, 0.0)) for b in res.blocks), 3)
         for k in ("aggregate", "build", "handover", "highs", "extract")}
    size = {k: sum(int(b.model_size.get(k, 0)) for b in res.blocks) for k in ("variables", "constraints", "nonzeros")}
    return {"wall_s": round(wall, 2), **t, **size, "status": res.status, "objective_cny": res.objective_cny}


def section_days(full: bool) -> dict[str, Any]:
    base = load_scenario(BASE).with_cli(jurisdictions=("leiyang",))
    out = {}
    for d in (6, 12, 24, 48) + ((96,) if full else ()):
        out[f"rep:{d}"] = _block_times(base.with_cli(time=f"rep:{d}"))
    if full:
        out["full"] = _block_times(base.with_cli(time="full", solver_config=ROOT / "solver_configs" / "highs_ipm.yaml"))
    return out


def section_jurisdictions() -> dict[str, Any]:
    base = load_scenario(BASE)
    order = ("linxiang", "lixian", "yueyang_etdz", "leiyang", "xiangtan")
    out = {}
    for n in range(1, 6):
        sel = order[:n]
        indep = _block_times(base.with_cli(jurisdictions=sel))
        coupled = base.with_cli(jurisdictions=sel)
        coupled = replace(coupled, policy=replace(coupled.policy, shared_import_cap_mw=1e7),
                          time=replace(coupled.time, aggregation="joint"))
        out[str(n)] = {"independent": indep, "coupled": _block_times(coupled)}
    return out


def section_full_sweep(tmp: Path) -> dict[str, Any]:
    """Full-year sweep on one block: HiPO + crossover first, then warm dual-simplex re-solves."""
    path = tmp / "full_sweep.yaml"
    path.write_text(f"""name: full_sweep
base: {BASE}
jurisdictions: [linxiang]
time: full
solver_config: {ROOT / 'solver_configs' / 'highs_ipm_sweep.yaml'}
axes:
  - {{name: nf2030, kind: target, target: nonfossil_share, jurisdiction: linxiang, year: 2030,
     values: [0.30, 0.33, 0.36, 0.39]}}
""", encoding="utf-8")
    res = run_sweep(load_sweep(path), out_dir=tmp / "sw_full")
    s = res.summary
    return {"wall_s": round(res.seconds, 1), "points": [
        {"nf2030": float(r.nf2030), "status": r.status, "objective_cny": r.objective_cny, "point_s": r.point_s,
         "highs_s": r.highs_s, "build_s": r.build_s, "iterations": int(r.iterations)} for r in s.itertuples()]}


def section_synthetic(tmp: Path) -> dict[str, Any]:
    ids = make_synthetic_inputs(ROOT / "inputs", tmp / "syn50", 50)
    base = replace(load_scenario(BASE), inputs=tmp / "syn50").with_cli(jurisdictions=tuple(ids))
    out = {}
    for w in (1, 2):
        out[f"workers_{w}"] = _block_times(base.with_cli(workers=w))
    return out


def report(res: dict[str, Any]) -> str:
    lines = ["# peakplan benchmark suite", ""]
    if "cold" in res:
        c = res["cold"]
        lines += ["## Cold path, base scenario (5 jurisdictions × 2 years × 12 rep days)", "",
                  "| load | aggregate | build | hand-over | HiGHS in peakplan | HiGHS alone (MPS) | run_scenario |",
                  "|---|---|---|---|---|---|---|",
                  f"| {c['load_s']} | {c['aggregate_s']} | {c['build_s']} | {c['handover_s']} | "
                  f"{c['highs_in_pyomo_s']} | {c['highs_alone_s']} | {c['run_scenario_s']} |", "",
                  f"build / HiGHS alone = {c['build_over_highs_alone']}; (build + hand-over) / HiGHS alone = "
                  f"{c['build_handover_over_highs_alone']}; cold (build + hand-over + solve) / warm re-solve = "
                  f"{c['cold_over_warm_resolve']}", ""]
    if "sweep" in res:
        lines += ["## 50-point sweeps, base scenario, 1 worker", "",
                  "| sweep | wall s | first point s | warm: wall per point s | HiGHS per point s | wall / HiGHS | "
                  "extract per point s | cold points | blocks solved per point |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for k, v in res["sweep"].items():
            lines.append(f"| {k} | {v['wall_s']} | {v['first_point_s']} | {v['warm_wall_per_point_s']} | "
                         f"{v['warm_highs_per_point_s']} | {v['warm_wall_over_highs']} | "
                         f"{v['warm_extract_per_point_s']} | {v['cold_points']} | {v['blocks_solved_per_point']} |")
        t = res["sweep"]["targets"]
        lines += ["", f"HiGHS alone, replaying the target sweep's changes on the same live LPs (no extraction, "
                  f"no writing): {t['highs_alone_per_point_s']} s per point; warm sweep wall per point / HiGHS "
                  f"alone = {t['warm_wall_over_highs_alone']}.", ""]
    if "workers" in res:
        lines += ["## Workers (the 50-point target sweep)", "",
                  "| workers | wall s | speed-up | warm wall per point s | warm HiGHS per point s |", "|---|---|---|---|---|"]
        for k, v in res["workers"].items():
            lines.append(f"| {k.split('_')[1]} | {v['wall_s']} | {v['speedup']} | {v['warm_wall_per_point_s']} | "
                         f"{v['warm_highs_per_point_s']} |")
        lines.append("")
    for sec, title in (("days", "Growth with time steps (Leiyang)"),):
        if sec in res:
            lines += [f"## {title}", "", "| time | columns | nonzeros | build s | hand-over s | HiGHS s | wall s |",
                      "|---|---|---|---|---|---|---|"]
            for k, v in res[sec].items():
                lines.append(f"| {k} | {v['variables']:,} | {v['nonzeros']:,} | {v['build']} | {v['handover']} | "
                             f"{v['highs']} | {v['wall_s']} |")
            lines.append("")
    if "jurisdictions" in res:
        lines += ["## Growth with jurisdictions (rep:12)", "",
                  "| n | independent: columns | build s | HiGHS s | wall s | coupled: columns | build s | HiGHS s | wall s |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for n, v in res["jurisdictions"].items():
            i, c = v["independent"], v["coupled"]
            lines.append(f"| {n} | {i['variables']:,} | {i['build']} | {i['highs']} | {i['wall_s']} | "
                         f"{c['variables']:,} | {c['build']} | {c['highs']} | {c['wall_s']} |")
        lines.append("")
    if "full_sweep" in res:
        lines += ["## Full-year sweep, Linxiang (HiPO + crossover, then warm dual simplex)", "",
                  "| nf2030 | status | objective CNY | point s | HiGHS s | iterations |", "|---|---|---|---|---|---|"]
        for p in res["full_sweep"]["points"]:
            lines.append(f"| {p['nf2030']} | {p['status']} | {p['objective_cny']:,.0f} | {p['point_s']} | "
                         f"{p['highs_s']} | {p['iterations']} |")
        lines.append("")
    if "synthetic" in res:
        lines += ["## 50 synthetic jurisdictions (rep:12)", "",
                  "| workers | columns | build s | HiGHS s | wall s |", "|---|---|---|---|---|"]
        for k, v in res["synthetic"].items():
            lines.append(f"| {k.split('_')[1]} | {v['variables']:,} | {v['build']} | {v['highs']} | {v['wall_s']} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sections", default="cold,sweep,workers,days,jurisdictions,synthetic")
    ap.add_argument("--full", action="store_true", help="add 96 days and the full year to the days section")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "suite.json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    sections = args.sections.split(",")
    res: dict[str, Any] = {"machine": {"cpus": os.cpu_count()}}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for s in sections:
            t0 = time.perf_counter()
            if s == "cold":
                res[s] = section_cold(tmp)
            elif s == "sweep":
                res[s] = section_sweep(tmp)
            elif s == "workers":
                res[s] = section_workers(tmp)
            elif s == "days":
                res[s] = section_days(args.full)
            elif s == "jurisdictions":
                res[s] = section_jurisdictions()
            elif s == "synthetic":
                res[s] = section_synthetic(tmp)
            elif s == "full_sweep":
                res[s] = section_full_sweep(tmp)
            else:
                ap.error(f"unknown section {s!r}")
            print(f"[{s}: {time.perf_counter() - t0:.0f} s]", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1, default=lambda o: float(o) if isinstance(o, np.floating) else str(o)))
    md = report(res)
    args.out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
