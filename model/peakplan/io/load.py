"""Read and validate every input table; report every problem at once, before any model is built.

Each problem names the file, the line (the header is line 1), the column and what was
expected. :func:`load_dataset` returns a frozen :class:`Dataset` for the scenario's
jurisdictions and years, with the scenario's overrides applied.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from peakplan.io.schema import (
    HOURS_PER_YEAR,
    PARAMETERS,
    STORAGE_TECHS,
    TABLES,
    TABLES_BY_NAME,
    TARGET_BASES,
    TARGETS,
    TIMESERIES_COLUMNS,
    ColumnSpec,
    TableSpec,
)

if TYPE_CHECKING:
    from peakplan.config import Override, Scenario

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class InputError(ValueError):
    """Bad inputs: carries every :class:`Problem` found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in the inputs:"] + [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Dataset:
    """Validated inputs for one scenario (all tables, timeseries per jurisdiction)."""

    root: Path
    tables: dict[str, pd.DataFrame]
    timeseries: dict[str, pd.DataFrame]
    years: tuple[int, ...]
    jurisdictions: tuple[str, ...]
    base_year: int
    file_hashes: dict[str, str] = field(default_factory=dict)

    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- accessors (dictionary lookups, indexed once) -------------------------------------
    def _index(self) -> dict[str, Any]:
        if not self._cache:
            jy = self.tables["jurisdiction_year"]
            sy = self.tables["system_year"]
            c = self.tables["constants"]
            self._cache["jy"] = {(j, int(y), p): float(v) for j, y, p, v in
                                 zip(jy.jurisdiction, jy.year, jy.parameter, jy.value)}
            self._cache["sy"] = {(int(y), p): float(v) for y, p, v in zip(sy.year, sy.parameter, sy.value)}
            self._cache["const"] = {p: float(v) for p, v in zip(c.parameter, c.value)}
            t = self.tables["technologies"].sort_values(["technology", "year"])
            self._cache["tech"] = {g: [(int(r.year), r) for _, r in rows.iterrows()]
                                   for g, rows in t.groupby("technology", sort=True)}
        return self._cache

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def jy(self, j: str, y: int, parameter: str, default: float | None = None) -> float:
        """A value of jurisdiction_year.csv."""
        v = self._index()["jy"].get((j, int(y), parameter))
        if v is None:
            if default is not None:
                return default
            raise KeyError(f"jurisdiction_year.csv has no {parameter} for {j} {y}")
        return v

    def sy(self, y: int, parameter: str) -> float:
        """A value of system_year.csv."""
        try:
            return self._index()["sy"][(int(y), parameter)]
        except KeyError:
            raise KeyError(f"system_year.csv has no {parameter} for {y}") from None

    def const(self, parameter: str) -> float:
        try:
            return self._index()["const"][parameter]
        except KeyError:
            raise KeyError(f"constants.csv has no {parameter}") from None

    def tech(self, g: str, y: int) -> pd.Series:
        """Cost row of technology g for construction year y (the latest row at or before y, else the first)."""
        rows = self._index()["tech"][g]
        chosen = rows[0][1]
        for year, r in rows:
            if year <= y:
                chosen = r
        return chosen


# -- parsing and validation ------------------------------------------------------------------
def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _read_raw(path: Path, spec_name: str, problems: list[Problem]) -> pd.DataFrame | None:
    if not path.is_file():
        problems.append(Problem(path.name, None, None, f"file missing (table {spec_name!r} is required)"))
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # a malformed CSV is reported, not raised
        problems.append(Problem(path.name, None, None, f"cannot be read as CSV: {exc}"))
        return None


def _parse_table(raw: pd.DataFrame, spec: TableSpec, problems: list[Problem]) -> pd.DataFrame | None:
    """Check columns and convert types; blanks become NaN / None."""
    file = spec.file
    expected = [c.name for c in spec.columns]
    missing = [c for c in expected if c not in raw.columns]
    extra = [c for c in raw.columns if c not in expected]
    if missing:
        problems.append(Problem(file, 1, ", ".join(missing), f"missing column(s); expected columns {expected}"))
    if extra:
        problems.append(Problem(file, 1, ", ".join(extra), f"unknown column(s); expected columns {expected}"))
    if missing:
        return None
    out: dict[str, Any] = {}
    for c in spec.columns:
        col = raw[c.name].astype(str).str.strip()
        if c.dtype == "str":
            out[c.name] = pd.Series([v if v != "" else None for v in col], dtype=object)
            continue
        values: list[float] = []
        for i, text in enumerate(col):
            if text == "" or text.lower() in {"nan", "na", "null"}:
                values.append(math.nan)
                continue
            try:
                v = float(text)
            except ValueError:
                problems.append(Problem(file, i + 2, c.name, f"expected a number ({c.unit or c.dtype}), got {text!r}"))
                values.append(math.nan)
                continue
            if c.dtype == "int" and not float(v).is_integer():
                problems.append(Problem(file, i + 2, c.name, f"expected a whole number, got {text!r}"))
            values.append(v)
        out[c.name] = pd.array(values, dtype="float64")
    df = pd.DataFrame(out)
    df.attrs["file"] = file
    return df


def _check_values(df: pd.DataFrame, spec: TableSpec, problems: list[Problem]) -> None:
    """Blanks, ranges, allowed values, unique keys; parameter tables: per-parameter ranges."""
    file = spec.file
    for c in spec.columns:
        col = df[c.name]
        for i, v in enumerate(col):
            line = i + 2
            blank = v is None or (isinstance(v, float) and math.isnan(v))
            if blank:
                if not c.nullable:
                    problems.append(Problem(file, line, c.name, f"blank; expected {_expect(c)}"))
                continue
            if c.allowed is not None and v not in c.allowed:
                problems.append(Problem(file, line, c.name, f"expected one of {list(c.allowed)}, got {v!r}"))
            if c.pattern is not None and not re.fullmatch(c.pattern, str(v)):
                problems.append(Problem(file, line, c.name, f"expected {_expect(c)}, got {v!r}"))
            if c.dtype != "str":
                if c.min is not None and v < c.min:
                    problems.append(Problem(file, line, c.name, f"expected {_expect(c)}, got {v:g}"))
                elif c.max is not None and v > c.max:
                    problems.append(Problem(file, line, c.name, f"expected {_expect(c)}, got {v:g}"))
    key = list(spec.key)
    dup = df.duplicated(subset=key, keep="first")
    for i in np.flatnonzero(dup.to_numpy()):
        shown = tuple(_plain(df.iloc[i][k]) for k in key)
        problems.append(Problem(file, int(i) + 2, ", ".join(key),
                                f"duplicate key {shown}; each key must appear once"))
    if spec.parameters:
        pspecs = {p.name: p for p in PARAMETERS[spec.parameters]}
        for i, (name, v) in enumerate(zip(df["parameter"], df["value"])):
            p = pspecs.get(name)
            if p is None or v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            if (p.min is not None and v < p.min) or (p.max is not None and v > p.max):
                problems.append(Problem(file, i + 2, "value", f"{name}: expected a value in {p.unit} between"
                                        f" {p.min} and {p.max}, got {v:g}"))
    if spec.name == "targets":
        for i, (t, u) in enumerate(zip(df["target"], df["unit"])):
            if t in TARGETS and u is not None and u != TARGETS[t]:
                problems.append(Problem(file, i + 2, "unit", f"target {t!r} takes unit {TARGETS[t]!r}, got {u!r}"))
            v = df["value"].iloc[i]
            if TARGETS.get(t) in ("fraction", "fraction_reduction_vs_base") and isinstance(v, float) and v > 1:
                problems.append(Problem(file, i + 2, "value", f"target {t!r} is a fraction (0.25, not 25), got {v:g}"))
        for i, (basis, src) in enumerate(zip(df["basis"], df["source"])):
            if basis is None or src is None:
                continue
            if basis == "plan" and src.startswith("statistic:"):
                problems.append(Problem(file, i + 2, "basis", "a plan row cites the plan (seeds/…) or extrapolates"
                                        " its figure (estimate: …), not a public statistic; use parent_city,"
                                        " province or national for a published figure of another level"))
            elif basis != "plan" and src.startswith("seeds/"):
                problems.append(Problem(file, i + 2, "basis", f"the source is a plan clause, so the basis is"
                                        f" plan, got {basis!r}"))


def select_target_basis(targets: pd.DataFrame, preference: Iterable[str]) -> pd.DataFrame:
    """The rows of targets.csv that apply under a basis preference list.

    For each (jurisdiction, year, target) the rows of the first basis of ``preference`` that
    has one are kept; a target none of whose bases is listed is dropped.
    """
    order = {b: i for i, b in enumerate(preference)}
    unknown = sorted(set(order) - set(TARGET_BASES))
    if unknown:
        raise ValueError(f"unknown target basis {unknown}; expected some of {list(TARGET_BASES)}")
    rank = targets["basis"].map(order)
    listed = targets[rank.notna()].assign(_rank=rank[rank.notna()])
    if listed.empty:
        return targets.iloc[0:0].reset_index(drop=True)
    best = listed.groupby(["jurisdiction", "year", "target"], sort=False)["_rank"].transform("min")
    chosen = listed[listed["_rank"] == best].drop(columns="_rank")
    dropped = len(targets) - len(chosen)
    if dropped:
        log.info("target basis %s: %d of %d target rows apply", list(preference), len(chosen), len(targets))
    return chosen.reset_index(drop=True)


def _plain(v: Any) -> Any:
    """A cell as a plain Python value for messages (whole floats as int, numpy scalars unwrapped)."""
    if isinstance(v, (float, np.floating)) and not math.isnan(v) and float(v).is_integer():
        return int(v)
    return v.item() if isinstance(v, np.generic) else v


def _expect(c: ColumnSpec) -> str:
    if c.allowed is not None:
        return f"one of {list(c.allowed)}"
    if c.pattern is not None:
        return f"a text matching {c.pattern}"
    if c.dtype == "str":
        return "a non-empty text"
    rng = []
    if c.min is not None:
        rng.append(f">= {c.min:g}")
    if c.max is not None:
        rng.append(f"<= {c.max:g}")
    unit = f" {c.unit}" if c.unit else ""
    return f"a number{unit}" + (f" {' and '.join(rng)}" if rng else "")


def _apply_overrides(tables: dict[str, pd.DataFrame], overrides: Iterable[Override],
                     problems: list[Problem]) -> None:
    for i, o in enumerate(overrides):
        where = f"scenario overrides[{i}]"
        if o.table not in tables:
            problems.append(Problem(where, None, "table", f"unknown table {o.table!r}; expected {sorted(tables)}"))
            continue
        df = tables[o.table]
        spec = TABLES_BY_NAME[o.table]
        if o.column not in df.columns or spec.column(o.column).dtype == "str":
            problems.append(Problem(where, None, "column", f"{o.column!r} is not a numeric column of {o.table}"))
            continue
        mask = np.ones(len(df), dtype=bool)
        for k, v in o.where.items():
            if k not in df.columns:
                problems.append(Problem(where, None, "where", f"{k!r} is not a column of {o.table}"))
                mask[:] = False
                break
            mask &= (df[k] == v).to_numpy()
        if not mask.any():
            problems.append(Problem(where, None, "where", f"matches no row of {o.table}: {o.where}"))
            continue
        col = df[o.column].to_numpy(dtype=float, copy=True)
        if o.set is not None:
            col[mask] = o.set
        elif o.scale is not None:
            col[mask] = col[mask] * o.scale
        elif o.add is not None:
            col[mask] = col[mask] + o.add
        df[o.column] = col
        log.info("override %s: %s.%s where %s -> %d row(s)", i, o.table, o.column, o.where, int(mask.sum()))


def _check_timeseries(path: Path, j: str, problems: list[Problem]) -> pd.DataFrame | None:
    name = f"timeseries/{path.name}"
    if not path.is_file():
        problems.append(Problem(name, None, None, f"file missing (hourly profiles of {j!r} are required)"))
        return None
    try:
        df = pd.read_csv(path)
    except Exception as exc:
        problems.append(Problem(name, None, None, f"cannot be read as CSV: {exc}"))
        return None
    missing = [c for c in TIMESERIES_COLUMNS if c not in df.columns]
    if missing:
        problems.append(Problem(name, 1, ", ".join(missing), f"missing column(s); expected {list(TIMESERIES_COLUMNS)}"))
        return None
    if len(df) != HOURS_PER_YEAR:
        problems.append(Problem(name, None, None, f"expected {HOURS_PER_YEAR} hourly rows, got {len(df)}"))
        return None
    ok = True
    for c in TIMESERIES_COLUMNS[1:]:
        v = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(v))
        if bad.size:
            problems.append(Problem(name, int(bad[0]) + 2, c, f"expected a number, got {df[c].iloc[bad[0]]!r}"
                                    f" ({bad.size} such row(s))"))
            ok = False
            continue
        hi = 1.0 if c.endswith("_cf") else None
        low_bad = np.flatnonzero(v < 0)
        if low_bad.size:
            problems.append(Problem(name, int(low_bad[0]) + 2, c, f"expected >= 0, got {v[low_bad[0]]:g}"
                                    f" ({low_bad.size} such row(s))"))
            ok = False
        if hi is not None:
            hi_bad = np.flatnonzero(v > hi + 1e-9)
            if hi_bad.size:
                problems.append(Problem(name, int(hi_bad[0]) + 2, c, f"expected a capacity factor <= 1, got"
                                        f" {v[hi_bad[0]]:g} ({hi_bad.size} such row(s))"))
                ok = False
        df[c] = v
    if ok and abs(df["demand_pu"].mean() - 1.0) > 1e-3:
        problems.append(Problem(name, None, "demand_pu", f"expected a mean of 1.0, got {df['demand_pu'].mean():.4f}"))
        ok = False
    return df if ok else None


def _cross_checks(tables: dict[str, pd.DataFrame], jurisdictions: tuple[str, ...], years: tuple[int, ...],
                  base_year: int, problems: list[Problem]) -> None:
    jy = tables["jurisdiction_year"]
    have = set(zip(jy.jurisdiction, jy.year, jy.parameter))
    for p in PARAMETERS["jurisdiction_year"]:
        for j in jurisdictions:
            needed = [base_year, *years] if p.required else [base_year]
            for y in needed:
                if p.name in ("total_energy_tce", "co2_tco2", "nonfossil_electricity_tce") and y != base_year:
                    continue
                if (j, y, p.name) not in have:
                    problems.append(Problem("jurisdiction_year.csv", None, "parameter",
                                            f"missing row: jurisdiction {j}, year {y}, parameter {p.name} ({p.unit})"))
    sy = tables["system_year"]
    have_s = set(zip(sy.year, sy.parameter))
    for p in PARAMETERS["system_year"]:
        for y in [base_year, *years]:
            if (y, p.name) not in have_s:
                problems.append(Problem("system_year.csv", None, "parameter",
                                        f"missing row: year {y}, parameter {p.name} ({p.unit})"))
    pot = tables["potentials"]
    tech = tables["technologies"]
    pot_sel = pot[pot.jurisdiction.isin(jurisdictions)]
    for g in sorted(set(pot_sel.technology)):
        rows = tech[tech.technology == g]
        for y in years:
            if rows[rows.year <= y].empty:
                problems.append(Problem("technologies.csv", None, "technology",
                                        f"no cost row for {g} in or before {y} (it is a candidate in potentials.csv)"))
        for _, r in rows.iterrows():
            if g in STORAGE_TECHS:
                for col in ("capex_energy_cny_per_kwh", "efficiency_charge", "efficiency_discharge", "loss_per_h",
                            "duration_min_h", "duration_max_h"):
                    if pd.isna(r[col]):
                        problems.append(Problem("technologies.csv", int(r.name) + 2, col,
                                                f"blank; storage technology {g} needs it"))
                if not pd.isna(r.duration_min_h) and not pd.isna(r.duration_max_h) and r.duration_min_h > r.duration_max_h:
                    problems.append(Problem("technologies.csv", int(r.name) + 2, "duration_max_h",
                                            "expected duration_max_h >= duration_min_h"))
            if g.startswith("gas") and pd.isna(r.heat_rate_tce_per_mwh):
                problems.append(Problem("technologies.csv", int(r.name) + 2, "heat_rate_tce_per_mwh",
                                        f"blank; gas technology {g} needs it"))
    ex_sel = tables["existing_capacity"]
    ex_sel = ex_sel[ex_sel.jurisdiction.isin(jurisdictions)]
    for g in sorted(set(ex_sel.technology) - set(tech.technology)):
        problems.append(Problem("technologies.csv", None, "technology",
                                f"no row for {g}, which has existing capacity in existing_capacity.csv"
                                " (its O&M and storage efficiencies come from there)"))
    units = tables["units"]
    uids = set(units.unit_id)
    for i, r in units.iterrows():
        if r.technology != "hydro" and pd.isna(r.heat_rate_tce_per_mwh):
            problems.append(Problem("units.csv", int(i) + 2, "heat_rate_tce_per_mwh",
                                    f"blank; a {r.technology} unit needs its fuel rate"))
        if not pd.isna(r.retrofit_heat_rate_tce_per_mwh) and pd.isna(r.retrofit_capex_cny_per_kw):
            problems.append(Problem("units.csv", int(i) + 2, "retrofit_capex_cny_per_kw",
                                    "blank while retrofit_heat_rate_tce_per_mwh is given"))
        if not pd.isna(r.repower_heat_rate_tce_per_mwh) and pd.isna(r.repower_capex_cny_per_kw):
            problems.append(Problem("units.csv", int(i) + 2, "repower_capex_cny_per_kw",
                                    "blank while repower_heat_rate_tce_per_mwh is given"))
        if not pd.isna(r.cofire_from_year) and pd.isna(r.cofire_share):
            problems.append(Problem("units.csv", int(i) + 2, "cofire_from_year",
                                    "given while cofire_share is blank; expected a co-firing share"))
        if not pd.isna(r.min_output_share) and not r.heating_months:
            problems.append(Problem("units.csv", int(i) + 2, "heating_months",
                                    "blank while min_output_share is given; expected e.g. 11;12;1;2;3"))
        if r.heating_months:
            try:
                months = [int(m) for m in str(r.heating_months).split(";")]
                if any(m < 1 or m > 12 for m in months):
                    raise ValueError
            except ValueError:
                problems.append(Problem("units.csv", int(i) + 2, "heating_months",
                                        f"expected months 1-12 separated by ';', got {r.heating_months!r}"))
    rules = tables["unit_rules"]
    for i, r in rules.iterrows():
        if r.unit_id is not None and r.unit_id not in uids:
            problems.append(Problem("unit_rules.csv", int(i) + 2, "unit_id", f"unknown unit {r.unit_id!r};"
                                    " expected a unit_id of units.csv or blank"))
        if r.rule == "heat_rate_threshold" and pd.isna(r.threshold_tce_per_mwh):
            problems.append(Problem("unit_rules.csv", int(i) + 2, "threshold_tce_per_mwh",
                                    "blank; a heat_rate_threshold rule needs its threshold"))
    pot_keys = {(j, g): v for j, g, v in zip(pot.jurisdiction, pot.technology, pot.potential_mw)}
    proj = tables["projects"]
    totals = proj.groupby(["jurisdiction", "technology"]).capacity_mw.sum()
    exist = tables["existing_capacity"]
    for i, r in proj.iterrows():
        if (r.jurisdiction, r.technology) not in pot_keys:
            problems.append(Problem("projects.csv", int(i) + 2, "technology", f"{r.technology} has no row for"
                                    f" {r.jurisdiction} in potentials.csv, so the project cannot be built"))
    for (j, g), total in totals.items():
        cap = pot_keys.get((j, g))
        if cap is not None and not pd.isna(cap):
            ex = exist[(exist.jurisdiction == j) & (exist.technology == g)].capacity_mw
            ex_max = float(ex.max()) if len(ex) else 0.0
            if total + ex_max > cap + 1e-6:
                problems.append(Problem("potentials.csv", None, "potential_mw",
                                        f"{j} {g}: potential {cap:g} MW is below committed projects {total:g} MW"
                                        f" + existing {ex_max:g} MW"))
    known = set(tables["jurisdictions"].jurisdiction)
    for j in jurisdictions:
        if j not in known:
            problems.append(Problem("jurisdictions.csv", None, "jurisdiction", f"no row for selected jurisdiction {j!r}"))
    for spec in TABLES:
        if spec.name == "jurisdictions" or "jurisdiction" not in tables[spec.name].columns:
            continue
        for i, j in enumerate(tables[spec.name].jurisdiction):
            if j not in known:
                problems.append(Problem(spec.file, i + 2, "jurisdiction",
                                        f"unknown jurisdiction {j!r}; expected an id of jurisdictions.csv"))


def load_tables(root: Path, problems: list[Problem]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Read and type-check every table of ``root`` (problems appended, never raised)."""
    tables: dict[str, pd.DataFrame] = {}
    hashes: dict[str, str] = {}
    for spec in TABLES:
        path = root / spec.file
        raw = _read_raw(path, spec.name, problems)
        if raw is None:
            continue
        hashes[spec.file] = _hash(path)
        df = _parse_table(raw, spec, problems)
        if df is not None:
            tables[spec.name] = df
    return tables, hashes


def load_dataset(scenario: Scenario) -> Dataset:
    """Read, override and validate all inputs for ``scenario``; raise :class:`InputError` listing every problem."""
    root = Path(scenario.inputs)
    problems: list[Problem] = []
    if not root.is_dir():
        raise InputError([Problem(str(root), None, None, "inputs folder not found")])
    tables, hashes = load_tables(root, problems)
    if len(tables) == len(TABLES):
        _apply_overrides(tables, scenario.overrides, problems)
    for spec in TABLES:
        if spec.name in tables:
            _check_values(tables[spec.name], spec, problems)
    base_year = 2020
    if "constants" in tables:
        c = tables["constants"]
        by = c.loc[c.parameter == "base_year", "value"]
        if by.empty:
            problems.append(Problem("constants.csv", None, "parameter", "missing row: base_year"))
        else:
            base_year = int(by.iloc[0])
        for p in PARAMETERS["constants"]:
            if p.name not in set(c.parameter):
                problems.append(Problem("constants.csv", None, "parameter", f"missing row: {p.name} ({p.unit})"))
    if any(y <= base_year for y in scenario.years):
        problems.append(Problem("scenario", None, "years", f"milestone years must come after the base year {base_year}"))
    timeseries: dict[str, pd.DataFrame] = {}
    for j in scenario.jurisdictions:
        path = root / "timeseries" / f"{j}.csv"
        ts = _check_timeseries(path, j, problems)
        if ts is not None:
            timeseries[j] = ts
            hashes[f"timeseries/{j}.csv"] = _hash(path)
    if not problems and len(tables) == len(TABLES):
        _cross_checks(tables, scenario.jurisdictions, scenario.years, base_year, problems)
    if problems:
        raise InputError(problems)
    tables = {k: _restrict(k, v, scenario.jurisdictions) for k, v in tables.items()}
    tables["targets"] = select_target_basis(tables["targets"], scenario.policy.target_basis)
    log.info("inputs %s: %d tables, %d jurisdictions, years %s", root, len(tables), len(timeseries),
             list(scenario.years))
    return Dataset(root=root, tables=tables, timeseries=timeseries, years=scenario.years,
                   jurisdictions=scenario.jurisdictions, base_year=base_year, file_hashes=hashes)


def _restrict(name: str, df: pd.DataFrame, jurisdictions: tuple[str, ...]) -> pd.DataFrame:
    if "jurisdiction" in df.columns:
        return df[df.jurisdiction.isin(jurisdictions)].reset_index(drop=True)
    return df.reset_index(drop=True)


__all__ = ["Dataset", "InputError", "Problem", "load_dataset", "load_tables", "select_target_basis"]
