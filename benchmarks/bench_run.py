"""Benchmark one scenario: load, aggregate, build, hand-over, solve and re-solve, against HiGHS alone.

For every independent block (jurisdiction) of the scenario:

- cold path (what `peakplan run` does): time aggregation, Pyomo build, hand-over to HiGHS (standard-form
  compile + passModel) and solve;
- the floor: the same LP written to MPS by HiGHS and solved by a fresh ``highspy.Highs`` with the
  same options (HiGHS's own time on the same LP);
- warm re-solve (the sweep path): raise the first non-fossil target by one percentage point (a
  mutable Param), push its row into the live HiGHS model (``DirectSolver.update_rows``), re-solve
  from the previous basis, and compare with the cold build + hand-over + solve.

    python benchmarks/bench_run.py [scenarios/base.yaml] [--time full|rep:N] [--solver-config F] [--json OUT]

Prints a table and writes JSON (default benchmarks/out/<scenario>-<time>.json). Not a test: timings
vary with the machine; the ratios are what to read.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import highspy
import pyomo.environ as pyo

from peakplan.build import build_model
from peakplan.config import load_scenario
from peakplan.io.load import load_dataset
from peakplan.run import blocks_of, model_size
from peakplan.solve import DirectSolver
from peakplan.time import make_time_index


def highs_alone(mps: Path, options: dict[str, Any]) -> tuple[float, float]:
    """Solve an MPS file with highspy alone; return (HiGHS run time, objective)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for k, v in options.items():
        h.setOptionValue(k, v)
    h.readModel(str(mps))
    t0 = time.perf_counter()
    h.run()
    wall = time.perf_counter() - t0
    return wall, float(h.getInfo().objective_function_value)


def bench_block(data: Any, scenario: Any, block: tuple[str, ...], tmp: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    ti = make_time_index({j: data.timeseries[j] for j in block}, scenario.time)
    aggregate = time.perf_counter() - t0
    built = build_model(data, scenario, ti, block)
    solver = DirectSolver(scenario.solver)
    handover = solver.load(built)
    out = solver.solve(built)
    size = model_size(solver)
    mps = tmp / f"{'_'.join(block)}.mps"
    solver.highs.writeModel(str(mps))
    alone, alone_obj = highs_alone(mps, dict(scenario.solver.options))
    row: dict[str, Any] = dict(block=",".join(block), **size, aggregate_s=aggregate, build_s=built.build_seconds,
                               handover_s=handover, solve_s=out.seconds, highs_in_pyomo_s=out.highs_seconds,
                               highs_alone_s=alone, objective_cny=out.objective_cny,
                               objective_alone_cny=alone_obj / 1e-6)
    nf = [k for k in built.model.TARGET_ROWS if k.startswith("nonfossil_share|")]
    if nf and out.optimal and scenario.time.mode == "rep":
        k = nf[0]
        m = built.model
        t0 = time.perf_counter()
        m.p_target_level[k] = pyo.value(m.p_target_level[k]) + 0.01
        solver.update_rows([(m.c_nonfossil_share[k], m.p_target_level[k])])
        push = time.perf_counter() - t0
        warm = solver.solve(built)
        row.update(resolve_push_s=push, resolve_s=push + warm.seconds, resolve_highs_s=warm.highs_seconds,
                   resolve_iterations=warm.iterations, cold_iterations=out.iterations, resolve_target=k,
                   resolve_objective_cny=warm.objective_cny)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="scenarios/base.yaml")
    ap.add_argument("--time")
    ap.add_argument("--solver-config", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    scenario = load_scenario(args.scenario).with_cli(time=args.time, solver_config=args.solver_config)
    t0 = time.perf_counter()
    data = load_dataset(scenario)
    load_s = time.perf_counter() - t0
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for block in blocks_of(scenario):
            rows.append(bench_block(data, scenario, block, Path(d)))
    tot = {k: sum(r.get(k, 0.0) for r in rows) for k in ("aggregate_s", "build_s", "handover_s", "solve_s",
                                                          "highs_in_pyomo_s", "highs_alone_s", "resolve_s")}
    summary = dict(scenario=scenario.name, time=f"{scenario.time.mode}:{scenario.time.days}", load_s=load_s, **tot,
                   build_over_highs_alone=tot["build_s"] / tot["highs_alone_s"],
                   build_handover_over_highs_alone=(tot["build_s"] + tot["handover_s"]) / tot["highs_alone_s"],
                   solve_over_highs_alone=tot["solve_s"] / tot["highs_alone_s"],
                   cold_over_resolve=(tot["build_s"] + tot["handover_s"] + tot["solve_s"]) / max(tot["resolve_s"], 1e-9))
    hdr = f"{'block':<14}{'vars':>8}{'rows':>8}{'nnz':>9}{'build':>8}{'handov':>8}{'solve':>8}{'HiGHS':>8}{'alone':>8}{'resolve':>8}"
    print(hdr)
    for r in rows:
        print(f"{r['block']:<14}{r['variables']:>8}{r['constraints']:>8}{r['nonzeros']:>9}{r['build_s']:>8.2f}"
              f"{r['handover_s']:>8.2f}{r['solve_s']:>8.2f}{r['highs_in_pyomo_s']:>8.2f}{r['highs_alone_s']:>8.2f}"
              f"{r.get('resolve_s', float('nan')):>8.3f}")
    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in summary.items()}, indent=1))
    out = args.json or Path("benchmarks/out") / f"{scenario.name}-{scenario.time.mode}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "blocks": rows}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
