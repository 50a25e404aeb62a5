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
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from peakplan.build import BuiltModel, build_model
from peakplan.config import (
    ConfigError,
    Override,
    PolicyConfig,
    Scenario,
    load_scenario,
    read_yaml_mapping,
    reject_unknown,
)
from peakplan.io.atomic import atomic_text, atomic_write
from peakplan.io.load import Dataset, load_dataset
from peakplan.results import TABLE_COLUMNS, Evaluator, extract
from peakplan.run import BlockResult, RunResult, blocks_of, build_manifest, empty_tables, model_size, time_info
from peakplan.solve import DirectSolver
from peakplan.time import TimeIndex, make_time_index

log = logging.getLogger(__name__)

OPS = ("set", "scale", "add")
SUMMARY_EVERY_S = 2.0
KINDS = ("target", "override", "scenario", "gdp_growth", "rep_days")
# numeric scenario switches a ``scenario`` axis may set
SCENARIO_KEYS = tuple(f.name for f in dataclasses.fields(PolicyConfig)
                      if f.name in ("carbon_price_cny_per_tco2", "shared_import_cap_mw"))


@dataclass(frozen=True)
class Axis:
    """One varied quantity; ``values`` (listed) or ``range`` (for random draws)."""

    name: str
    kind: str
    values: tuple[float, ...] = ()
    range: tuple[float, float] | None = None
    target: str = ""
    jurisdiction: str = "all"
    year: Any = "all"
    table: str = ""
    column: str = ""
    where: tuple[tuple[str, Any], ...] = ()
    op: str = "set"
    key: str = ""
    # gdp_growth: (jurisdiction, base-year GDP) of the jurisdictions it applies to, base year, milestone years
    gdp_base: tuple[tuple[str, float], ...] = ()
    base_year: int = 2020
    years: tuple[int, ...] = ()

    @property
    def changes_data(self) -> bool:
        """Whether a new value needs a rebuild (data) rather than an in-place target level."""
        return self.kind != "target"

    def matches(self, key: str) -> bool:
        """Whether target row ``key`` (``family|jurisdiction|year[|tech]``) is set by this axis."""
        parts = key.split("|")
        return (parts[0] == self.target and (self.jurisdiction == "all" or parts[1] == self.jurisdiction)
                and (self.year == "all" or int(parts[2]) == int(self.year)))

    def overrides(self, value: float) -> list[Override]:
        """The input overrides equivalent to ``value`` on this axis (none for a scenario axis)."""
        if self.kind == "target":
            where: dict[str, Any] = {"target": self.target}
            if self.jurisdiction != "all":
                where["jurisdiction"] = self.jurisdiction
            if self.year != "all":
                where["year"] = int(self.year)
            return [Override(table="targets", column="value", where=where, set=float(value))]
        if self.kind == "override":
            return [Override(table=self.table, column=self.column, where=dict(self.where),
                             **{self.op: float(value)})]
        if self.kind == "gdp_growth":
            return [Override(table="jurisdiction_year", column="value",
                             where={"jurisdiction": j, "year": y, "parameter": "gdp_cny"},
                             set=gdp * (1.0 + float(value)) ** (y - self.base_year))
                    for j, gdp in self.gdp_base for y in self.years if y != self.base_year]
        return []


@dataclass(frozen=True)
class Point:
    """One point of a sweep: its stable index and id, and the value of every axis."""

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
    draws: int = 0
    seed: int = 0
    point_reports: bool = False  # write summary.md into every point folder (else: peakplan report DIR)

    @property
    def target_axes(self) -> tuple[Axis, ...]:
        return tuple(a for a in self.axes if a.kind == "target")

    @property
    def data_axes(self) -> tuple[Axis, ...]:
        return tuple(a for a in self.axes if a.changes_data)


# -- reading -----------------------------------------------------------------------------------
def load_sweep(path: str | Path) -> Sweep:
    """Read a sweep file; problems are raised as :class:`ConfigError` naming the key, and input
    problems of its overrides (e.g. a ``where`` that matches no row) as :class:`InputError`."""
    path = Path(path)
    raw = read_yaml_mapping(path, "sweep")
    reject_unknown(raw, {"name", "description", "base", "jurisdictions", "years", "time", "solver_config", "grid",
                         "axes", "draws", "point_reports"}, str(path))
    if "base" not in raw:
        raise ConfigError(f"{path}: base: give the base scenario file (relative to the sweep file)")
    base = load_scenario((path.parent / str(raw["base"])).resolve())
    jur = raw.get("jurisdictions")
    years = raw.get("years")
    base = base.with_cli(jurisdictions=tuple(jur if isinstance(jur, list) else [jur]) if jur else None,
                         years=tuple(years) if years else None,
                         time=str(raw["time"]) if raw.get("time") else None,
                         solver_config=(path.parent / str(raw["solver_config"])).resolve()
                         if raw.get("solver_config") else None)
    draws, seed = 0, 0
    if "draws" in raw:
        d = raw["draws"]
        if not isinstance(d, dict):
            raise ConfigError(f"{path}: draws: expected a mapping {{n: N, seed: S}}")
        reject_unknown(d, {"n", "seed"}, f"{path}: draws")
        try:
            draws, seed = int(d.get("n", 0)), int(d.get("seed", 0))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{path}: draws: n and seed must be integers") from exc
        if draws < 1:
            raise ConfigError(f"{path}: draws.n: expected a positive number of draws, got {d.get('n')!r}")
    axes_raw = raw.get("axes")
    if not isinstance(axes_raw, list) or not axes_raw:
        raise ConfigError(f"{path}: axes: expected a non-empty list of axes")
    axes = tuple(_axis(a, f"{path}: axes[{i}]", base, bool(draws)) for i, a in enumerate(axes_raw))
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: axes: names must be unique, got {names}")
    grid = bool(raw.get("grid", True))
    if not draws and not grid and len({len(a.values) for a in axes}) > 1:
        raise ConfigError(f"{path}: grid: false zips the axes, so every axis needs the same number of values")
    sweep = Sweep(str(raw.get("name", path.stem)), base, axes, grid, path.resolve(), draws, seed,
                  bool(raw.get("point_reports", False)))
    pts = points(sweep)
    ids = [p.id for p in pts]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{path}: two points get the same id; make the axis values distinct")
    if sweep.data_axes:  # every input problem of the overrides now, not once per point later
        load_dataset(point_scenario(sweep, pts[0]))
    return sweep


def _axis(a: Any, where: str, base: Scenario, draws: bool) -> Axis:
    if not isinstance(a, dict):
        raise ConfigError(f"{where}: expected a mapping")
    kind = a.get("kind", "target")
    if kind not in KINDS:
        raise ConfigError(f"{where}.kind: expected one of {list(KINDS)}, got {kind!r}")
    values: tuple[float, ...] = ()
    rng: tuple[float, float] | None = None
    if draws:
        r = a.get("range")
        if "values" in a or not isinstance(r, list) or len(r) != 2:
            raise ConfigError(f"{where}.range: with draws, every axis needs range: [low, high] (and no values)")
        try:
            rng = (float(r[0]), float(r[1]))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}.range: expected two numbers, got {r!r}") from exc
        if not rng[0] <= rng[1]:
            raise ConfigError(f"{where}.range: low must not exceed high, got {r!r}")
    else:
        vals = a.get("values")
        if "range" in a:
            raise ConfigError(f"{where}.range: a range needs draws: {{n: N, seed: S}} at the top of the file")
        if not isinstance(vals, list) or not vals:
            raise ConfigError(f"{where}.values: expected a non-empty list")
        try:
            values = tuple(float(v) for v in vals)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}.values: expected numbers, got {vals!r}") from exc
    name = str(a.get("name", ""))
    if not name or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ConfigError(f"{where}.name: expected letters, digits, '_', '.', '-', got {name!r}")
    common = {"name", "kind", "values", "range"}
    ax = Axis(name, kind, values, rng)

    def jurisdiction() -> str:
        jur = str(a.get("jurisdiction", "all"))
        if jur != "all" and jur not in base.jurisdictions:
            raise ConfigError(f"{where}.jurisdiction: {jur!r} is not among the sweep's jurisdictions "
                              f"{list(base.jurisdictions)}; expected one of them or 'all'")
        return jur

    if kind == "target":
        reject_unknown(a, common | {"target", "jurisdiction", "year"}, where)
        from peakplan.build.policies import SENSE

        target = str(a.get("target", ""))
        if target not in SENSE:
            raise ConfigError(f"{where}.target: expected one of {sorted(SENSE)}, got {target!r}")
        year = a.get("year", "all")
        if year != "all":
            if int(year) not in base.years:
                raise ConfigError(f"{where}.year: {year} is not a milestone year of the sweep {list(base.years)}")
            year = int(year)
        return replace(ax, target=target, jurisdiction=jurisdiction(), year=year)
    if kind == "override":
        reject_unknown(a, common | {"table", "where", "column", "op"}, where)
        op = str(a.get("op", "set"))
        if op not in OPS:
            raise ConfigError(f"{where}.op: expected one of {list(OPS)}, got {op!r}")
        if not a.get("table") or not a.get("column"):
            raise ConfigError(f"{where}: an override axis needs table and column")
        w = a.get("where") or {}
        if not isinstance(w, dict):
            raise ConfigError(f"{where}.where: expected a mapping of column: value")
        return replace(ax, table=str(a["table"]), column=str(a["column"]), where=tuple(sorted(w.items())), op=op)
    if kind == "rep_days":
        reject_unknown(a, common, where)
        vals = values or (rng or ())
        if any(v != int(v) or not 1 <= v <= 365 for v in vals):
            raise ConfigError(f"{where}.values: rep_days must be whole numbers of days from 1 to 365, got {list(vals)}")
        return ax
    if kind == "scenario":
        reject_unknown(a, common | {"key"}, where)
        key = str(a.get("key", ""))
        if key not in SCENARIO_KEYS:
            raise ConfigError(f"{where}.key: expected one of {list(SCENARIO_KEYS)}, got {key!r}")
        return replace(ax, key=key)
    # gdp_growth
    reject_unknown(a, common | {"jurisdiction"}, where)
    jur = jurisdiction()
    jy = pd.read_csv(base.inputs / "jurisdiction_year.csv")
    consts = pd.read_csv(base.inputs / "constants.csv")
    by = int(consts.loc[consts.parameter == "base_year", "value"].iloc[0])
    gdp = jy[(jy.parameter == "gdp_cny") & (jy.year == by)].set_index("jurisdiction")["value"]
    sel = base.jurisdictions if jur == "all" else (jur,)
    missing = [j for j in sel if j not in gdp.index]
    if missing:
        raise ConfigError(f"{where}: no {by} gdp_cny in {base.inputs / 'jurisdiction_year.csv'} for {missing}")
    return replace(ax, jurisdiction=jur, gdp_base=tuple((j, float(gdp[j])) for j in sel), base_year=by,
                   years=tuple(base.years))


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
    """All points in index order: the cartesian product (first axis slowest), the zip, or the draws."""
    names = [a.name for a in sweep.axes]
    if sweep.draws:
        rng = np.random.default_rng(sweep.seed)
        width = max(4, len(str(sweep.draws - 1)))
        out = []
        for i in range(sweep.draws):  # one draw after another: a longer run extends a shorter one
            drawn = [float(rng.uniform(a.range[0], a.range[1])) if a.range else 0.0 for a in sweep.axes]
            out.append(Point(i, f"draw{i:0{width}d}", tuple(zip(names, drawn))))
        return out
    combos = (itertools.product(*(a.values for a in sweep.axes)) if sweep.grid
              else zip(*(a.values for a in sweep.axes)))
    out = []
    for i, combo in enumerate(combos):
        vals = tuple(zip(names, combo))
        out.append(Point(i, point_id(vals), vals))
    return out


def run_order(sweep: Sweep, pts: list[Point]) -> list[Point]:
    """Points in an order where neighbours are similar: a greedy nearest-neighbour path.

    Each axis is scaled to [0, 1]; data axes (which need a rebuild) weigh 1,000 times more, so
    points with the same data run together. Ties go to the lower index, so the order is stable.
    """
    if len(pts) <= 2:
        return list(pts)
    names = [a.name for a in sweep.axes]
    x = np.array([[float(p.as_dict[n]) for n in names] for p in pts])
    span = x.max(axis=0) - x.min(axis=0)
    x = (x - x.min(axis=0)) / np.where(span > 0, span, 1.0)
    x *= np.array([1000.0 if a.changes_data else 1.0 for a in sweep.axes])
    left = np.ones(len(pts), dtype=bool)
    i = 0
    order = [0]
    left[0] = False
    for _ in range(len(pts) - 1):
        d = np.abs(x - x[i]).sum(axis=1)
        d[~left] = np.inf
        i = int(np.argmin(d))
        order.append(i)
        left[i] = False
    return [pts[i] for i in order]


def point_scenario(sweep: Sweep, point: Point, targets_as_overrides: bool = True) -> Scenario:
    """The base scenario with the point's values applied (what a cold single run of it is)."""
    vals = point.as_dict
    extra: list[Override] = []
    policy = sweep.base.policy
    time_cfg = sweep.base.time
    for a in sweep.axes:
        if a.kind == "scenario":
            switch: dict[str, Any] = {a.key: float(vals[a.name])}
            policy = replace(policy, **switch)
        elif a.kind == "rep_days":
            time_cfg = replace(time_cfg, mode="rep", days=int(round(float(vals[a.name]))))
        elif a.kind != "target" or targets_as_overrides:
            extra += a.overrides(vals[a.name])
    return replace(sweep.base, name=f"{sweep.name}/{point.id}", policy=policy, time=time_cfg,
                   overrides=tuple(sweep.base.overrides) + tuple(extra))


# -- running -----------------------------------------------------------------------------------
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
        joint = None
        if scen.time.aggregation == "joint" or scen.time.mode == "full":
            joint = make_time_index({j: data.timeseries[j] for j in scen.jurisdictions}, scen.time)
        blocks = blocks_of(scen)
        for gone in [b for b in self.live if b not in blocks]:  # e.g. a shared import cap couples them
            del self.live[gone]
        for block in blocks:
            # the time index depends on profiles only, which overrides do not touch: aggregate once
            ti = joint or self.time_indexes.get((block, scen.time))
            if ti is None:
                ti = make_time_index({j: data.timeseries[j] for j in block}, scen.time)
                self.time_indexes[(block, scen.time)] = ti
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

    def run_point(self, point: Point) -> dict[str, Any]:
        """Run one point to the end (its folder written); return its summary row."""
        return self.run_points([point])[0]

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
            staged.append((lv, (lv.built, list(lv.built.targets), out, sol, bt, size)))
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
                built, targets, out, sol, bt, size = st
                t1 = time.perf_counter()
                if out.optimal:
                    status = "elastic" if scenario.elastic else "optimal"
                    view = replace(built, targets=targets)
                    cons = [getattr(built.model, f"c_{r.target}")[r.key] for r in targets]
                    tables, diag = extract(view, sol.duals(cons), Evaluator(view, sol.x, sol.col_of)), []
                else:
                    status = "time_limit" if out.limit else "infeasible" if out.infeasible else "error"
                    tables, diag = empty_tables(), [f"{','.join(lv.block)}: {status} ({out.termination})"]
                bt["extract"] = time.perf_counter() - t1
                res = BlockResult(lv.block, status, tables, out.objective_cny if out.optimal else None,
                                  out.termination, diag, {k: round(v, 4) for k, v in bt.items()}, size, lv.time_info)
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


def sweep_spec(sweep: Sweep) -> dict[str, Any]:
    """What the sweep varied, written to ``<out>/sweep.yaml`` (read by ``peakplan compare``)."""
    axes = []
    for a in sweep.axes:
        d: dict[str, Any] = {"name": a.name, "kind": a.kind}
        if a.range is not None:
            d["range"] = list(a.range)
        else:
            d["values"] = list(a.values)
        if a.kind == "target":
            d.update(target=a.target, jurisdiction=a.jurisdiction, year=a.year)
        elif a.kind == "override":
            d.update(table=a.table, column=a.column, where=dict(a.where), op=a.op)
        elif a.kind == "scenario":
            d["key"] = a.key
        elif a.kind == "gdp_growth":
            d["jurisdiction"] = a.jurisdiction
        axes.append(d)
    return {"name": sweep.name, "source": str(sweep.source_file) if sweep.source_file else None,
            "base_scenario": sweep.base.name, "jurisdictions": list(sweep.base.jurisdictions),
            "years": list(sweep.base.years), "grid": sweep.grid, "draws": sweep.draws, "seed": sweep.seed,
            "axes": axes}


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
    atomic_text(out / "sweep.yaml", yaml.safe_dump(sweep_spec(sweep), sort_keys=False, allow_unicode=True))
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
