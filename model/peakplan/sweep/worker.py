"""The solve loop of a sweep: live models per worker, warm updates, pipelined writing (see :mod:`peakplan.sweep`)."""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from peakplan.build import BuiltModel, build_model
from peakplan.config import Scenario
from peakplan.io.load import Dataset, load_dataset
from peakplan.results import TABLE_COLUMNS
from peakplan.run import (
    BlockResult,
    RunResult,
    blocks_of,
    build_manifest,
    empty_tables,
    extract_tables,
    model_size,
    time_info,
)
from peakplan.solve import DirectSolver
from peakplan.sweep.spec import Point, Sweep, point_scenario
from peakplan.time import TimeIndex, make_time_index

log = logging.getLogger("peakplan.sweep")


@dataclass
class _Live:
    """A built block held in a live HiGHS model between points."""

    block: tuple[str, ...]
    built: BuiltModel
    solver: DirectSolver
    time_info: dict[str, Any]
    build_s: float
    handover_s: float
    cold: bool = True  # the next solve starts without a basis
    dirty: bool = True  # changed since its last solve
    last: BlockResult | None = None


@dataclass
class _Worker:
    """State of one worker: the live models of the sweep's blocks and the data they were built on."""

    sweep: Sweep
    out_dir: Path
    data_key: tuple[Any, ...] | None = None
    data: Dataset | None = None
    scenario: Scenario | None = None
    live: dict[tuple[str, ...], _Live] = field(default_factory=dict)
    time_indexes: dict[tuple[Any, ...], TimeIndex] = field(default_factory=dict)

    def _prepare(self, point: Point) -> None:
        vals = point.as_dict
        key = tuple(vals[a.name] for a in self.sweep.data_axes)
        if key == self.data_key and self.live:
            return
        scen = point_scenario(self.sweep, point, targets_as_overrides=False)
        data = load_dataset(scen)
        joint = scen.time.aggregation == "joint" or scen.time.mode == "full"
        blocks = blocks_of(scen)
        for gone in [b for b in self.live if b not in blocks]:  # e.g. a shared import cap couples them
            del self.live[gone]
        for block in blocks:
            # the time index depends on the profiles only, which overrides do not touch: aggregate
            # once per set of jurisdictions and time resolution
            over = tuple(scen.jurisdictions) if joint else block
            ti = self.time_indexes.get((over, scen.time))
            if ti is None:
                ti = make_time_index({j: data.timeseries[j] for j in over}, scen.time)
                self.time_indexes[(over, scen.time)] = ti
            built = build_model(data, scen, ti, block)
            lv = self.live.get(block)
            if lv is None:
                solver = DirectSolver(scen.solver)
                solver.load_values = False  # results are read from the column values (Evaluator)
                hand = solver.load(built)
                self.live[block] = _Live(block, built, solver, time_info(ti), built.build_seconds, hand)
                continue
            t0 = time.perf_counter()
            changes = lv.solver.update_model(built)
            lv.built, lv.build_s, lv.handover_s = built, built.build_seconds, time.perf_counter() - t0
            lv.time_info = time_info(ti)
            lv.cold = lv.cold or changes < 0
            lv.dirty = lv.dirty or changes != 0
        self.data_key, self.data, self.scenario = key, data, scen

    def run_points(self, pts: list[Point],
                   on_row: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
        """Run points in order, pipelined: while HiGHS solves a point (it releases the GIL), a
        writer thread extracts and writes the previous one. At most one point waits to be written.
        """
        rows: list[dict[str, Any]] = []

        def done(r: dict[str, Any]) -> None:
            rows.append(r)
            if on_row is not None:
                on_row(r)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="peakplan-writer") as writer:
            pending: Future[dict[str, Any]] | None = None
            for p in pts:
                t0 = time.perf_counter()
                finish: Callable[[], dict[str, Any]] | None = None
                try:
                    self._prepare(p)
                    finish = self._solve_phase(p, t0)
                    row = None
                except Exception as exc:  # noqa: BLE001 - a failing point is recorded and the sweep goes on
                    log.exception("point %s failed", p.id)
                    self.data_key, self.live = None, {}  # rebuild before the next point
                    row = _row(self.sweep, p, status="error", reason=f"{type(exc).__name__}: {exc}",
                               timings={"point": time.perf_counter() - t0})
                if pending is not None:
                    done(pending.result())
                    pending = None
                if finish is not None:
                    pending = writer.submit(self._guarded, p, t0, finish)
                elif row is not None:
                    done(row)
            if pending is not None:
                done(pending.result())
        return rows

    def _guarded(self, point: Point, t0: float, finish: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return finish()
        except Exception as exc:  # noqa: BLE001 - recorded; the sweep goes on
            log.exception("point %s: writing its results failed", point.id)
            return _row(self.sweep, point, status="error", reason=f"{type(exc).__name__}: {exc}",
                        timings={"point": time.perf_counter() - t0})

    def _set_levels(self, lv: _Live, vals: dict[str, Any]) -> None:
        m = lv.built.model
        changed = []
        new_targets = []
        for r in lv.built.targets:
            level = r.level
            for a in self.sweep.target_axes:
                if a.matches(r.key):
                    level = float(vals[a.name])
            if level != float(m.p_target_level[r.key].value):
                m.p_target_level[r.key] = level
                changed.append((getattr(m, f"c_{r.target}")[r.key], m.p_target_level[r.key]))
            new_targets.append(replace(r, level=level) if level != r.level else r)
        lv.built.targets = new_targets
        if changed:
            lv.solver.update_rows(changed)
            lv.dirty = True

    def _solve_phase(self, point: Point, t0: float) -> Callable[[], dict[str, Any]]:
        """Push the point's levels and solve every changed block; return the finishing step
        (extract, assemble, write), which reads only what is captured here."""
        vals = point.as_dict
        assert self.scenario is not None and self.data is not None
        scenario, data, sweep, out_dir = self.scenario, self.data, self.sweep, self.out_dir
        staged: list[tuple[_Live, Any]] = []  # (block, None: reuse its last result | what finishing needs)
        for lv in self.live.values():
            self._set_levels(lv, vals)
            if not (lv.dirty or lv.last is None):
                staged.append((lv, None))
                continue
            bt: dict[str, float] = {}
            if lv.cold:
                bt["build"], bt["handover"] = lv.build_s, lv.handover_s
            out = lv.solver.solve(lv.built)
            bt["solve"], bt["highs"] = out.seconds, out.highs_seconds
            sol = lv.solver.snapshot() if out.optimal else None
            size = model_size(lv.solver) if lv.cold else {}
            staged.append((lv, (lv.built, list(lv.built.targets), out, sol, bt, size, lv.time_info)))
            lv.cold, lv.dirty = False, False

        def finish() -> dict[str, Any]:
            results: list[BlockResult] = []
            timings = {"build": 0.0, "handover": 0.0, "solve": 0.0, "highs": 0.0, "extract": 0.0}
            iterations = resolved = 0
            for lv, st in staged:
                if st is None:  # untouched since its last solve: same result
                    assert lv.last is not None
                    results.append(replace(lv.last, timings={}, model_size={}))
                    continue
                built, targets, out, sol, bt, size, ti_info = st  # as at solve time (a rebuild may follow)
                t1 = time.perf_counter()
                if out.optimal:
                    status = "elastic" if scenario.elastic else "optimal"
                    tables, diag = extract_tables(replace(built, targets=targets), sol), []
                else:
                    status = "time_limit" if out.limit else "infeasible" if out.infeasible else "error"
                    tables, diag = empty_tables(), [f"{','.join(lv.block)}: {status} ({out.termination})"]
                bt["extract"] = time.perf_counter() - t1
                res = BlockResult(lv.block, status, tables, out.objective_cny if out.optimal else None,
                                  out.termination, diag, {k: round(v, 4) for k, v in bt.items()}, size, ti_info)
                lv.last = res
                results.append(res)
                resolved += 1
                iterations += out.iterations
                for k in timings:
                    timings[k] += float(bt.get(k, 0.0))
            return _write_point(sweep, scenario, data, out_dir, point, results, timings, iterations, resolved, t0)

        return finish


def _write_point(sweep: Sweep, scenario: Scenario, data: Dataset, out_dir: Path, point: Point,
                 results: list[BlockResult], timings: dict[str, float], iterations: int, resolved: int,
                 t0: float) -> dict[str, Any]:
    """Assemble the point's tables and manifest, write its folder atomically; return its summary row."""
    tables = {k: pd.concat([r.tables[k] for r in results if not r.tables[k].empty] or
                           [pd.DataFrame(columns=cols)], ignore_index=True) for k, cols in TABLE_COLUMNS.items()}
    statuses = {r.status for r in results}
    status = ("optimal" if statuses == {"optimal"} else "elastic" if statuses <= {"optimal", "elastic"}
              else "infeasible" if "infeasible" in statuses else "time_limit" if "time_limit" in statuses
              else "error")
    objective = sum(r.objective_cny for r in results) if status in ("optimal", "elastic") else None  # type: ignore[misc]
    if objective is not None:
        tables["costs"] = pd.concat([tables["costs"], pd.DataFrame([{
            "jurisdiction": "all", "year": None, "component": "objective_discounted_total",
            "cost_cny": objective}])], ignore_index=True)
    scen = point_scenario(sweep, point)
    timings["total"] = time.perf_counter() - t0
    manifest = build_manifest(scen, data, results, status, objective, timings)
    reason = "; ".join(d for r in results for d in r.diagnosis)
    row = _row(sweep, point, status=status, reason=reason, objective=objective, tables=tables,
               timings=timings, iterations=iterations)
    row["blocks_solved"] = resolved
    manifest["sweep"] = {"name": sweep.name, "point_id": point.id, "values": point.as_dict,
                         "warm_start": True, "summary_row": row}

    def stamp(m: dict[str, Any]) -> None:
        row["point_s"] = round(time.perf_counter() - t0, 4)
        m["sweep"]["summary_row"] = row

    RunResult(scen, results, tables, manifest, timings).write(out_dir / "points" / point.id, stamp,
                                                              summary=sweep.point_reports)
    return row


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _row(sweep: Sweep, point: Point, status: str, reason: str = "", objective: float | None = None,
         tables: dict[str, pd.DataFrame] | None = None, timings: dict[str, float] | None = None,
         iterations: int | None = None) -> dict[str, Any]:
    """One summary.csv row: axis values, status, objective, cost components, every target's
    achieved value and dual (``achieved:<target>:<j>:<year>[:<tech>]``), emissions, timings."""
    row: dict[str, Any] = {"point_id": point.id, "index": point.index}
    row.update(point.as_dict)
    row.update(status=status, reason=reason, objective_cny=objective)
    if tables is not None and status in ("optimal", "elastic"):
        c = tables["costs"]
        c = c[(c.jurisdiction != "all") & ~c.component.isin(["total_annual", "discounted_total"])]
        for comp, v in c.groupby("component", sort=True).cost_cny.sum().items():
            row[f"cost:{comp}"] = float(v)
        t = tables["targets"]
        for target, j, y, tech, ach, dual in zip(t.target, t.jurisdiction, t.year, t.technology, t.achieved, t.dual):
            key = f"{target}:{j}:{int(y)}" + (f":{tech}" if isinstance(tech, str) and tech else "")
            row[f"achieved:{key}"] = float(ach)
            row[f"dual:{key}"] = _num(dual)
        e = tables["emissions"]
        e = e[e.source == "total"]
        for j, y, v in zip(e.jurisdiction, e.year, e.co2_t):
            row[f"co2_t:{j}:{int(y)}"] = float(v)
    tm = timings or {}
    row.update(solve_s=round(tm.get("solve", 0.0), 4), highs_s=round(tm.get("highs", 0.0), 4),
               build_s=round(tm.get("build", 0.0) + tm.get("handover", 0.0), 4),
               extract_s=round(tm.get("extract", 0.0), 4),
               point_s=round(tm.get("point", tm.get("total", 0.0)), 4), iterations=iterations)
    return row


# worker-local state: each process (or Dask worker thread) keeps its live models between tasks
_WORKERS: dict[tuple[int, int], tuple[str, _Worker]] = {}
_WORKERS_LOCK = threading.Lock()


def _chunk_task(sweep: Sweep, run_token: str, chunk: list[Point], out_dir: str) -> list[dict[str, Any]]:
    """Run consecutive points in a pool or cluster worker, reusing that worker's live models."""
    logging.getLogger("pyomo").setLevel(logging.WARNING)
    me = (os.getpid(), threading.get_ident())
    with _WORKERS_LOCK:
        held = _WORKERS.get(me)
        if held is None or held[0] != run_token:
            held = (run_token, _Worker(sweep, Path(out_dir)))
            _WORKERS[me] = held  # replaces (and frees) the models of an earlier sweep
    return held[1].run_points(chunk)


def chunks_of(todo: list[Point], workers: int, max_size: int = 8) -> list[list[Point]]:
    """Consecutive runs of points for pool tasks: about four tasks per worker (so progress is seen
    and the load balances), at most ``max_size`` points each (neighbours stay on one worker)."""
    if not todo:
        return []
    size = max(1, min(max_size, math.ceil(len(todo) / (4 * max(1, workers)))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]
