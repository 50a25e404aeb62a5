"""Parameter sweeps: one base scenario, axes of target levels, input overrides or scenario switches.

A sweep file (``scenarios/sweeps/*.yaml``)::

    name: nonfossil_ambition
    base: ../base.yaml            # relative to the sweep file
    jurisdictions: [leiyang]      # optional, like --jurisdictions
    years: [2025, 2030]           # optional
    time: rep:12                  # optional, like --time
    solver_config: ../../solver_configs/highs_default.yaml   # optional, relative to the sweep file
    grid: true                    # cartesian product of the axes (default); false: zip them
    point_reports: false          # summary.md in every point folder (default: no; `peakplan report DIR`)
    axes:
      - {name: nf2030, kind: target, target: nonfossil_share, jurisdiction: leiyang, year: 2030,
         values: [0.25, 0.27, 0.29]}
      - {name: gas_price, kind: override, table: system_year, where: {parameter: gas_price_cny_per_tce},
         column: value, op: scale, values: [1.0, 1.2]}
      - {name: carbon, kind: scenario, key: carbon_price_cny_per_tco2, values: [0, 100]}
      - {name: gdp, kind: gdp_growth, jurisdiction: all, values: [0.04, 0.06]}

or, instead of listed values, ``draws: {n: 50, seed: 7}`` and a ``range: [low, high]`` on every
axis: N seeded uniform draws (the first N of a larger N with the same seed are the same points).

Axis kinds:

- ``target``: the level ``p_target_level[k]`` of every target row k of that family (and
  jurisdiction / year, or ``all``) — changed in place in the live model.
- ``override``: an input value (the scenario ``overrides`` syntax: table, where, column, op).
- ``scenario``: a numeric policy switch of the scenario (e.g. ``carbon_price_cny_per_tco2``).
- ``gdp_growth``: GDP of every milestone year = base-year GDP × (1 + g)^(y − base year), for one
  jurisdiction or ``all``.
- ``rep_days``: the number of representative days (a convergence study); this changes the model's
  structure, so each new value loads the models afresh.

The solve loop. Each worker keeps, per independent block, a live HiGHS model
(:class:`peakplan.solve.DirectSolver`). A point that changes only target levels pushes the
changed rows into it; a point that changes data rebuilds the Pyomo model and pushes only the
changed costs, bounds and coefficients — both keep HiGHS's basis, so the re-solve starts warm.
Only a change of the model's structure (rows or columns, detected by name) reloads it cold.
A block that no axis touched since its last solve is not solved again. Points are run in an
order where neighbours differ little (greedy nearest neighbour over the normalised axis values,
data axes weighing most), and reported in their stable index order.

Every point has a stable id (``nf2030=0.27__gas_price=1.2``, or ``draw0007``), writes a
single-run result folder ``<out>/points/<id>/`` atomically and becomes one row of
``<out>/summary.csv`` (rewritten atomically, at most every 2 s and at the end). The summary row
is kept in the point's manifest first, so a killed sweep loses no finished point and ``resume`` skips every
point whose folder has a manifest. An infeasible point is written with status ``infeasible``,
one stopped by the solver's time limit with ``time_limit``; a point that raises is recorded as
``error`` with its reason (and retried on resume); the sweep goes on.

Points run in this process, on a process pool (``workers`` > 1) or on any
:class:`concurrent.futures.Executor` — e.g. a Dask distributed cluster's
``Client.get_executor()``, for which ``out`` must be on a file system the workers share.
Each task is a few consecutive points; a worker process keeps its live models between tasks.
Within a worker, points are pipelined: while HiGHS solves one (it releases the GIL), a writer
thread extracts and writes the previous one.

Modules: :mod:`peakplan.sweep.spec` (the file, axes, points and their order),
:mod:`peakplan.sweep.worker` (the solve loop of one worker), this one (running a whole sweep:
resume, executors, summary.csv, progress).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from peakplan.config import ConfigError
from peakplan.io.atomic import atomic_text, atomic_write
from peakplan.sweep.spec import (
    Axis,
    Point,
    Sweep,
    load_sweep,
    point_id,
    point_scenario,
    points,
    run_order,
    sweep_fingerprint,
    sweep_spec,
)
from peakplan.sweep.worker import _chunk_task, _row, _Worker, chunks_of

log = logging.getLogger("peakplan.sweep")

SUMMARY_EVERY_S = 2.0


def finished_row(out_dir: Path, point: Point) -> dict[str, Any] | None:
    """The summary row of a finished point (its folder has a manifest), else None."""
    mf = out_dir / "points" / point.id / "manifest.yaml"
    if not mf.is_file():
        return None
    try:
        data = yaml.safe_load(mf.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return None
    row = (data.get("sweep") or {}).get("summary_row")
    return dict(row) if isinstance(row, dict) else None


def write_summary(path: Path, rows: list[dict[str, Any]], sweep: Sweep) -> Path:
    """Write summary.csv atomically (temporary file + rename), rows in point order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(rows, key=lambda r: int(r["index"]))
    first = ["point_id", *[a.name for a in sweep.axes], "status", "reason", "objective_cny"]
    df = pd.DataFrame(rows)
    rest = sorted(c for c in df.columns if c not in first and c != "index")
    df = df.reindex(columns=first + rest)
    atomic_write(path, lambda p: df.to_csv(p, index=False, float_format="%.10g", lineterminator="\n"))
    return path


@dataclass
class Progress:
    """Where a running sweep is, passed to the ``progress`` callback after every point."""

    total: int  # points to run now (not counting those finished before a resume)
    done: int
    failed: int
    skipped: int
    elapsed_s: float
    last: dict[str, Any]

    @property
    def seconds_per_point(self) -> float:
        return self.elapsed_s / self.done if self.done else 0.0

    @property
    def eta_s(self) -> float:
        return self.seconds_per_point * (self.total - self.done)


@dataclass
class SweepResult:
    """What :func:`run_sweep` did: the summary table and counts."""

    out_dir: Path
    summary: pd.DataFrame
    solved: int
    skipped: int
    failed: int
    seconds: float


def _executor_workers(executor: Executor) -> int:
    """How many workers an executor has (a Dask cluster's worker count; else 2)."""
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            return max(1, len(client.scheduler_info().get("workers", {})))
        except Exception:  # noqa: BLE001 - only a hint for chunk sizes
            return 2
    return int(getattr(executor, "_max_workers", 2) or 2)


def run_sweep(sweep: Sweep | str | Path, executor: Executor | None = None, workers: int = 1, resume: bool = False,
              out_dir: str | Path | None = None,
              progress: Callable[[Progress], None] | None = None) -> SweepResult:
    """Run every point (``resume``: skip finished ones); write the point folders and summary.csv.

    Points run in this process, or in tasks of a few consecutive points on ``executor`` (any
    :class:`concurrent.futures.Executor`, e.g. Dask's ``Client.get_executor()``) or on a new
    process pool when ``workers`` > 1. Each worker builds its models once and re-solves warm;
    ``progress`` is called in this process after every finished point.
    """
    t0 = time.perf_counter()
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep)
    out = Path(out_dir) if out_dir is not None else Path("results") / sweep.name
    out.mkdir(parents=True, exist_ok=True)
    spec = sweep_spec(sweep)
    spec["fingerprint"] = sweep_fingerprint(sweep)
    if resume and (out / "sweep.yaml").is_file():
        before = (yaml.safe_load((out / "sweep.yaml").read_text(encoding="utf-8")) or {}).get("fingerprint")
        if before is not None and before != spec["fingerprint"]:
            raise ConfigError(
                f"{out}: its points were made by another sweep definition, base scenario or inputs (fingerprint "
                f"{before} ≠ {spec['fingerprint']}), so resuming would mix results; use another --out, or run "
                f"without --resume to redo every point")
    atomic_text(out / "sweep.yaml", yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
    pts = points(sweep)
    rows: dict[str, dict[str, Any]] = {}
    todo: list[Point] = []
    for p in pts:
        row = finished_row(out, p) if resume else None
        if row is not None:
            rows[p.id] = row
        else:
            todo.append(p)
    todo = run_order(sweep, todo)
    skipped = len(rows)
    log.info("sweep %s: %d points, %d finished before, %d to run on %s", sweep.name, len(pts), skipped,
             len(todo), type(executor).__name__ if executor else f"{max(1, workers)} worker(s)")
    summary_path = out / "summary.csv"
    if rows:
        write_summary(summary_path, list(rows.values()), sweep)
    done = failed = 0
    last_write = 0.0

    def collect(r: dict[str, Any]) -> None:
        nonlocal done, failed, last_write
        rows[r["point_id"]] = r
        done += 1
        failed += r["status"] not in ("optimal", "elastic")
        # every finished point is already safe in its folder's manifest; the summary is rewritten
        # at most every SUMMARY_EVERY_S seconds (its cost grows with the number of rows) and at the end
        if time.perf_counter() - last_write >= SUMMARY_EVERY_S or done == len(todo):
            write_summary(summary_path, list(rows.values()), sweep)
            last_write = time.perf_counter()
        if progress is not None:
            progress(Progress(len(todo), done, failed, skipped, time.perf_counter() - t0, r))

    own_pool = None
    if executor is None and workers > 1 and len(todo) > 1:
        executor = own_pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)))
    try:
        if executor is None:
            _Worker(sweep, out).run_points(todo, on_row=collect)
        else:
            token = uuid.uuid4().hex
            n_workers = workers if own_pool is not None else max(workers, _executor_workers(executor))
            futures: dict[Future[list[dict[str, Any]]], list[Point]] = {
                executor.submit(_chunk_task, sweep, token, c, str(out)): c for c in chunks_of(todo, n_workers)}
            for f in as_completed(futures):
                c = futures[f]
                try:
                    got = f.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker: record its points and go on
                    log.error("a sweep worker failed on %d point(s): %s", len(c), exc)
                    got = [finished_row(out, p) or _row(sweep, p, "error", f"worker failed: {exc}") for p in c]
                for r in got:
                    collect(r)
    finally:
        if own_pool is not None:
            own_pool.shutdown()
    if rows:
        write_summary(summary_path, list(rows.values()), sweep)
    summary = pd.read_csv(summary_path) if summary_path.is_file() else pd.DataFrame()
    return SweepResult(out, summary, done, skipped, failed, time.perf_counter() - t0)


__all__ = ["Axis", "Point", "Progress", "Sweep", "SweepResult", "load_sweep", "point_id", "point_scenario",
           "points", "run_order", "run_sweep", "sweep_spec", "write_summary"]
