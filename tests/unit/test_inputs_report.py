"""The base-year report of the inputs, and the generated inputs/README.md and inputs/SOURCES.md.

The model's own accounting (formulation §4) applied to the 2020 inputs must reproduce the
base-year totals of jurisdiction_year.csv (the bases of the intensity targets), and the two
generated documents must be up to date.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from peakplan import estimates
from peakplan.cli import main as cli_main
from peakplan.config import load_scenario
from peakplan.inputs_report import (
    CHECKED,
    TERMS,
    balance_value,
    base_year_balance,
    estimate_shares,
    render_report,
    render_sources,
    source_kind,
    split_top,
)
from peakplan.io.load import Dataset, load_dataset
from peakplan.io.schema import JURISDICTION_IDS, TABLES, render_inputs_readme

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "inputs"
SCENARIO = ROOT / "scenarios" / "base.yaml"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(load_scenario(SCENARIO))


@pytest.fixture(scope="module")
def balance(data: Dataset) -> pd.DataFrame:
    return base_year_balance(data)


# -- generated documents ----------------------------------------------------------------------


def test_inputs_readme_is_up_to_date() -> None:
    assert (INPUTS / "README.md").read_text(encoding="utf-8") == render_inputs_readme(), (
        "inputs/README.md is stale: run `peakplan inputs readme`")


def test_inputs_sources_is_up_to_date() -> None:
    assert (INPUTS / "SOURCES.md").read_text(encoding="utf-8") == render_sources(INPUTS), (
        "inputs/SOURCES.md is stale: run `peakplan inputs sources`")


def test_sources_check_fails_when_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    assert cli_main(["-q", "inputs", "sources", "--inputs", str(inputs), "--check"]) == 0
    assert cli_main(["-q", "inputs", "readme", "--inputs", str(inputs), "--check"]) == 0
    # a changed source makes SOURCES.md stale; writing it again makes it current
    path = inputs / "constants.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("SWITCH inputs/financials.csv", "SWITCH financials"),
                    encoding="utf-8")
    assert cli_main(["-q", "inputs", "sources", "--inputs", str(inputs), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert cli_main(["-q", "inputs", "sources", "--inputs", str(inputs)]) == 0
    assert cli_main(["-q", "inputs", "sources", "--inputs", str(inputs), "--check"]) == 0
    assert "SWITCH financials" in (inputs / "SOURCES.md").read_text(encoding="utf-8")
    (inputs / "README.md").write_text("old\n", encoding="utf-8")
    assert cli_main(["-q", "inputs", "readme", "--inputs", str(inputs), "--check"]) == 1


def test_sources_list_every_reference_once() -> None:
    text = render_sources(INPUTS)
    lines = text.splitlines()
    # each plan line, statistic document, data.md section and web address is one list item
    items = [ln.split(" — ")[0] for ln in lines if ln.startswith("- **") or ln.startswith("- <")]
    assert len(items) == len(set(items)), "a reference is listed twice"
    for needle in (
        "- **L59** 「到 2025年，非化石能源消费比重达到 24%」",  # Leiyang non-fossil target
        "### seeds/003_d3fcac7dfd99de99.txt — 耒阳市 Leiyang City (leiyang)",
        "- **data.md §5.1**",
        "- <https://doi.org/10.5281/zenodo.8322210>",
        "- **SWITCH inputs/financials.csv, data.md §1.5**",
    ):
        assert needle in text, needle
    # every plan file of jurisdictions.csv has its section
    for f in estimates.SEED_FILES.values():
        assert f"### seeds/{f}" in text


def test_split_top_ignores_separators_in_brackets() -> None:
    assert split_top("a (b; c); d（e；f; g）; h") == ["a (b; c)", "d（e；f; g）", "h"]


# -- base-year balance --------------------------------------------------------------------------


@pytest.mark.parametrize("j", JURISDICTION_IDS)
@pytest.mark.parametrize("term", sorted(CHECKED))
def test_base_year_accounting_reproduces_inputs(balance: pd.DataFrame, j: str, term: str) -> None:
    computed = balance_value(balance, j, term)
    given = balance_value(balance, j, term, "input")
    assert given > 0 or term == "CO2"
    assert computed == pytest.approx(given, rel=1e-3), f"{j} {term}: computed {computed:,.0f}, input {given:,.0f}"


@pytest.mark.parametrize("j", JURISDICTION_IDS)
def test_totals_are_sums_of_terms(balance: pd.DataFrame, j: str) -> None:
    v = {t.key: balance_value(balance, j, t.key) for t in TERMS}
    assert v["TEC"] == v["C"] + v["G"] + v["O"] + v["NFL"] + v["M"] + v["ONF"]
    assert v["NF"] == v["NFL"] + v["MNF"] + v["ONF"]
    assert v["C"] == v["coal_other"] + v["coal_blocks"] + v["coal_units"]
    assert v["NF_share"] == v["NF"] / v["TEC"]
    assert v["CO2"] == v["co2_fuels"] + v["co2_indirect"]
    assert v["local_generation"] + v["net_import_mwh"] == pytest.approx(v["electricity_demand"])
    assert 0 < v["NF_share"] < 1
    assert v["energy_intensity"] == pytest.approx(v["TEC"] / (v["gdp"] * 1e4))


@pytest.mark.parametrize("j", JURISDICTION_IDS)
def test_balance_matches_estimates_terms(balance: pd.DataFrame, j: str) -> None:
    """Same terms as the script that made the inputs (its values before rounding to whole tce)."""
    t = estimates.base_year_terms(j)
    for key in ("C", "G", "O", "NFL", "M", "ONF", "TEC", "NF", "CO2"):
        assert balance_value(balance, j, key) == pytest.approx(t[key], rel=1e-6, abs=1.0), key
    assert balance_value(balance, j, "net_import_mwh") == pytest.approx(t["net_import_mwh"], abs=1.0)


def test_switches_change_the_balance(data: Dataset, balance: pd.DataFrame) -> None:
    direct = base_year_balance(data, include_indirect=False)
    cofired = base_year_balance(data, cofire_in_base_year=True)
    grid_avg = base_year_balance(data, export_attribution="grid_average")
    for j in data.jurisdictions:
        assert balance_value(direct, j, "co2_indirect") == 0.0
        # co-firing moves fuel from coal to non-fossil; the total is unchanged
        assert balance_value(cofired, j, "TEC") == pytest.approx(balance_value(balance, j, "TEC"))
    # Leiyang (a net exporter with co-firing units)
    assert balance_value(cofired, "leiyang", "nfl_cofired") > 0
    assert balance_value(balance, "leiyang", "nfl_cofired") == 0
    assert balance_value(balance, "leiyang", "net_import_mwh") < 0
    assert balance_value(balance, "leiyang", "MNF") == 0  # exports are fossil first
    assert balance_value(grid_avg, "leiyang", "MNF") < 0


def test_balance_columns(balance: pd.DataFrame, data: Dataset) -> None:
    assert len(balance) == len(TERMS) * len(data.jurisdictions)
    checked = balance[balance.term.isin(list(CHECKED))]
    assert checked[["input", "difference", "relative_difference"]].notna().all().all()
    rest = balance[~balance.term.isin(list(CHECKED))]
    assert rest["input"].isna().all()


# -- estimate counts ------------------------------------------------------------------------


def test_estimate_counts(data: Dataset) -> None:
    shares = estimate_shares(data)
    kinds = ["plan", "statistic", "estimate", "other"]
    assert (shares[kinds].sum(axis=1) == shares["rows"]).all()
    assert (shares["plan_with_estimated_number"] <= shares["plan"]).all()
    assert shares["other"].sum() == 0
    for k in ("plan", "statistic", "estimate"):
        assert shares[k].sum() > 0, k
    total = sum(len(data.table(t.name)) for t in TABLES)
    ts = len(pd.read_csv(INPUTS / "timeseries" / "sources.csv"))
    assert shares["rows"].sum() == total + ts
    # per table, the counts add up to the table's rows
    for t in TABLES:
        assert shares.loc[shares.table == t.file, "rows"].sum() == len(data.table(t.name)), t.file


def test_source_kind() -> None:
    assert source_kind("seeds/000_b907454a9fdde84e.txt L43: 非化石") == "plan"
    assert source_kind("statistic: x") == "statistic"
    assert source_kind("estimate: y") == "estimate"
    assert source_kind("somewhere") == "other"


# -- report and CLI ---------------------------------------------------------------------------


def test_report_text(data: Dataset) -> None:
    text = render_report(data)
    for j in data.jurisdictions:
        assert f"## {j} " in text
    for label in ("coal 煤炭", "total energy consumption 能源消费总量", "non-fossil share 非化石能源消费比重",
                  "check against jurisdiction_year.csv", "estimate 估算"):
        assert label in text


def test_cli_inputs_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["-q", "inputs", "report", str(SCENARIO)]) == 0
    out = capsys.readouterr().out
    for j in JURISDICTION_IDS:
        assert j in out
    assert "non-fossil share" in out


def test_cli_inputs_report_bad_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"name: bad\ninputs: {tmp_path / 'nowhere'}\n", encoding="utf-8")
    assert cli_main(["-q", "inputs", "report", str(bad)]) == 1
    assert "error" in capsys.readouterr().err


def test_installed_capacity_and_peak_load(data: Dataset) -> None:
    from peakplan.inputs_report import installed_capacity_rows

    rows = {r[0]: r for r in installed_capacity_rows(data, "xiangtan")}
    units = data.table("units")
    coal = units[(units.jurisdiction == "xiangtan") & (units.technology == "coal")
                 & (units.commissioning_year <= data.base_year)].capacity_mw.sum()
    assert float(rows["coal"][1].replace(",", "")) == pytest.approx(coal, abs=0.5)
    peak = data.jy("xiangtan", data.base_year, "electricity_demand_mwh") / 8760 * data.timeseries["xiangtan"].demand_pu.max()
    assert float(rows["peak load 最大负荷"][1].replace(",", "")) == pytest.approx(peak, abs=0.5)
    assert peak > data.jy("xiangtan", data.base_year, "electricity_demand_mwh") / 8760  # above the mean load
