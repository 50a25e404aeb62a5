"""What a sweep varies: its file, axes, points and their order (see :mod:`peakplan.sweep`)."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peakplan.config import (
    ConfigError,
    Override,
    PolicyConfig,
    Scenario,
    load_scenario,
    read_yaml_mapping,
    reject_unknown,
    scenario_to_dict,
)
from peakplan.io.load import load_dataset

OPS = ("set", "scale", "add")
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


def sweep_fingerprint(sweep: Sweep) -> str:
    """A hash of everything that decides a point's result: the base scenario (without names and
    paths), the contents of its input files, the axes, grid and seed. The number of draws is left
    out, so a resumed sweep may ask for more draws."""
    base = scenario_to_dict(sweep.base)
    for k in ("name", "description", "source_file", "inputs", "workers"):
        base.pop(k, None)
    if isinstance(base.get("solver"), dict):
        base["solver"].pop("path", None)
    spec = sweep_spec(sweep)
    data = load_dataset(sweep.base)
    content = {"base": base, "inputs": dict(sorted(data.file_hashes.items())), "axes": spec["axes"],
               "grid": sweep.grid, "seed": sweep.seed, "jurisdictions": spec["jurisdictions"], "years": spec["years"]}
    return hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:16]


__all__ = ["Axis", "KINDS", "Point", "Sweep", "load_sweep", "point_id", "point_scenario", "points", "run_order",
           "sweep_fingerprint", "sweep_spec"]
