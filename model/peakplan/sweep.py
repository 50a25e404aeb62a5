"""Parameter sweeps: one base scenario, axes of target levels or input overrides, many points.

A sweep file (``scenarios/sweeps/*.yaml``)::

    name: nonfossil_ambition
    base: ../base.yaml            # relative to the sweep file
    jurisdictions: [leiyang]      # optional, like --jurisdictions
    years: [2025, 2030]           # optional
    time: rep:12                  # optional, like --time
    grid: true                    # cartesian product of the axes (default); false: zip them
    axes:
      - {name: nf2030, kind: target, target: nonfossil_share, jurisdiction: leiyang, year: 2030,
         values: [0.25, 0.27, 0.29]}
      - {name: gas_price, kind: override, table: system_year, where: {parameter: gas_price_cny_per_tce},
         column: value, op: scale, values: [1.0, 1.2]}

Target axes set ``p_target_level[k]`` of every target row k of that family (and jurisdiction /
year, or ``all``): each worker builds each independent block once, loads it into a persistent
HiGHS (:class:`peakplan.solve.Solver`) and re-solves warm from the previous basis. Override
axes change input data, so a point with new override values is loaded and built afresh.

Every point has a stable id (``nf2030=0.27__gas_price=1.2``), writes a single-run result
folder ``<out>/points/<id>/`` atomically and becomes one row of ``<out>/summary.csv`` (rewritten
atomically). The summary row is also kept in the point's manifest, so a killed sweep loses no
finished point and ``resume`` skips every point whose folder has a manifest. An infeasible point
is written with status ``infeasible``; a point that raises is recorded as ``error`` with its reason
(and retried on resume); the sweep goes on.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
import os
import re
import tempfile
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from peakplan.build import BuiltModel, build_model
from peakplan.config import (
    ConfigError,
    Override,
    Scenario,
    load_scenario,
    read_yaml_mapping,
    reject_unknown,
)
from peakplan.io.load import Dataset, load_dataset
from peakplan.io.schema import JURISDICTION_IDS
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
from peakplan.solve import Solver
from peakplan.time import TimeIndex, make_time_index

log = logging.getLogger(__name__)

OPS = ("set", "scale", "add")


@dataclass(frozen=True)
class Axis:
    """One varied quantity: a target level (``kind: target``) or an input override (``kind: override``)."""

    name: str
    kind: str
    values: tuple[Any, ...]
    target: str = ""
    jurisdiction: str = "all"
    year: Any = "all"
    table: str = ""
    column: str = ""
    where: tuple[tuple[str, Any], ...] = ()
    op: str = "set"

    def matches(self, key: str) -> bool:
        """Whether target row ``key`` (``family|jurisdiction|year[|tech]``) is set by this axis."""
        parts = key.split("|")
        return (parts[0] == self.target and (self.jurisdiction == "all" or parts[1] == self.jurisdiction)
                and (self.year == "all" or int(parts[2]) == int(self.year)))

    def override(self, value: Any) -> Override:
        """The input override equivalent to ``value`` on this axis (targets: targets.csv value column)."""
        if self.kind == "target":
            where: dict[str, Any] = {"target": self.target}
            if self.jurisdiction != "all":
                where["jurisdiction"] = self.jurisdiction
            if self.year != "all":
                where["year"] = int(self.year)
            return Override(table="targets", column="value", where=where, set=float(value))
        return Override(table=self.table, column=self.column, where=dict(self.where), **{self.op: float(value)})


@dataclass(frozen=True)
class Point:
    """One point of a sweep: its index in run order, stable id and the value of every axis."""

    index: int
    id: str
    values: tuple[tuple[str, Any], ...]

    @property
    def as_dict(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True)
class Sweep:
    """A base scenario and the axes varied over it."""

    name: str
    base: Scenario
    axes: tuple[Axis, ...]
    grid: bool = True
    source_file: Path | None = None

    @property
    def target_axes(self) -> tuple[Axis, ...]:
        return tuple(a for a in self.axes if a.kind == "target")

    @property
    def override_axes(self) -> tuple[Axis, ...]:
        return tuple(a for a in self.axes if a.kind == "override")


# -- reading -----------------------------------------------------------------------------------
def load_sweep(path: str | Path) -> Sweep:
    """Read a sweep file; problems are raised as :class:`ConfigError` naming the key."""
    path = Path(path)
    raw = read_yaml_mapping(path, "sweep")
    reject_unknown(raw, {"name", "description", "base", "jurisdictions", "years", "time", "grid", "axes"}, str(path))
    if "base" not in raw:
        raise ConfigError(f"{path}: base: give the base scenario file (relative to the sweep file)")
    base = load_scenario((path.parent / str(raw["base"])).resolve())
    jur = raw.get("jurisdictions")
    years = raw.get("years")
    base = base.with_cli(jurisdictions=tuple(jur if isinstance(jur, list) else [jur]) if jur else None,
                         years=tuple(years) if years else None,
                         time=str(raw["time"]) if raw.get("time") else None)
    axes_raw = raw.get("axes")
    if not isinstance(axes_raw, list) or not axes_raw:
        raise ConfigError(f"{path}: axes: expected a non-empty list of axes")
    axes = tuple(_axis(a, f"{path}: axes[{i}]", base) for i, a in enumerate(axes_raw))
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: axes: names must be unique, got {names}")
    grid = bool(raw.get("grid", True))
    if not grid and len({len(a.values) for a in axes}) > 1:
        raise ConfigError(f"{path}: grid: false zips the axes, so every axis needs the same number of values")
    sweep = Sweep(str(raw.get("name", path.stem)), base, axes, grid, path.resolve())
    ids = [p.id for p in points(sweep)]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{path}: two points get the same id; make the axis values distinct")
    return sweep


def _axis(a: Any, where: str, base: Scenario) -> Axis:
    if not isinstance(a, dict):
        raise ConfigError(f"{where}: expected a mapping")
    kind = a.get("kind", "target")
    values = a.get("values")
    if not isinstance(values, list) or not values:
        raise ConfigError(f"{where}.values: expected a non-empty list")
    try:
        values = [float(v) for v in values]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}.values: expected numbers, got {values!r}") from exc
    name = str(a.get("name", ""))
    if not name or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ConfigError(f"{where}.name: expected letters, digits, '_', '.', '-', got {name!r}")
    if kind == "target":
        allowed = {"name", "kind", "target", "jurisdiction", "year", "values"}
        reject_unknown(a, allowed, where)
        from peakplan.build.policies import SENSE

        target = str(a.get("target", ""))
        if target not in SENSE:
            raise ConfigError(f"{where}.target: expected one of {sorted(SENSE)}, got {target!r}")
        jur = str(a.get("jurisdiction", "all"))
        if jur != "all" and jur not in JURISDICTION_IDS:
            raise ConfigError(f"{where}.jurisdiction: unknown {jur!r}; expected 'all' or one of {list(JURISDICTION_IDS)}")
        if jur != "all" and jur not in base.jurisdictions:
            raise ConfigError(f"{where}.jurisdiction: {jur!r} is not among the sweep's jurisdictions")
        year = a.get("year", "all")
        if year != "all":
            if int(year) not in base.years:
                raise ConfigError(f"{where}.year: {year} is not a milestone year of the sweep {list(base.years)}")
            year = int(year)
        return Axis(name, "target", tuple(values), target=target, jurisdiction=jur, year=year)
    if kind == "override":
        allowed = {"name", "kind", "table", "where", "column", "values", "op"}
        reject_unknown(a, allowed, where)
        op = str(a.get("op", "set"))
        if op not in OPS:
            raise ConfigError(f"{where}.op: expected one of {list(OPS)}, got {op!r}")
        if not a.get("table") or not a.get("column"):
            raise ConfigError(f"{where}: an override axis needs table and column")
        w = a.get("where") or {}
        if not isinstance(w, dict):
            raise ConfigError(f"{where}.where: expected a mapping of column: value")
        return Axis(name, "override", tuple(values), table=str(a["table"]), column=str(a["column"]),
                    where=tuple(sorted(w.items())), op=op)
    raise ConfigError(f"{where}.kind: expected 'target' or 'override', got {kind!r}")


# -- points ------------------------------------------------------------------------------------
def _fmt(v: Any) -> str:
    return f"{float(v):.10g}" if isinstance(v, (int, float)) else str(v)


def point_id(values: tuple[tuple[str, Any], ...]) -> str:
    """Stable, readable id: ``axis=value__axis=value``; long ids keep a prefix and a short hash."""
    readable = "__".join(f"{k}={_fmt(v)}" for k, v in values)
    readable = re.sub(r"[^A-Za-z0-9_.=+-]", "_", readable)
    if len(readable) <= 100:
        return readable
    digest = hashlib.sha1(json.dumps([[k, _fmt(v)] for k, v in values]).encode()).hexdigest()[:10]
    return f"{readable[:88]}-{digest}"


def points(sweep: Sweep) -> list[Point]:
    """All points in run order: the cartesian product (first axis slowest) or the zip of the axes."""
    names = [a.name for a in sweep.axes]
    combos = (itertools.product(*(a.values for a in sweep.axes)) if sweep.grid
              else zip(*(a.values for a in sweep.axes)))
    out = []
    for i, combo in enumerate(combos):
        vals = tuple(zip(names, combo))
        out.append(Point(i, point_id(vals), vals))
    return out


def point_scenario(sweep: Sweep, point: Point, targets_as_overrides: bool = True) -> Scenario:
    """The base scenario with the point's values as input overrides (what a cold single run of it is)."""
    vals = point.as_dict
    extra = [a.override(vals[a.name]) for a in sweep.axes if a.kind == "override" or targets_as_overrides]
    return replace(sweep.base, name=f"{sweep.name}/{point.id}", overrides=tuple(sweep.base.overrides) + tuple(extra))


# -- running -----------------------------------------------------------------------------------
@dataclass
class _Live:
    """A built block held in a persistent HiGHS between points."""

    block: tuple[str, ...]
    built: BuiltModel
    solver: Solver
    base_targets: list[Any]
    time_info: dict[str, Any]
    build_s: float
    handover_s: float
    fresh: bool = True


@dataclass
class _Worker:
    """State of one worker: the live models for the current model structure (override values)."""

    sweep: Sweep
    out_dir: Path
    structure: tuple[Any, ...] | None = None
    data: Dataset | None = None
    scenario: Scenario | None = None
    live: list[_Live] = field(default_factory=list)
    time_indexes: dict[tuple[str, ...], TimeIndex] = field(default_factory=dict)

    def _prepare(self, point: Point) -> None:
        vals = point.as_dict
        structure = tuple(vals[a.name] for a in self.sweep.override_axes)
        if structure == self.structure and self.live:
            return
        scen = point_scenario(self.sweep, point, targets_as_overrides=False)
        data = load_dataset(scen)
        live = []
        joint = None
        if scen.time.aggregation == "joint" or scen.time.mode == "full":
            joint = make_time_index({j: data.timeseries[j] for j in scen.jurisdictions}, scen.time)
        for block in blocks_of(scen):
            # the time index depends on profiles only, which overrides do not touch: aggregate once
            ti = joint or self.time_indexes.get(block)
            if ti is None:
                ti = make_time_index({j: data.timeseries[j] for j in block}, scen.time)
                self.time_indexes[block] = ti
            built = build_model(data, scen, ti, block)
            solver = Solver(scen.solver)
            hand = solver.load(built)
            live.append(_Live(block, built, solver, list(built.targets), time_info(ti), built.build_seconds, hand))
        self.structure, self.data, self.scenario, self.live = structure, data, scen, live

    def run_point(self, point: Point) -> dict[str, Any]:
        t0 = time.perf_counter()
        try:
            self._prepare(point)
            return self._solve_point(point, t0)
        except Exception as exc:  # noqa: BLE001 - a failing point is recorded and the sweep goes on
            log.exception("point %s failed", point.id)
            self.structure, self.live = None, []  # rebuild before the next point
            return _row(self.sweep, point, status="error", reason=f"{type(exc).__name__}: {exc}",
                        timings={"point": time.perf_counter() - t0})

    def _solve_point(self, point: Point, t0: float) -> dict[str, Any]:
        vals = point.as_dict
        assert self.scenario is not None and self.data is not None
        results: list[BlockResult] = []
        timings = {"build": 0.0, "handover": 0.0, "solve": 0.0, "highs": 0.0, "extract": 0.0}
        iterations = 0
        for lv in self.live:
            m = lv.built.model
            new_targets = []
            for r in lv.base_targets:
                level = r.level
                for a in self.sweep.target_axes:
                    if a.matches(r.key):
                        level = float(vals[a.name])
                if level != float(m.p_target_level[r.key].value):
                    m.p_target_level[r.key] = level
                new_targets.append(replace(r, level=level) if level != r.level else r)
            lv.built.targets = new_targets
            bt = {}
            if lv.fresh:
                bt["build"], bt["handover"] = lv.build_s, lv.handover_s
            out = lv.solver.solve(lv.built)
            iterations += out.iterations
            bt["solve"], bt["highs"] = out.seconds, out.highs_seconds
            t1 = time.perf_counter()
            if out.optimal:
                status, tables, diag = "optimal", extract_tables(lv.built, lv.solver), []
                if self.scenario.elastic:
                    status = "elastic"
            else:
                status = "infeasible" if out.infeasible else "error"
                tables = empty_tables()
                diag = [f"{','.join(lv.block)}: {status} ({out.termination})"]
            bt["extract"] = time.perf_counter() - t1
            for k, v in bt.items():
                timings[k] += v
            results.append(BlockResult(lv.block, status, tables, out.objective_cny if out.optimal else None,
                                       out.termination, diag, {k: round(v, 4) for k, v in bt.items()},
                                       model_size(lv.solver) if lv.fresh else {}, lv.time_info))
            lv.fresh = False
        tables = {k: pd.concat([r.tables[k] for r in results if not r.tables[k].empty] or
                               [pd.DataFrame(columns=cols)], ignore_index=True) for k, cols in TABLE_COLUMNS.items()}
        statuses = {r.status for r in results}
        status = ("optimal" if statuses == {"optimal"} else "elastic" if statuses <= {"optimal", "elastic"}
                  else "infeasible" if "infeasible" in statuses else "error")
        objective = sum(r.objective_cny for r in results) if status in ("optimal", "elastic") else None  # type: ignore[misc]
        if objective is not None:
            tables["costs"] = pd.concat([tables["costs"], pd.DataFrame([{
                "jurisdiction": "all", "year": None, "component": "objective_discounted_total",
                "cost_cny": objective}])], ignore_index=True)
        scen = point_scenario(self.sweep, point)
        timings["total"] = time.perf_counter() - t0
        manifest = build_manifest(scen, self.data, results, status, objective, timings)
        reason = "; ".join(d for r in results for d in r.diagnosis)
        row = _row(self.sweep, point, status=status, reason=reason, objective=objective, tables=tables,
                   timings=timings, iterations=iterations)
        manifest["sweep"] = {"name": self.sweep.name, "point_id": point.id, "values": point.as_dict,
                             "warm_start": True, "summary_row": row}

        def stamp(m: dict[str, Any]) -> None:
            row["point_s"] = round(time.perf_counter() - t0, 4)
            m["sweep"]["summary_row"] = row

        RunResult(scen, results, tables, manifest, timings).write(self.out_dir / "points" / point.id, stamp)
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
    """One summary.csv row: axis values, status, objective, cost components, non-fossil shares and duals, timings."""
    row: dict[str, Any] = {"point_id": point.id, "index": point.index}
    row.update(point.as_dict)
    row.update(status=status, reason=reason, objective_cny=objective)
    if tables is not None and status in ("optimal", "elastic"):
        c = tables["costs"]
        c = c[(c.jurisdiction != "all") & ~c.component.isin(["total_annual", "discounted_total"])]
        for comp, v in c.groupby("component", sort=True).cost_cny.sum().items():
            row[f"cost:{comp}"] = float(v)
        t = tables["targets"]
        for _, r in t[t.target == "nonfossil_share"].iterrows():
            row[f"nonfossil_share:{r.jurisdiction}:{int(r.year)}"] = float(r.achieved)
            row[f"dual:nonfossil_share:{r.jurisdiction}:{int(r.year)}"] = _num(r.dual)
    tm = timings or {}
    row.update(solve_s=round(tm.get("solve", 0.0), 4), highs_s=round(tm.get("highs", 0.0), 4),
               build_s=round(tm.get("build", 0.0) + tm.get("handover", 0.0), 4),
               point_s=round(tm.get("point", tm.get("total", 0.0)), 4), iterations=iterations)
    return row


def _run_chunk(sweep: Sweep, chunk: list[Point], out_dir: str) -> list[dict[str, Any]]:
    """Run contiguous points in one process (build once, re-solve warm); return their summary rows."""
    logging.getLogger("pyomo").setLevel(logging.WARNING)
    w = _Worker(sweep, Path(out_dir))
    rows = []
    for p in chunk:
        row = w.run_point(p)
        log.info("point %s: %s, objective %s, %.2f s (HiGHS %.2f s)", p.id, row["status"],
                 f"{row['objective_cny']:,.0f}" if row["objective_cny"] is not None else "-",
                 row["point_s"], row["highs_s"])
        rows.append(row)
    return rows


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
    fd, tmp = tempfile.mkstemp(prefix=".summary.", suffix=".csv.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            df.to_csv(f, index=False, float_format="%.10g", lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@dataclass
class SweepResult:
    """What :func:`run_sweep` did: the summary table and counts."""

    out_dir: Path
    summary: pd.DataFrame
    solved: int
    skipped: int
    failed: int
    seconds: float


def run_sweep(sweep: Sweep | str | Path, executor: Executor | None = None, workers: int = 1, resume: bool = False,
              out_dir: str | Path | None = None) -> SweepResult:
    """Run every point (``resume``: skip finished ones); write the point folders and summary.csv.

    The remaining points are split into ``workers`` contiguous chunks; each chunk runs in one
    task of ``executor`` (any :class:`concurrent.futures.Executor`, e.g. Dask's
    ``Client.get_executor()``), or of a new process pool when ``workers`` > 1, or in this
    process. Each task builds its models once and re-solves warm.
    """
    t0 = time.perf_counter()
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep)
    out = Path(out_dir) if out_dir is not None else Path("results") / sweep.name
    out.mkdir(parents=True, exist_ok=True)
    pts = points(sweep)
    rows: dict[str, dict[str, Any]] = {}
    todo: list[Point] = []
    for p in pts:
        row = finished_row(out, p) if resume else None
        if row is not None:
            rows[p.id] = row
        else:
            todo.append(p)
    skipped = len(rows)
    log.info("sweep %s: %d points, %d finished before, %d to run on %d worker(s)", sweep.name, len(pts), skipped,
             len(todo), max(1, workers))
    summary_path = out / "summary.csv"
    if rows:
        write_summary(summary_path, list(rows.values()), sweep)
    n = max(1, min(workers, len(todo))) if todo else 0
    chunks = [todo[i * len(todo) // n:(i + 1) * len(todo) // n] for i in range(n)] if n else []
    chunks = [c for c in chunks if c]
    done = failed = 0

    def collect(new: list[dict[str, Any]]) -> None:
        nonlocal done, failed
        for r in new:
            rows[r["point_id"]] = r
            done += 1
            failed += r["status"] not in ("optimal", "elastic")
        write_summary(summary_path, list(rows.values()), sweep)
        el = time.perf_counter() - t0
        log.info("sweep %s: %d/%d points done (%d failed), %.2f s per point", sweep.name, done + skipped, len(pts),
                 failed, el / max(done, 1))

    own_pool = None
    if executor is None and len(chunks) > 1:
        executor = own_pool = ProcessPoolExecutor(max_workers=len(chunks))
    try:
        if executor is None:
            w = _Worker(sweep, out)
            for c in chunks:
                for p in c:
                    collect([w.run_point(p)])
        else:
            futures: list[Future[list[dict[str, Any]]]] = [executor.submit(_run_chunk, sweep, c, str(out))
                                                            for c in chunks]
            for f in as_completed(futures):
                c = chunks[futures.index(f)]
                try:
                    collect(f.result())
                except Exception as exc:  # noqa: BLE001 - a lost worker: record its unfinished points
                    log.error("a sweep worker failed: %s", exc)
                    collect([finished_row(out, p) or _row(sweep, p, "error", f"worker failed: {exc}") for p in c])
    finally:
        if own_pool is not None:
            own_pool.shutdown()
    if rows:
        write_summary(summary_path, list(rows.values()), sweep)
    summary = pd.read_csv(summary_path) if summary_path.is_file() else pd.DataFrame()
    return SweepResult(out, summary, done, skipped, failed, time.perf_counter() - t0)


__all__ = ["Axis", "Point", "Sweep", "SweepResult", "load_sweep", "point_id", "point_scenario", "points",
           "run_sweep", "write_summary"]
