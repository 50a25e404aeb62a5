"""Scenario files: defaults, unknown keys rejected with the key named, CLI overrides validated."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import peakplan.finance
from peakplan.config import ConfigError, load_scenario, load_solver_config, parse_time_option
from peakplan.io.schema import JURISDICTION_IDS

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "solver.yaml").write_text("solver: simplex\n")
    p = tmp_path / "s.yaml"
    p.write_text("solver_config: solver.yaml\n" + text)
    return p


def test_base_scenario_loads() -> None:
    s = load_scenario(ROOT / "scenarios" / "base.yaml")
    assert s.name == "base"
    assert s.years == (2025, 2030)
    assert s.jurisdictions == JURISDICTION_IDS
    assert s.time.mode == "rep" and s.time.days == 12
    assert s.inputs == (ROOT / "inputs").resolve()
    assert s.solver.options["solver"] == "simplex"


@pytest.mark.parametrize("text,match", [
    ("colour: red\n", r"unknown key\(s\) \['colour'\]"),
    ("time: {mode: hourly}\n", r"time.mode: expected one of \['rep', 'full'\]"),
    ("time: {days: 400}\n", "time.days: expected 1..365"),
    ("policy: {export_attribution: magic}\n", "policy.export_attribution: expected one of"),
    ("policy: {frobnicate: true}\n", r"policy: unknown key\(s\) \['frobnicate'\]"),
    ("policy: {firmness: {maybe: hard}}\n", "policy.firmness: unknown firmness 'maybe'"),
    ("policy: {firmness: {about: sometimes}}\n", "policy.firmness.about: expected hard, soft or off"),
    ("policy: {targets_off: [happiness]}\n", "policy.targets_off: unknown target"),
    ("policy: {target_basis: [plan, county]}\n", r"policy.target_basis: unknown basis \['county'\]"),
    ("policy: {target_basis: [plan, national, plan]}\n", "policy.target_basis: each basis may be listed once"),
    ("policy: {target_basis: []}\n", "policy.target_basis: expected a list of bases"),
    ("policy: {target_basis: {plan: 1}}\n", "policy.target_basis: expected a list of bases"),
    ("jurisdictions: [changsha]\n", r"unknown jurisdiction\(s\) \['changsha'\]"),
    ("years: [2019]\n", "expected milestone years between 2021 and 2060"),
    ("overrides: [{table: targets, column: value}]\n", "give exactly one of set, scale, add"),
    ("penalties: {usd: 1}\n", r"penalties: unknown key\(s\) \['usd'\]"),
])
def test_bad_scenarios(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        load_scenario(_write(tmp_path, text))


def test_target_basis_default_and_choice(tmp_path: Path) -> None:
    assert load_scenario(ROOT / "scenarios" / "base.yaml").policy.target_basis == (
        "plan", "parent_city", "province", "national", "assumption")
    assert load_scenario(_write(tmp_path, "policy: {target_basis: [national, plan]}\n")).policy.target_basis == (
        "national", "plan")
    assert load_scenario(_write(tmp_path, "policy: {target_basis: plan}\n")).policy.target_basis == ("plan",)


def test_missing_scenario_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="scenario file not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_solver_config_rejects_unknown_highs_option(tmp_path: Path) -> None:
    p = tmp_path / "h.yaml"
    p.write_text("solver: simplex\nturbo_mode: true\n")
    with pytest.raises(ConfigError, match="HiGHS rejected option"):
        load_solver_config(p)


def test_cli_overrides(tmp_path: Path) -> None:
    s = load_scenario(_write(tmp_path, "years: [2025, 2030]\n"))
    s2 = s.with_cli(jurisdictions=("leiyang", "linxiang"), years=(2035, 2025), time="rep:6", elastic=True)
    assert s2.jurisdictions == ("leiyang", "linxiang")
    assert s2.years == (2025, 2035)
    assert s2.time.days == 6 and s2.elastic
    assert parse_time_option("full", s.time).mode == "full"
    with pytest.raises(ConfigError, match="--jurisdictions"):
        s.with_cli(jurisdictions=("atlantis",))
    with pytest.raises(ConfigError, match="--time"):
        parse_time_option("rep:0", s.time)


def test_finance_doctests() -> None:
    failures, tried = doctest.testmod(peakplan.finance)
    assert tried >= 5 and failures == 0


def test_national_intensity_scenario_loads() -> None:
    s = load_scenario(ROOT / "scenarios" / "national_intensity.yaml")
    assert "province" not in s.policy.target_basis and s.policy.target_basis[0] == "plan"


def test_export_benchmark_scenario_overrides_the_export_price() -> None:
    from peakplan.io.load import load_dataset

    s = load_scenario(ROOT / "scenarios" / "export_benchmark.yaml")
    data = load_dataset(s)
    assert all(data.sy(y, "export_price_cny_per_mwh") == 450.0 for y in (2020, *s.years))
    base = load_dataset(load_scenario(ROOT / "scenarios" / "base.yaml"))
    assert all(300.0 < base.sy(y, "export_price_cny_per_mwh") < 350.0 for y in (2020, *s.years))
