"""Scenario and solver configuration: frozen dataclasses read from YAML, unknown keys rejected.

A scenario names its inputs folder, milestone years, jurisdictions, time resolution, solver
options, policy switches and a list of overrides of input values. Paths in a scenario file
are relative to the file. ``scenarios/base.yaml`` is the default scenario.
"""

from __future__ import annotations

import dataclasses
import logging
import typing
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from peakplan.io.schema import FIRMNESS, JURISDICTION_IDS, TARGET_BASES, TARGETS

log = logging.getLogger(__name__)

Treatment = Literal["hard", "soft", "off"]
DEFAULT_SCENARIO = Path("scenarios/base.yaml")


class ConfigError(ValueError):
    """A scenario or solver file that cannot be used; the message names file and key."""


@dataclass(frozen=True)
class TimeConfig:
    """Time resolution: ``rep`` (representative days chosen by tsam) or ``full`` (8760 h)."""

    mode: Literal["rep", "full"] = "rep"
    days: int = 12
    seed: int = 0
    # per_block: each independent block of jurisdictions gets days chosen from its own profiles
    # (so one jurisdiction alone gives the same plan as inside a larger run); joint: one set of
    # days for all selected jurisdictions together.
    aggregation: Literal["per_block", "joint"] = "per_block"


@dataclass(frozen=True)
class PolicyConfig:
    """Scenario switches of formulation §4–§6."""

    export_attribution: Literal["fossil_first", "grid_average"] = "fossil_first"
    exclude_new_re: bool = True
    include_indirect: bool = True
    committed_projects: bool = True
    unit_rules: bool = True
    honour_recorded_retirements: bool = True
    carbon_price_cny_per_tco2: float = 0.0
    # how targets of each firmness word are treated: hard constraint, soft (elastic, penalised) or off
    firmness: dict[str, Treatment] = field(default_factory=lambda: {f: "hard" for f in FIRMNESS})
    targets_off: tuple[str, ...] = ()
    # whose figure a target uses where several are given (targets.csv `basis`), most preferred first;
    # a target none of whose bases is listed does not apply
    target_basis: tuple[str, ...] = TARGET_BASES
    shared_import_cap_mw: float | None = None
    # MILP option: retire existing units in whole units (ret · n_units integer); duals are then not reported
    integer_retirement: bool = False


@dataclass(frozen=True)
class Penalties:
    """Elastic-mode penalties per unit of slack (CNY per unit per year), far above any real cost."""

    tce: float = 5.0e4
    tco2: float = 2.0e4
    mw: float = 1.0e7
    mwh: float = 1.0e4


@dataclass(frozen=True)
class Override:
    """Change input values: rows of ``table`` matching ``where``; ``column`` set / scaled / shifted."""

    table: str
    column: str
    where: dict[str, Any] = field(default_factory=dict)
    set: float | None = None
    scale: float | None = None
    add: float | None = None


@dataclass(frozen=True)
class SolverConfig:
    """HiGHS options with HiGHS's own names, read from ``solver_configs/*.yaml``."""

    path: Path | None
    options: dict[str, Any]
    time_limit_s: float | None = None
    # options for warm re-solves of a live model (after its first solve), e.g. {"solver": "simplex"}
    resolve_options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """One scenario: what to optimise, on which inputs, at which resolution."""

    name: str
    inputs: Path
    years: tuple[int, ...] = (2025, 2030)
    jurisdictions: tuple[str, ...] = JURISDICTION_IDS
    time: TimeConfig = TimeConfig()
    solver: SolverConfig = SolverConfig(None, {})
    policy: PolicyConfig = PolicyConfig()
    penalties: Penalties = Penalties()
    overrides: tuple[Override, ...] = ()
    elastic: bool = False
    workers: int = 1
    description: str = ""
    source_file: Path | None = None

    def with_cli(
        self,
        jurisdictions: tuple[str, ...] | None = None,
        years: tuple[int, ...] | None = None,
        time: str | None = None,
        solver_config: Path | None = None,
        elastic: bool | None = None,
        workers: int | None = None,
    ) -> Scenario:
        """The scenario with command-line overrides applied (validated like the file)."""
        s = self
        if jurisdictions:
            s = replace(s, jurisdictions=_check_jurisdictions(list(jurisdictions), "--jurisdictions", s.inputs))
        if years:
            s = replace(s, years=_check_years(list(years), "--years"))
        if time:
            s = replace(s, time=parse_time_option(time, s.time))
        if solver_config:
            s = replace(s, solver=load_solver_config(solver_config))
        if elastic is not None:
            s = replace(s, elastic=elastic)
        if workers is not None:
            s = replace(s, workers=max(1, workers))
        return s


def parse_time_option(text: str, base: TimeConfig) -> TimeConfig:
    """``full`` or ``rep:N`` (N representative days)."""
    if text == "full":
        return replace(base, mode="full")
    if text.startswith("rep"):
        n = text.split(":", 1)[1] if ":" in text else str(base.days)
        if not n.isdigit() or not 1 <= int(n) <= 365:
            raise ConfigError(f"--time: expected 'full' or 'rep:N' with 1 <= N <= 365, got {text!r}")
        return replace(base, mode="rep", days=int(n))
    raise ConfigError(f"--time: expected 'full' or 'rep:N', got {text!r}")


def available_jurisdictions(inputs: Path) -> tuple[str, ...]:
    """Jurisdiction ids of an inputs folder (its ``jurisdictions.csv``).

    The five shipped jurisdictions when the file cannot be read (the input check reports why).
    """
    import csv

    try:
        with open(Path(inputs) / "jurisdictions.csv", encoding="utf-8", newline="") as f:
            ids = [str(r.get("jurisdiction", "")).strip() for r in csv.DictReader(f)]
    except OSError:
        return JURISDICTION_IDS
    ids = list(dict.fromkeys(i for i in ids if i))
    # the five plans' jurisdictions in their usual order, then any others in file order
    ids.sort(key=lambda i: JURISDICTION_IDS.index(i) if i in JURISDICTION_IDS else len(JURISDICTION_IDS))
    return tuple(ids) or JURISDICTION_IDS


def _check_jurisdictions(values: list[Any], where: str, inputs: Path) -> tuple[str, ...]:
    known = available_jurisdictions(inputs)
    if values == ["all"] or values == "all":
        return known
    bad = [v for v in values if v not in known]
    if bad or not values:
        raise ConfigError(f"{where}: unknown jurisdiction(s) {bad}; expected some of {list(known)} "
                          f"(from {Path(inputs) / 'jurisdictions.csv'}) or 'all'")
    return tuple(dict.fromkeys(values))


def _check_years(values: list[Any], where: str) -> tuple[int, ...]:
    try:
        years = tuple(sorted({int(v) for v in values}))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: years must be integers, got {values!r}") from exc
    if not years or any(y < 2021 or y > 2060 for y in years):
        raise ConfigError(f"{where}: expected milestone years between 2021 and 2060, got {values!r}")
    return years


def _check_target_basis(value: Any, where: str) -> tuple[str, ...]:
    """A non-empty, duplicate-free list of bases of :data:`TARGET_BASES` (a single name is a list of one)."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        raise ConfigError(f"{where}: expected a list of bases in order of preference, e.g. {list(TARGET_BASES)},"
                          f" got {value!r}")
    bad = [v for v in values if v not in TARGET_BASES]
    if bad:
        raise ConfigError(f"{where}: unknown basis {bad}; expected some of {list(TARGET_BASES)}")
    if len(set(values)) != len(values):
        raise ConfigError(f"{where}: each basis may be listed once, got {values}")
    return tuple(values)


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """The top-level mapping of a YAML file; a missing file or another shape is a :class:`ConfigError`."""
    if not path.is_file():
        raise ConfigError(f"{path}: {what} file not found")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at top level")
    return data


def reject_unknown(data: dict[str, Any], allowed: set[str] | dict[str, Any], where: str) -> None:
    """Raise a :class:`ConfigError` naming every key of ``data`` not in ``allowed``."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")


def _dataclass_from(cls: type, data: Any, where: str) -> Any:
    """Build a (flat) dataclass from a mapping, rejecting unknown keys and wrong literal values."""
    if data is None:
        return cls()
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    reject_unknown(data, {f.name for f in fields(cls)}, where)
    kwargs: dict[str, Any] = {}
    hints = typing.get_type_hints(cls)
    for key, value in data.items():
        hint = hints[key]
        choices = get_args(hint) if getattr(hint, "__origin__", None) is Literal else ()
        if choices and value not in choices:
            raise ConfigError(f"{where}.{key}: expected one of {list(choices)}, got {value!r}")
        kwargs[key] = tuple(value) if isinstance(value, list) else value
    return cls(**kwargs)


def load_solver_config(path: Path) -> SolverConfig:
    """Read a HiGHS option file: a flat YAML mapping of HiGHS option names, plus an optional
    ``resolve:`` mapping of HiGHS options for warm re-solves of a live model (sweeps), e.g. an
    interior-point first solve with crossover, then ``resolve: {solver: simplex}``."""
    path = Path(path)
    opts = read_yaml_mapping(path, "solver config")
    resolve = opts.pop("resolve", None) or {}
    if not isinstance(resolve, dict):
        raise ConfigError(f"{path}: resolve: expected a mapping of HiGHS options for re-solves")
    time_limit = opts.get("time_limit")
    _check_highs_options(opts, path)
    _check_highs_options(resolve, path)
    return SolverConfig(path=path, options=opts, time_limit_s=float(time_limit) if time_limit else None,
                        resolve_options=dict(resolve))


def _check_highs_options(opts: dict[str, Any], path: Path) -> None:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    bad = []
    for key, value in opts.items():
        status = h.setOptionValue(key, value)
        if status != highspy.HighsStatus.kOk:
            bad.append(f"{key}={value!r}")
    if bad:
        raise ConfigError(f"{path}: HiGHS rejected option(s) {bad}; use HiGHS's own option names and values")


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Read a scenario file; every problem is raised as a :class:`ConfigError` naming the key."""
    path = Path(path) if path is not None else DEFAULT_SCENARIO
    raw = read_yaml_mapping(path, "scenario")
    reject_unknown(raw, {"name", "description", "inputs", "years", "jurisdictions", "time", "solver_config",
                         "policy", "penalties", "overrides", "elastic", "workers"}, str(path))
    here = path.parent
    name = str(raw.get("name", path.stem))
    inputs = (here / str(raw.get("inputs", "../inputs"))).resolve()
    years = _check_years(list(raw.get("years", [2025, 2030])), f"{path}: years")
    jur = raw.get("jurisdictions", "all")
    jurisdictions = _check_jurisdictions(jur if isinstance(jur, list) else [jur], f"{path}: jurisdictions", inputs)
    time = _dataclass_from(TimeConfig, raw.get("time"), f"{path}: time")
    if time.mode == "rep" and not 1 <= int(time.days) <= 365:
        raise ConfigError(f"{path}: time.days: expected 1..365, got {time.days}")
    policy_raw = dict(raw.get("policy") or {})
    firmness = {f: "hard" for f in FIRMNESS}
    if "firmness" in policy_raw:
        fr = policy_raw.pop("firmness") or {}
        for k, v in fr.items():
            if k not in FIRMNESS:
                raise ConfigError(f"{path}: policy.firmness: unknown firmness {k!r}; expected {list(FIRMNESS)}")
            if v not in ("hard", "soft", "off"):
                raise ConfigError(f"{path}: policy.firmness.{k}: expected hard, soft or off, got {v!r}")
            firmness[k] = v
    if "target_basis" in policy_raw:
        policy_raw["target_basis"] = _check_target_basis(policy_raw["target_basis"], f"{path}: policy.target_basis")
    policy = _dataclass_from(PolicyConfig, policy_raw, f"{path}: policy")
    policy = replace(policy, firmness=firmness)
    bad_targets = [t for t in policy.targets_off if t not in TARGETS and t != "committed_projects"]
    if bad_targets:
        raise ConfigError(f"{path}: policy.targets_off: unknown target(s) {bad_targets}; expected {list(TARGETS)}")
    penalties = _dataclass_from(Penalties, raw.get("penalties"), f"{path}: penalties")
    overrides = []
    for i, o in enumerate(raw.get("overrides") or []):
        ov = _dataclass_from(Override, o, f"{path}: overrides[{i}]")
        n_ops = sum(x is not None for x in (ov.set, ov.scale, ov.add))
        if n_ops != 1:
            raise ConfigError(f"{path}: overrides[{i}]: give exactly one of set, scale, add")
        overrides.append(ov)
    solver_path = raw.get("solver_config", "../solver_configs/highs_default.yaml")
    solver = load_solver_config((here / str(solver_path)).resolve())
    return Scenario(
        name=name,
        inputs=inputs,
        years=years,
        jurisdictions=jurisdictions,
        time=time,
        solver=solver,
        policy=policy,
        penalties=penalties,
        overrides=tuple(overrides),
        elastic=bool(raw.get("elastic", False)),
        workers=int(raw.get("workers", 1)),
        description=str(raw.get("description", "")),
        source_file=path.resolve(),
    )


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """A plain, YAML-friendly view of a scenario (for the run manifest)."""

    def conv(v: Any) -> Any:
        if dataclasses.is_dataclass(v):
            return {f.name: conv(getattr(v, f.name)) for f in fields(v)}
        if isinstance(v, Path):
            return str(v)
        if isinstance(v, (tuple, list)):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {str(k): conv(x) for k, x in v.items()}
        return v

    return conv(s)
