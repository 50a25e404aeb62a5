"""One run of a scenario: inputs → time steps → build → solve → diagnose → result tables.

Jurisdictions are independent LPs unless the scenario couples them (a shared import limit);
each independent block is built and solved on its own — in parallel with ``workers`` > 1 —
because simplex time grows much faster than linearly with size. With the default
``time.aggregation: per_block`` each block's representative days come from its own profiles,
so one jurisdiction alone gives exactly the plan it gets inside a five-jurisdiction run.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging
import platform
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from peakplan.build import BuiltModel, build_model
from peakplan.config import Scenario, scenario_to_dict
from peakplan.diagnose import shortfalls
from peakplan.io.load import Dataset, load_dataset
from peakplan.results import TABLE_COLUMNS, Evaluator, extract, write_run
from peakplan.solve import DirectSolver, Solution, SolveOutcome
from peakplan.time import TimeIndex, make_time_index

log = logging.getLogger(__name__)


@dataclass
class BlockResult:
    """Result of one independent block of jurisdictions."""

    jurisdictions: tuple[str, ...]
    status: str  # optimal | infeasible | elastic | error
    tables: dict[str, pd.DataFrame]
    objective_cny: float | None
    termination: str
    diagnosis: list[str]
    timings: dict[str, float]
    model_size: dict[str, int]
    time_info: dict[str, Any]


@dataclass
class RunResult:
    """All blocks of a run, combined; :meth:`write` writes the run folder atomically."""

    scenario: Scenario
    blocks: list[BlockResult]
    tables: dict[str, pd.DataFrame]
    manifest: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return str(self.manifest["status"])

    @property
    def objective_cny(self) -> float | None:
        return self.manifest.get("objective_cny")

    @property
    def diagnosis(self) -> list[str]:
        return [d for b in self.blocks for d in b.diagnosis]

    def write(self, out_dir: str | Path,
              before_manifest: Callable[[dict[str, Any]], None] | None = None, summary: bool = True) -> Path:
        """Write the run folder atomically (tables, summary.md, diagnosis.txt, manifest.yaml last).

        ``summary``: render the bilingual summary.md (``peakplan report`` can write it later).
        """
        from peakplan.report import render_summary

        extra = {"summary.md": render_summary(self.tables, self.manifest)} if summary else {}
        if self.diagnosis:
            extra["diagnosis.txt"] = "\n".join(self.diagnosis) + "\n"
        return write_run(Path(out_dir), self.tables, self.manifest, extra, before_manifest)


def blocks_of(scenario: Scenario) -> list[tuple[str, ...]]:
    """Independent groups of jurisdictions (coupled only by a shared import limit)."""
    if scenario.policy.shared_import_cap_mw is not None:
        return [tuple(scenario.jurisdictions)]
    return [(j,) for j in scenario.jurisdictions]


def model_size(solver: DirectSolver) -> dict[str, int]:
    h = solver.highs
    if h is None:
        return {}
    lp = h.getLp()
    return {"variables": int(lp.num_col_), "constraints": int(lp.num_row_), "nonzeros": int(lp.a_matrix_.value_.__len__())}


def time_info(ti: TimeIndex) -> dict[str, Any]:
    return {"mode": ti.mode, "steps": ti.n_steps, "days": list(ti.days),
            "weights_days": [float(x) for x in ti.weight[::24]] if ti.mode == "rep" else []}


def solve_block(data: Dataset, scenario: Scenario, block: tuple[str, ...],
                time_index: TimeIndex | None = None) -> BlockResult:
    """Aggregate (unless given), build, solve and extract one block; diagnose an infeasible strict run."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ti = time_index if time_index is not None else make_time_index(
        {j: data.timeseries[j] for j in block}, scenario.time)
    timings["aggregate"] = time.perf_counter() - t0
    built = build_model(data, scenario, ti, block)
    timings["build"] = built.build_seconds
    solver = DirectSolver(scenario.solver)
    timings["handover"] = solver.load(built)
    out = solver.solve(built)
    timings["solve"] = out.seconds
    timings["highs"] = out.highs_seconds
    size = model_size(solver)
    diagnosis: list[str] = []
    status = "optimal" if out.optimal else ("infeasible" if out.infeasible else "error")
    if out.optimal:
        tables = extract_tables(built, solver.snapshot())
        if scenario.elastic:
            status = "elastic"
            diagnosis = shortfalls(tables["targets"])
    elif out.infeasible and not scenario.elastic:
        log.warning("%s: infeasible in strict mode; re-solving elastic to diagnose", block)
        t1 = time.perf_counter()
        ebuilt = build_model(data, scenario, ti, block, elastic=True)
        esolver = DirectSolver(scenario.solver)
        esolver.load(ebuilt)
        eout = esolver.solve(ebuilt)
        timings["diagnose"] = time.perf_counter() - t1
        if eout.optimal:
            tables = extract_tables(ebuilt, esolver.snapshot())
            diagnosis = shortfalls(tables["targets"]) or [
                f"{','.join(block)}: infeasible in strict mode, but the elastic run meets every target; "
                "the conflict lies in a hard rule without slack (unit rules, potentials)."]
            diagnosis = [f"cannot be met together: {d}" for d in diagnosis]
        else:
            tables = empty_tables()
            diagnosis = [f"{','.join(block)}: infeasible even with every target relaxed ({eout.termination}); "
                         "check potentials against existing capacity and the unit rules."]
    else:
        tables = empty_tables()
        diagnosis = [f"{','.join(block)}: solver ended with {out.termination} (time limit or numerical trouble)"]
    return BlockResult(block, status, tables, out.objective_cny if out.optimal else None, out.termination,
                       diagnosis, {k: round(v, 4) for k, v in timings.items()}, size, time_info(ti))


def extract_tables(built: BuiltModel, sol: Solution) -> dict[str, pd.DataFrame]:
    """All result tables of a block from one optimal solve (its column values and duals)."""
    cons = [getattr(built.model, f"c_{r.target}")[r.key] for r in built.targets]
    return extract(built, sol.duals(cons), Evaluator(built, sol.x, sol.col_of))


def empty_tables() -> dict[str, pd.DataFrame]:
    return {k: pd.DataFrame(columns=cols) for k, cols in TABLE_COLUMNS.items()}


def _solve_block_job(args: tuple[Dataset, Scenario, tuple[str, ...], TimeIndex | None]) -> BlockResult:
    _quiet_worker_logging()
    return solve_block(*args)


def _quiet_worker_logging() -> None:
    logging.getLogger("pyomo").setLevel(logging.WARNING)


def run_scenario(scenario: Scenario, data: Dataset | None = None) -> RunResult:
    """Run a scenario end to end (in memory); call :meth:`RunResult.write` to save it."""
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if data is None:
        data = load_dataset(scenario)
    timings["load"] = time.perf_counter() - t0
    blocks = blocks_of(scenario)
    joint: TimeIndex | None = None
    if scenario.time.aggregation == "joint" or scenario.time.mode == "full":
        t0 = time.perf_counter()
        joint = make_time_index({j: data.timeseries[j] for j in scenario.jurisdictions}, scenario.time)
        timings["aggregate"] = time.perf_counter() - t0
    jobs = [(data, scenario, b, joint) for b in blocks]
    if scenario.workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(scenario.workers, len(jobs))) as pool:
            results = list(pool.map(_solve_block_job, jobs))
    else:
        results = [solve_block(*job) for job in jobs]
    tables = {k: pd.concat([r.tables[k] for r in results if not r.tables[k].empty] or [pd.DataFrame(columns=cols)],
                           ignore_index=True) for k, cols in TABLE_COLUMNS.items()}
    solved = [r.objective_cny for r in results if r.objective_cny is not None]
    if objective_total := (sum(solved) if results and len(solved) == len(results) else None):
        tables["costs"] = pd.concat([tables["costs"], pd.DataFrame([{
            "jurisdiction": "all", "year": None, "component": "objective_discounted_total",
            "cost_cny": objective_total}])], ignore_index=True)
    statuses = {r.status for r in results}
    status = ("optimal" if statuses == {"optimal"} else "elastic" if statuses <= {"optimal", "elastic"}
              else "infeasible" if "infeasible" in statuses else "error")
    objective = sum(solved) if len(solved) == len(results) else None
    for key in ("aggregate", "build", "handover", "solve", "highs", "diagnose"):
        timings[key] = timings.get(key, 0.0) + sum(r.timings.get(key, 0.0) for r in results)
    timings["total"] = time.perf_counter() - t_start
    manifest = build_manifest(scenario, data, results, status, objective, timings)
    return RunResult(scenario, results, tables, manifest, timings)


@functools.lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    """Versions of Python and the packages that shape a result (read once per process)."""
    out = {"python": platform.python_version()}
    for pkg in ("peakplan", "pyomo", "highspy", "pandas", "numpy", "tsam", "pyarrow"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def build_manifest(scenario: Scenario, data: Dataset, results: list[BlockResult], status: str,
              objective: float | None, timings: dict[str, float]) -> dict[str, Any]:
    size = {k: sum(r.model_size.get(k, 0) for r in results) for k in ("variables", "constraints", "nonzeros")}
    return {
        "scenario": scenario.name,
        "status": status,
        "objective_cny": objective,
        "scenario_config": scenario_to_dict(scenario),
        "inputs": str(data.root),
        "input_hashes_sha256_16": data.file_hashes,
        "versions": dict(_versions()),
        "solver_options": dict(scenario.solver.options),
        "solver_config": str(scenario.solver.path) if scenario.solver.path else None,
        "model_size": size,
        "blocks": [{"jurisdictions": list(r.jurisdictions), "status": r.status, "termination": r.termination,
                    "objective_cny": r.objective_cny, "model_size": r.model_size, "timings_s": r.timings,
                    "time": r.time_info} for r in results],
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "diagnosis": [d for r in results for d in r.diagnosis],
    }


__all__ = ["BlockResult", "RunResult", "SolveOutcome", "blocks_of", "run_scenario", "solve_block"]
