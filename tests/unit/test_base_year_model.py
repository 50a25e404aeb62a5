"""The base year by the model's own accounting (issue 3): build/accounting.py, evaluated with the
base-year quantities, reproduces jurisdiction_year.csv's 2020 totals and the inputs report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from peakplan.base_year import model_base_year_accounting
from peakplan.cli import main
from peakplan.config import load_scenario
from peakplan.inputs_report import balance_value, base_year_balance
from peakplan.io.load import Dataset, load_dataset
from peakplan.io.schema import JURISDICTION_IDS

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "base.yaml"
#: the non-fossil shares of docs/data.md's "Base year 2020 at a glance"
DOC_NF_SHARE = {"linxiang": 0.192, "xiangtan": 0.104, "lixian": 0.214, "leiyang": 0.101, "yueyang_etdz": 0.161}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(load_scenario(BASE))


@pytest.fixture(scope="module")
def model(data: Dataset) -> pd.Series:
    return model_base_year_accounting(data, load_scenario(BASE)).set_index(["jurisdiction", "term"]).value


@pytest.mark.parametrize("j", JURISDICTION_IDS)
@pytest.mark.parametrize("term,param", [("TEC", "total_energy_tce"), ("CO2", "co2_tco2"),
                                        ("NFL", "nonfossil_electricity_tce")])
def test_model_accounting_reproduces_the_base_year_inputs(model: pd.Series, data: Dataset, j: str, term: str,
                                                          param: str) -> None:
    assert model[(j, term)] == pytest.approx(data.jy(j, data.base_year, param), rel=1e-9, abs=1.0)


@pytest.mark.parametrize("j", JURISDICTION_IDS)
def test_model_accounting_agrees_with_the_report_and_the_docs(model: pd.Series, data: Dataset, j: str) -> None:
    bal = base_year_balance(data)
    assert model[(j, "NF")] == pytest.approx(balance_value(bal, j, "NF"), rel=1e-9)
    assert model[(j, "NF_share")] == pytest.approx(DOC_NF_SHARE[j], abs=5e-4)
    # the ledger's terms add up to its own total
    energy_terms = [t for (jj, t) in model.index if jj == j and t not in ("TEC", "NFL", "NF", "CO2", "NF_share")]
    import_nf = [t for t in energy_terms if "nonfossil" in t and "import" in t]
    assert sum(model[(j, t)] for t in energy_terms if t not in import_nf) == pytest.approx(model[(j, "TEC")])
    assert model[(j, "coal_industry_blocks")] > 0 or not data.table("fuel_switch_blocks").jurisdiction.eq(j).any()


def test_base_year_cofiring_follows_its_start_year(data: Dataset) -> None:
    """Leiyang's Shaoneng units co-fire from 2025: no co-fired biomass in 2020. Starting it in 2020 moves fuel
    from coal to non-fossil, leaving TEC unchanged and lowering CO2."""
    s = load_scenario(BASE)
    units = data.table("units").copy()
    units.loc[units.cofire_share.notna(), "cofire_from_year"] = data.base_year
    early = replace(data, tables={**data.tables, "units": units}, _cache={})
    base = model_base_year_accounting(data, s).set_index(["jurisdiction", "term"]).value
    cof = model_base_year_accounting(early, s).set_index(["jurisdiction", "term"]).value
    assert base[("leiyang", "cofired_biomass_fuel")] == 0.0
    assert cof[("leiyang", "cofired_biomass_fuel")] > 0.0
    assert cof[("leiyang", "TEC")] == pytest.approx(base[("leiyang", "TEC")])
    assert cof[("leiyang", "CO2")] < base[("leiyang", "CO2")]


def test_inputs_report_shows_the_model_accounting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inputs", "report", str(BASE)]) == 0
    out = capsys.readouterr().out
    assert "by the model's own accounting (build/accounting.py)" in out
    section = out.split("by the model's own accounting")[1].split("\n## ")[0]
    assert "| 13,014,333 | 10.39 % | 30,716,781 |" in section, section  # Xiangtan, as in jurisdiction_year.csv
