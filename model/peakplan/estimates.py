"""Write the model's input tables (``inputs/*.csv``) from plans, statistics and estimates.

Run ``python -m peakplan.estimates [--out inputs]``. The script is the single place where
every number of ``inputs/`` (except ``inputs/timeseries/``) is made:

* **plan figures** appear as literal rows whose ``source`` is ``seeds/<file> L<line>: <clause>``;
* **public statistics** are literal :class:`Cited` constants whose reference points to
  ``shared/research/data.md`` (status F there, or D = simple arithmetic on F values);
* **estimates** are *computed* here by small documented formulas from the cited inputs,
  and their ``source`` starts with ``estimate:`` and states the formula with its numbers.

The base year 2020 is built so that the model's own energy accounting (formulation §4)
reproduces ``total_energy_tce``, ``co2_tco2`` and ``nonfossil_electricity_tce`` exactly from
the 2020 components written to the tables plus the 2020 generation assumptions of the named
units and of the existing wind and solar capacity (see :func:`base_year_terms`).

Output is byte-for-byte reproducible: rows sorted by key, floats written with at most six
decimals (trailing zeros stripped), ``\\n`` line endings, UTF-8 without BOM.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peakplan.io.schema import JURISDICTION_IDS, TABLES_BY_NAME

LOG = logging.getLogger(__name__)

Row = dict[str, Any]

BASE_YEAR = 2020
MILESTONES: tuple[int, ...] = (2025, 2030, 2035)
YEARS: tuple[int, ...] = (BASE_YEAR, *MILESTONES)

#: Tables written by :func:`write_inputs`, in this order.
TABLE_FILES: tuple[str, ...] = (
    "jurisdictions.csv",
    "jurisdiction_year.csv",
    "system_year.csv",
    "constants.csv",
    "technologies.csv",
    "potentials.csv",
    "existing_capacity.csv",
    "units.csv",
    "unit_rules.csv",
    "fuel_switch_blocks.csv",
    "targets.csv",
    "projects.csv",
)

# ---------------------------------------------------------------------------------------
# Source helpers
# ---------------------------------------------------------------------------------------

SEED_FILES: dict[str, str] = {
    "linxiang": "000_b907454a9fdde84e.txt",
    "xiangtan": "001_7576eaf11317b0b8.txt",
    "lixian": "002_b06a110cd22ea929.txt",
    "leiyang": "003_d3fcac7dfd99de99.txt",
    "yueyang_etdz": "004_99d5dc9b8036bcce.txt",
}


def plan(j: str, line: str | int, clause: str, note: str = "") -> str:
    """Source string of a plan figure: ``seeds/<file> L<line>: <clause>[; <note>]``."""
    s = f"seeds/{SEED_FILES[j]} L{line}: {clause}"
    return f"{s}; {note}" if note else s


def est(method: str) -> str:
    """Source string of an estimate (a computed or assumed value)."""
    return f"estimate: {method}"


@dataclass(frozen=True)
class Cited:
    """A public statistic (or simple derivation of one) with its reference."""

    value: float
    ref: str

    def src(self) -> str:
        """The value's reference as a source string."""
        return f"statistic: {self.ref}"


def _pct(v: float) -> str:
    return f"{100 * v:.3g}%"


# ---------------------------------------------------------------------------------------
# Public statistics (data.md; status F unless "derived")
# ---------------------------------------------------------------------------------------

HN_GDP_2020_YI = Cited(41542.6, "Hunan GDP 2020 41,542.6 亿元 (NBS series via PIK historical_gdp.csv, data.md §5.1)")
HN_GDP_2021_YI = Cited(45713.5, "Hunan GDP 2021 45,713.5 亿元 (NBS via PIK, data.md §5.1)")
HN_GDP_2023_YI = Cited(50012.9, "Hunan GDP 2023 50,012.9 亿元 (NBS via PIK, data.md §5.1)")
HN_POP_2020_WAN = Cited(6645.0, "Hunan population 2020 6,645 万 (NBS via PIK historical_population.csv, data.md §5.1)")
HN_SECONDARY = Cited(0.394, "Hunan secondary-industry share of GDP 39.4% (Hunan 2022 bulletin, data.md §5.1)")
HN_ELEC_2020_MWH = Cited(190.0e6, "Hunan electricity consumption 2020 190.0 TWh (PIK Provincial_Load_2020_2060_MWh.csv, data.md §6.1)")
HN_ELEC_2024_MWH = Cited(237.4e6, "Hunan electricity consumption 2024 237.4 TWh (NBS value in PIK default_config.yaml, data.md §6.1)")
HN_ENERGY_2024_TCE = Cited(172.0e6, "Hunan energy consumption 2024 ≈172 Mtce (derived: 2025 forecast 176 Mtce / 1.023, Hunan Energy Development Report 2025, data.md §5.2)")
HN_LOAD_FACTOR = Cited(0.575, "Hunan load factor 0.575 (derived from the NDRC 2018 hourly series in PIK, data.md §6.2)")
HN_WIND_2020_MW = Cited(6690.0, "Hunan onshore wind ~2020 6,690 MW (PyPSA-China China_current_capacity.csv, data.md §5.3)")
HN_PV_2020_MW = Cited(3741.0, "Hunan PV 2020 3,741 MW (PyPSA-China solar capacity.csv, data.md §5.3)")
HN_HYDRO_MW = Cited(15946.0, "Hunan hydro 15,946 MW early 2023 (cctvmedium.com, data.md §5.3)")
HN_BIOMASS_MW = Cited(1430.0, "Hunan biomass capacity end-2024 1.43 GW (BJX, data.md §5.3)")
HN_WINDPV_2024_MW = Cited(29950.0, "Hunan wind+PV end-2024 29.95 GW (BJX, data.md §5.3)")
QISHAO_MW = Cited(6000.0, "Qishao ±800 kV UHVDC delivered up to 6 GW in 2022 (yueyang.gov.cn, data.md §6.1)")
SWITCH_ELEC_GROWTH = Cited(0.033, "Hunan demand growth 3.3%/yr 2020-2030 (SWITCH china_electricity_growth_rate.csv, data.md §6.1)")
HUNAN_AREA_KM2 = Cited(211800.0, "Hunan land area 211,800 km² (general reference, e.g. Wikipedia 'Hunan'; NOT in data.md, verify)")

LINXIANG_GDP_2023_YI = Cited(343.94, "Linxiang GDP 2023 343.94 亿元, structure 12.4:39.5:48.1 (Linxiang 2023 bulletin, mirror yy.xhj.com/zixun/41840.html, data.md §5.1)")
LINXIANG_SECONDARY = Cited(0.395, "Linxiang secondary share 39.5% 2023 (Linxiang 2023 bulletin, data.md §5.1)")
LINXIANG_POP = Cited(425300.0, "Linxiang resident population 2023 42.53 万 (Linxiang 2023 bulletin, data.md §5.1)")
LINXIANG_AREA = Cited(1718.0, "Linxiang area 1,718 km² (Wikipedia mirror, data.md §5.1)")
XIANGTAN_GDP_2023_YI = Cited(2741.84, "Xiangtan GDP 2023 2,741.84 亿元 (Xiangtan 2023 release, mirror hbzqbyyxgs.com/news/699015.html, data.md §5.1)")
XIANGTAN_SECONDARY = Cited(1381.46 / 2741.84, "Xiangtan secondary share 50.4% 2023 (derived: 1,381.46 / 2,741.84 亿元, data.md §5.1)")
XIANGTAN_POP = Cited(2726181.0, "Xiangtan population 2020 census 2,726,181 (Wikipedia mirror, data.md §5.1)")
XIANGTAN_AREA = Cited(5006.0, "Xiangtan area 5,006 km² (Wikipedia mirror, data.md §5.1)")
LIXIAN_POP_REG = Cited(919500.0, "Li County registered population 2015 919,500 (en.wikipedia Li_County,_Hunan, data.md §5.1)")
LIXIAN_AREA = Cited(2075.0, "Li County area 2,075 km² (en.wikipedia, data.md §5.1)")
LEIYANG_GDP_2021_YI = Cited(419.4, "Leiyang GDP 2021 419.4 亿元, structure 15.6:28.2:56.2 (Leiyang 2021 bulletin mirror, data.md §5.1)")
LEIYANG_SECONDARY = Cited(0.282, "Leiyang secondary share 28.2% 2021 (Leiyang 2021 bulletin, data.md §5.1)")
LEIYANG_POP = Cited(1105800.0, "Leiyang permanent population 1.1058 M (~2024, enghengyang.gov.cn, data.md §5.1)")
LEIYANG_AREA = Cited(2648.6, "Leiyang area 2,648.6 km² (enghengyang.gov.cn, data.md §5.1)")
ETDZ_GDP_2011_YI = Cited(158.0, "Yueyang ETDZ GDP 2011 158 亿元 (enghunan.gov.cn, data.md §5.1)")
ETDZ_POP = Cited(260000.0, "Yueyang ETDZ resident population 26 万 (岳阳市情网 yearbook entry 2016, data.md §5.1)")
ETDZ_AREA = Cited(253.0, "Yueyang ETDZ area 253 km² (岳阳市情网, data.md §5.1)")

# Conversion and emission factors
GAS_KGCE_PER_M3 = Cited(1.2143, "natural gas 1.2143 kgce/m³ (GB/T 2589-2020 as implemented in code, data.md §4.1)")
ELEC_CALORIFIC = Cited(0.1229, "electricity calorific equivalent 0.1229 kgce/kWh (NBS yearbook notes, data.md §4.1)")
GRID_EF_CC_2022 = Cited(0.5395, "Central China grid emission factor 2022 0.5395 tCO2/MWh (MEE/NBS announcement 2024 No.12, data.md §4.4)")
EF_GAS = Cited(56100 * 29.3076e-6, "natural gas 1.644 tCO2/tce (derived: IPCC 2006 default 56,100 kg/TJ × 29.3076 GJ/tce, ghgpy efs.py, data.md §4.3)")
EF_OIL = Cited(
    0.5 * (74100 + 69300) * 29.3076e-6,
    "oil products 2.101 tCO2/tce (derived: mean of IPCC 2006 diesel 74,100 and gasoline 69,300 kg/TJ × 29.3076 GJ/tce, data.md §4.3)",
)
DISCOUNT_RATE = Cited(0.08, "discount rate 8% (SWITCH inputs/financials.csv, data.md §1.5)")

# Coal units and heat rates (SWITCH existing_plants.csv: MMBtu/MWh × 36.0 gce/kWh per MMBtu/MWh)
HR_210 = Cited(0.329, "210 MW class supply heat rate 329 gce/kWh (SWITCH existing_plants.csv 9.13 MMBtu/MWh, data.md §4.2)")
HR_300 = Cited(0.307, "300 MW class supply heat rate 307 gce/kWh (SWITCH 8.53 MMBtu/MWh, data.md §4.2)")
HR_600 = Cited(0.285, "600 MW class supply heat rate 285 gce/kWh (SWITCH 7.93 MMBtu/MWh, data.md §4.2)")

# Coal price: SWITCH Hunan zone, USD/MMBtu (data.md §2); 1 tce = 27.778 MMBtu; 7.0 CNY/USD as in data.md §2
SWITCH_COAL_USD_MMBTU: dict[int, float] = {2023: 4.956, 2028: 5.210, 2033: 5.470}
MMBTU_PER_TCE = 29.3076 / 1.055056
CNY_PER_USD = 7.0

# Mashui 100 MW agri-PV on ~3,300 mu (Leiyang plan) gives the land density of utility PV.
MU_PER_KM2 = 1500.0
PV_MW_PER_KM2 = 100.0 / (3300.0 / MU_PER_KM2)

# ---------------------------------------------------------------------------------------
# Estimation assumptions (all "E"; each used in a source string)
# ---------------------------------------------------------------------------------------

HN_ENERGY_GROWTH_2020_24 = 0.020  # back-cast of Hunan energy use 2024 -> 2020
W_IND_ENERGY = 0.7  # data.md §7 item 1: industry weight in the energy correction
W_IND_ELEC = 0.6  # same idea for electricity (industry ~60% of Hunan use, E)

#: GDP growth per year (real), by period ending in the milestone.
GDP_GROWTH: dict[str, dict[int, float]] = {
    "default": {2025: 0.060, 2030: 0.050, 2035: 0.045},
    "yueyang_etdz": {2025: 0.070, 2030: 0.060, 2035: 0.050},
}
GDP_GROWTH_NOTE = (
    "recent growth: Linxiang 2023 +6.5%, Xiangtan 2023 +5.1%, Leiyang 2021 +7.7%, Yueyang 2022 +5.4% "
    "(data.md §5.1)"
)
ELEC_GROWTH: dict[int, float] = {2025: 0.045, 2030: SWITCH_ELEC_GROWTH.value, 2035: 0.025}
GAS_GROWTH: dict[int, float] = {2025: 0.06, 2030: 0.05, 2035: 0.03}
OIL_GROWTH: dict[int, float] = {2025: 0.01, 2030: 0.0, 2035: -0.01}
COAL_OTHER_GROWTH = -0.01
ONF_GROWTH = 0.03

#: Full-load hours of VRE (data.md §3.1: utility PV ~1,000 h, rooftop 900-950 h, wind ~2,000 h; E)
FLH: dict[str, float] = {"solar_utility": 1000.0, "solar_rooftop": 925.0, "wind_onshore": 2000.0}

#: Import capacity margin over the mean-load/peak estimate (E).
IMPORT_MARGIN = 1.5


@dataclass(frozen=True)
class JurisdictionBasics:
    """Cited and estimated structural facts of one jurisdiction."""

    gdp_2020_yi: float
    gdp_src: str
    secondary: float
    secondary_src: str
    population: float
    pop_src: str
    area_km2: float
    area_src: str
    energy_factor: float  # heavy/light-industry factor on top of the secondary-share correction (E)
    elec_factor: float
    factor_note: str
    oil_share: float  # of 2020 TEC (E)
    gas_share: float  # of 2020 TEC (E)
    onf_share: float  # of 2020 TEC (E); xiangtan uses an absolute value
    mix_note: str


def _hn_nominal_ratio_2023() -> float:
    return HN_GDP_2023_YI.value / HN_GDP_2020_YI.value


def _hn_nominal_ratio_2021() -> float:
    return HN_GDP_2021_YI.value / HN_GDP_2020_YI.value


def _hn_gdp_per_capita_2020() -> float:
    return HN_GDP_2020_YI.value * 1e8 / (HN_POP_2020_WAN.value * 1e4)


LIXIAN_RESIDENT_SHARE = 0.85  # resident / registered population (E: out-migration of Hunan counties)
LIXIAN_REL_GDP_PC = 0.75  # Li County GDP per capita relative to Hunan (E: agricultural county)
LIXIAN_SECONDARY = 0.33  # E: agricultural county with building materials, chemicals, textiles
ETDZ_NOMINAL_GROWTH_2011_20 = 0.08  # E: about Hunan's nominal growth over the decade
ETDZ_SECONDARY = 0.55  # E: manufacturing zone (plan: manufacturing ≥87.5% of industrial VA by 2025)
XIANGTAN_ONF_2020_TCE = 250000.0  # E: biomass and solar-thermal use before the plan's >370,000 tce 2025 goal
LIXIAN_RELATIVE_NOTE = f"relative GDP per capita {LIXIAN_REL_GDP_PC} (E: agricultural county)"


def jurisdiction_basics() -> dict[str, JurisdictionBasics]:
    """GDP 2020, structure, population, area and fuel-mix assumptions per jurisdiction."""
    r23 = _hn_nominal_ratio_2023()
    r21 = _hn_nominal_ratio_2021()
    gpc = _hn_gdp_per_capita_2020()
    lx_gdp = LINXIANG_GDP_2023_YI.value / r23
    xt_gdp = XIANGTAN_GDP_2023_YI.value / r23
    ly_gdp = LEIYANG_GDP_2021_YI.value / r21
    li_pop = LIXIAN_POP_REG.value * LIXIAN_RESIDENT_SHARE
    li_gdp = li_pop * gpc * LIXIAN_REL_GDP_PC / 1e8
    etdz_gdp = ETDZ_GDP_2011_YI.value * (1 + ETDZ_NOMINAL_GROWTH_2011_20) ** 9
    back23 = f"back-cast with Hunan nominal GDP ratio 2023/2020 = {HN_GDP_2023_YI.value}/{HN_GDP_2020_YI.value} = {r23:.4f} (data.md §5.1)"
    return {
        "linxiang": JurisdictionBasics(
            lx_gdp, f"Linxiang GDP 2023 343.94 亿元 (data.md §5.1) / {r23:.4f}: {back23}",
            LINXIANG_SECONDARY.value, LINXIANG_SECONDARY.ref, LINXIANG_POP.value, LINXIANG_POP.ref,
            LINXIANG_AREA.value, LINXIANG_AREA.ref,
            1.0, 1.0, "no extra factor (cement, ceramics, chemicals already in the 39.5% secondary share)",
            0.12, 0.04, 0.015, "oil 12%, gas 4%, other non-fossil 1.5% of 2020 TEC (E: county with river port, gas network still partial)",
        ),
        "xiangtan": JurisdictionBasics(
            xt_gdp, f"Xiangtan GDP 2023 2,741.84 亿元 (data.md §5.1) / {r23:.4f}: {back23}",
            XIANGTAN_SECONDARY.value, XIANGTAN_SECONDARY.ref, XIANGTAN_POP.value, XIANGTAN_POP.ref,
            XIANGTAN_AREA.value, XIANGTAN_AREA.ref,
            1.25, 1.25, "steel factor 1.25 on energy and electricity (E: 湘钢 integrated steel named in the plan L66, L100, L135)",
            0.08, 0.028, 0.0, "oil 8%, gas 2.8% of 2020 TEC (E: ≈300 million m³, below the plan's ≥450 million m³ 2025 floor L47); other non-fossil 250,000 tce (E)",
        ),
        "lixian": JurisdictionBasics(
            li_gdp,
            f"resident population {li_pop:,.0f} (= registered 919,500 (data.md §5.1) × {LIXIAN_RESIDENT_SHARE} resident share, E)"
            f" × Hunan GDP per capita 2020 {gpc:,.0f} CNY (41,542.6 亿 / 6,645 万, data.md §5.1) × {LIXIAN_RELATIVE_NOTE}",
            LIXIAN_SECONDARY, f"estimate: Li County secondary share {LIXIAN_SECONDARY} (agricultural county with ceramics, chemicals, textiles; not found in data.md)",
            li_pop, f"estimate: resident population = registered 919,500 × {LIXIAN_RESIDENT_SHARE}",
            LIXIAN_AREA.value, LIXIAN_AREA.ref,
            1.0, 1.0, "no extra factor",
            0.15, 0.03, 0.015, "oil 15%, gas 3%, other non-fossil (biogas, straw, solar thermal) 1.5% of 2020 TEC (E: agricultural county)",
        ),
        "leiyang": JurisdictionBasics(
            ly_gdp, f"Leiyang GDP 2021 419.4 亿元 (data.md §5.1) / Hunan nominal ratio 2021/2020 = {HN_GDP_2021_YI.value}/{HN_GDP_2020_YI.value} = {r21:.4f}",
            LEIYANG_SECONDARY.value, LEIYANG_SECONDARY.ref, LEIYANG_POP.value, LEIYANG_POP.ref,
            LEIYANG_AREA.value, LEIYANG_AREA.ref,
            1.20, 1.20, "heavy-industry factor 1.2 (E: cement, non-ferrous smelting, paper and coal mines named as key energy users, plan L252-L254)",
            0.12, 0.02, 0.015, "oil 12%, gas 2%, other non-fossil 1.5% of 2020 TEC (E: gas network under construction, plan L121)",
        ),
        "yueyang_etdz": JurisdictionBasics(
            etdz_gdp, f"Yueyang ETDZ GDP 2011 158 亿元 (data.md §5.1) × (1 + {ETDZ_NOMINAL_GROWTH_2011_20})^9 (E: nominal growth 2011-2020)",
            ETDZ_SECONDARY, f"estimate: ETDZ secondary share {ETDZ_SECONDARY} (manufacturing zone; the plan's manufacturing ≥87.5% is a share of industrial VA, not of GDP)",
            ETDZ_POP.value, ETDZ_POP.ref, ETDZ_AREA.value, ETDZ_AREA.ref,
            0.60, 0.60, "light-industry factor 0.6 on energy and electricity (E: equipment, pharma and logistics; the plan names no coal user; data.md §7 item 1 expects the ETDZ below the provincial mean; a larger electricity factor would put the 2020 non-fossil share above the plan's 2025 goal of ~20%, which the plan's 逐步提升 wording rules out)",
            0.18, 0.08, 0.005, "oil 18% (logistics parks), gas 8% (industrial gas, LNG), other non-fossil 0.5% of 2020 TEC (E)",
        ),
    }



def gdp_cny(j: str, year: int, basics: dict[str, JurisdictionBasics]) -> float:
    """GDP in constant 2020 CNY, rounded to 1 million CNY."""
    g = GDP_GROWTH.get(j, GDP_GROWTH["default"])
    v = basics[j].gdp_2020_yi * 1e8
    for y in MILESTONES:
        if y > year:
            break
        v *= (1 + g[y]) ** 5
    return round(v, -6)


# ---------------------------------------------------------------------------------------
# System-wide factors
# ---------------------------------------------------------------------------------------

F_PE: dict[int, float] = {2020: 0.3055, 2025: 0.300, 2030: 0.295, 2035: 0.290}
F_PE_SRC: dict[int, str] = {
    2020: "national average supply coal rate 2020 ≈305.5 gce/kWh (U in data.md §4.2: not located, CEC 电力工业统计资料汇编 to verify)",
    2025: "≈ national 2022 supply coal rate 300.7 gce/kWh (U, data.md §4.2), held to 300 for 2025",
    2030: "300 gce/kWh in 2025 minus 1 gce/kWh per year of fleet improvement (E)",
    2035: "300 gce/kWh in 2025 minus 1 gce/kWh per year of fleet improvement (E)",
}

# Hunan grid non-fossil share: hydro + wind + solar + biomass + renewable part of UHVDC inflow,
# divided by provincial consumption. Capacities in MW; hours E unless noted.
HYDRO_H = 3300.0
BIOMASS_H = 5000.0
UHVDC_H = 3500.0
GRID_PATH: dict[int, dict[str, float]] = {
    2020: {"wind": HN_WIND_2020_MW.value, "pv": HN_PV_2020_MW.value, "bio": 1000.0, "uhvdc_re": QISHAO_MW.value * UHVDC_H * 0.30},
    2025: {"wind": 14000.0, "pv": 20000.0, "bio": 1500.0, "uhvdc_re": QISHAO_MW.value * UHVDC_H * 0.30},
    2030: {"wind": 20000.0, "pv": 35000.0, "bio": 1600.0,
           "uhvdc_re": QISHAO_MW.value * UHVDC_H * 0.30 + 8000.0 * 4500.0 * 0.40},
    2035: {"wind": 26000.0, "pv": 50000.0, "bio": 1600.0,
           "uhvdc_re": QISHAO_MW.value * UHVDC_H * 0.30 + 8000.0 * 4500.0 * 0.50},
}


def hunan_demand_mwh(year: int) -> float:
    """Hunan electricity consumption used to normalise the grid shares (MWh)."""
    if year == 2020:
        return HN_ELEC_2020_MWH.value
    v = HN_ELEC_2024_MWH.value * (1 + SWITCH_ELEC_GROWTH.value)
    for y in (2030, 2035):
        if y > year:
            break
        v *= (1 + (SWITCH_ELEC_GROWTH.value if y == 2030 else 0.025)) ** 5
    return v


def grid_nonfossil_share(year: int) -> tuple[float, str]:
    """Non-fossil share of Hunan grid electricity and its method string."""
    p = GRID_PATH[year]
    hydro = HN_HYDRO_MW.value * HYDRO_H
    wind = p["wind"] * FLH["wind_onshore"]
    pv = p["pv"] * FLH["solar_utility"]
    bio = p["bio"] * BIOMASS_H
    nf = hydro + wind + pv + bio + p["uhvdc_re"]
    d = hunan_demand_mwh(year)
    share = round(nf / d, 3)
    cap_note = (
        "wind 6,690 MW and PV 3,741 MW (data.md §5.3)" if year == 2020
        else f"wind {p['wind']:,.0f} MW and PV {p['pv']:,.0f} MW (E path; end-2024 wind+PV {HN_WINDPV_2024_MW.value / 1000:.2f} GW, data.md §5.3)"
    )
    uhv = "Qishao UHVDC 6 GW × 3,500 h × 30% renewable (E)"
    if year >= 2030:
        uhv += f" + Ningxia-Hunan UHVDC 8 GW × 4,500 h × {int(100 * (0.4 if year == 2030 else 0.5))}% renewable (E)"
    dem = (
        "190.0 TWh (data.md §6.1)" if year == 2020
        else f"{d / 1e6:,.1f} TWh (237.4 TWh 2024 (data.md §6.1) grown 3.3%/yr (SWITCH) to 2030, 2.5%/yr after (E))"
    )
    method = (
        f"(hydro 15,946 MW (data.md §5.3) × {HYDRO_H:,.0f} h (E) + {cap_note} × 2,000/1,000 h (data.md §3.1, E)"
        f" + biomass {p['bio']:,.0f} MW (E; {HN_BIOMASS_MW.value:,.0f} MW at end-2024, data.md §5.3) × {BIOMASS_H:,.0f} h (E) + {uhv}) / demand {dem} = {nf / 1e6:,.1f}/{d / 1e6:,.1f} TWh"
    )
    return share, method


def grid_ef(year: int) -> tuple[float, str]:
    """Grid emission factor: Central China 2022 scaled by the fossil share of the Hunan grid."""
    s = {y: grid_nonfossil_share(y)[0] for y in (2020, 2025)}
    s2022 = s[2020] + (s[2025] - s[2020]) * 2 / 5
    sy = grid_nonfossil_share(year)[0]
    v = round(GRID_EF_CC_2022.value * (1 - sy) / (1 - s2022), 4)
    return v, (
        f"Central China 2022 0.5395 tCO2/MWh (F, data.md §4.4) × (1 − s_grid {sy}) / (1 − s_grid 2022 {s2022:.4f}, "
        "interpolated 2020-2025)"
    )


def coal_price_cny_per_tce(year: int) -> tuple[float, str]:
    """SWITCH Hunan coal price converted to CNY/tce (linear in time, flat before 2023)."""
    pts = sorted(SWITCH_COAL_USD_MMBTU.items())
    if year <= pts[0][0]:
        usd = pts[0][1]
    else:
        usd = pts[-1][1] + (pts[-1][1] - pts[-2][1]) / 5 * (year - pts[-1][0])
        for (y0, v0), (y1, v1) in zip(pts, pts[1:]):
            if y0 <= year <= y1:
                usd = v0 + (v1 - v0) * (year - y0) / (y1 - y0)
                break
    v = round(usd * MMBTU_PER_TCE * CNY_PER_USD, 1)
    how = "2023 value held for earlier years" if year <= pts[0][0] else (
        "extrapolated" if year > pts[-1][0] else "interpolated")
    return v, (
        f"SWITCH-China Hunan coal {usd:.3f} USD/MMBtu (inputs/fuel_cost.csv 4.956/5.210/5.470 for 2023/2028/2033,"
        f" {how}; data.md §2) × 27.778 MMBtu/tce × 7.0 CNY/USD (data.md §2 conversion: ≈965 CNY/tce at 2023)"
    )


GAS_PRICE_CNY_M3 = 4.0  # midpoint of the data.md §2 E range 3.6-4.5 CNY/m³
BIOMASS_PRICE = 800.0  # E: agricultural/forestry residues ~350-400 CNY/t at ~0.5 tce/t incl. handling
IMPORT_PRICE = 600.0  # E: coal benchmark 450 + transmission/distribution ~150 CNY/MWh
COAL_VOM_SYSTEM = 20.0  # E, as for the named coal units


def export_price(year: int) -> tuple[float, str]:
    """Value of electricity sold to the provincial grid (CNY/MWh) and its method string.

    Every year, the base year included: the provincial short-run marginal cost that exports
    displace, coal price × f_pe + coal VOM. The benchmark 0.45 CNY/kWh exceeds the LCOE of
    utility PV (≈0.33 CNY/kWh at 3,000 CNY/kW and 1,000 h), so with it every county would build
    wind and PV up to its potential purely for export; it is a sensitivity
    (``scenarios/export_benchmark.yaml``, see docs/data.md).
    """
    cp, _ = coal_price_cny_per_tce(year)
    v = round(cp * F_PE[year] + COAL_VOM_SYSTEM, 1)
    return v, (
        f"provincial short-run marginal cost displaced by exports: coal {cp:,.1f} CNY/tce × f_pe {F_PE[year]} tce/MWh"
        f" + VOM {COAL_VOM_SYSTEM:.0f} CNY/MWh (E); the benchmark tariff 0.45 CNY/kWh (U) would make export-only wind/PV"
        " profitable everywhere (sensitivity)")

EF_COAL = 2.66  # U: Chinese guideline value; SWITCH-derived 2.653 (data.md §4.2) corroborates


def system_year_rows() -> list[Row]:
    """Rows of system_year.csv for 2020, 2025, 2030, 2035."""
    rows: list[Row] = []

    def add(y: int, p: str, v: float, s: str) -> None:
        rows.append({"year": y, "parameter": p, "value": v, "source": s})

    for y in YEARS:
        add(y, "f_pe_tce_per_mwh", F_PE[y], est(F_PE_SRC[y]))
        s, m = grid_nonfossil_share(y)
        add(y, "grid_nonfossil_share", s, est(f"Hunan grid non-fossil share = {m}"))
        ef, m = grid_ef(y)
        add(y, "grid_ef_tco2_per_mwh", ef, est(m))
        add(y, "import_price_cny_per_mwh", IMPORT_PRICE, est(
            "Hunan coal-power benchmark 0.45 CNY/kWh (U: widely used, not located in data.md sources) + transmission and"
            " distribution ~0.15 CNY/kWh (E); held flat in real terms; hourly shape from the timeseries import_price_pu"))
        ex, m = export_price(y)
        add(y, "export_price_cny_per_mwh", ex, est(m))
        cp, m = coal_price_cny_per_tce(y)
        add(y, "coal_price_cny_per_tce", cp, est(m))
        gp = round(GAS_PRICE_CNY_M3 / (GAS_KGCE_PER_M3.value / 1000), 1)
        add(y, "gas_price_cny_per_tce", gp, est(
            f"Hunan industrial gas {GAS_PRICE_CNY_M3} CNY/m³ (midpoint of data.md §2 E range 3.6-4.5) / 1.2143 kgce/m³ (data.md §4.1)"))
        add(y, "biomass_price_cny_per_tce", BIOMASS_PRICE, est(
            "agricultural and forestry residues ~350-400 CNY/t delivered at ~0.5 tce/t plus handling (E; no source in data.md)"))
        add(y, "ef_coal_tco2_per_tce", EF_COAL, est(
            "2.66 tCO2/tce, Chinese guideline value (U in data.md §4.3, not located); corroborated by SWITCH coal 0.09552"
            " tCO2/MMBtu = 2.653 tCO2/tce (data.md §4.2); IPCC anthracite 2.881 would be +8% (sensitivity)"))
        add(y, "ef_gas_tco2_per_tce", round(EF_GAS.value, 4), EF_GAS.src())
        add(y, "ef_oil_tco2_per_tce", round(EF_OIL.value, 4), EF_OIL.src())
    return rows


def constants_rows() -> list[Row]:
    """Rows of constants.csv."""
    return [
        {"parameter": "discount_rate", "value": DISCOUNT_RATE.value, "source": DISCOUNT_RATE.src()},
        {"parameter": "base_year", "value": float(BASE_YEAR), "source": plan(
            "xiangtan", 33, "单位地区生产总值能耗比2020年下降16%", "2020 is the base year of the plans' intensity targets")},
        {"parameter": "voll_cny_per_mwh", "value": 30000.0, "source": est(
            "value of lost load 30 CNY/kWh ≈ 50× the import price; only prices unserved demand (E)")},
        {"parameter": "electricity_calorific_tce_per_mwh", "value": ELEC_CALORIFIC.value, "source": ELEC_CALORIFIC.src()},
    ]


# ---------------------------------------------------------------------------------------
# Named units
# ---------------------------------------------------------------------------------------

COAL_FOM = 120.0  # data.md §1.6 central value 100-150 CNY/kW-yr (E; SWITCH 65-110)
SMALL_COAL_FOM = 150.0
COAL_VOM = 20.0
COAL_AVAIL = 0.88
RETROFIT_DHR = 0.015
RETROFIT_CAPEX = 300.0
REPOWER_HR = 0.23
REPOWER_CAPEX = 1500.0
UNIT_LIFE = 15
SHAONENG_MW = 50.0
SHAONENG_HR = 0.380
SHAONENG_COFIRE = 0.15
# The plan's co-firing is a measure of its period (推动…生物质掺烧改造), not a 2020 practice: it starts in
# the first milestone year, so the base year has none and the model applies it from 2025 on (E).
SHAONENG_COFIRE_FROM = 2025

_COAL_OPTS = (
    f"retrofit −{RETROFIT_DHR * 1000:.0f} gce/kWh for {RETROFIT_CAPEX:.0f} CNY/kW, repower to gas at {REPOWER_HR} tce/MWh"
    f" for {REPOWER_CAPEX:,.0f} CNY/kW, FOM {COAL_FOM:.0f} CNY/kW-yr (data.md §1.6 central), VOM {COAL_VOM:.0f} CNY/MWh,"
    f" availability {COAL_AVAIL}, investment life {UNIT_LIFE} yr (all E)"
)


@dataclass(frozen=True)
class Unit:
    """A named unit (or group of identical units) and its 2020 operation."""

    row: Row
    hours_2020: float  # full-load hours in 2020 (E)
    hours_note: str


def units() -> list[Unit]:
    """All named units with their table row and their 2020 full-load hours."""

    def coal(j: str, uid: str, name: str, tech: str, mw: float, n: int, hr: float, year: int, status: str,
             src: str, hours: float, hours_note: str, *, fom: float = COAL_FOM, rfit_hr: float | None = None,
             rfit_capex: float = RETROFIT_CAPEX, cofire: float | None = None, min_out: float | None = None,
             months: str | None = None) -> Unit:
        operating = status == "operating"
        return Unit({
            "jurisdiction": j, "unit_id": uid, "name": name, "technology": tech, "capacity_mw": mw, "n_units": n,
            "heat_rate_tce_per_mwh": hr, "commissioning_year": year, "status": status, "availability": COAL_AVAIL,
            "min_output_share": min_out, "heating_months": months, "cofire_share": cofire,
            "cofire_from_year": SHAONENG_COFIRE_FROM if cofire else None,
            "retrofit_heat_rate_tce_per_mwh": (round(hr - RETROFIT_DHR, 3) if rfit_hr is None else rfit_hr) if operating else None,
            "retrofit_capex_cny_per_kw": rfit_capex if operating else None,
            "repower_heat_rate_tce_per_mwh": REPOWER_HR if operating else None,
            "repower_capex_cny_per_kw": REPOWER_CAPEX if operating else None,
            "fom_cny_per_kw_yr": fom, "vom_cny_per_mwh": COAL_VOM, "lifetime_yr": UNIT_LIFE, "source": src,
        }, hours, hours_note)

    def other(j: str, uid: str, name: str, tech: str, mw: float, hr: float | None, year: int, avail: float,
              fom: float, vom: float, life: int, src: str, hours: float, hours_note: str) -> Unit:
        return Unit({
            "jurisdiction": j, "unit_id": uid, "name": name, "technology": tech, "capacity_mw": mw, "n_units": 1,
            "heat_rate_tce_per_mwh": hr, "commissioning_year": year, "status": "operating", "availability": avail,
            "min_output_share": None, "heating_months": None, "cofire_share": None, "cofire_from_year": None,
            "retrofit_heat_rate_tce_per_mwh": None, "retrofit_capex_cny_per_kw": None,
            "repower_heat_rate_tce_per_mwh": None, "repower_capex_cny_per_kw": None,
            "fom_cny_per_kw_yr": fom, "vom_cny_per_mwh": vom, "lifetime_yr": life, "source": src,
        }, hours, hours_note)

    gem_xt = "statistic: Datang Xiangtan power station, Shuangma, 2×300 MW (1997/98, subcritical) + 2×600 MW (2006/07, supercritical), anthracite (GEM wiki Xiangtan_power_station; SWITCH existing_plants.csv; data.md §5.3); plan names only 「大唐发电」 (seeds/001_7576eaf11317b0b8.txt L73, L100, L135)"
    gem_ly = "statistic: Datang Huayin Leiyang power station (GEM wiki Leiyang_power_station; SWITCH; data.md §5.3)"
    return [
        coal("xiangtan", "xiangtan_datang_300", "大唐湘潭发电 units 1-2 (2×300 MW)", "coal", 600.0, 2, HR_300.value, 1997,
             "operating", f"{gem_xt}; heat rate {HR_300.ref}; {_COAL_OPTS}", 3800.0,
             "3,800 h in 2020 (E: Hunan coal units ~3,800-4,300 h, older subcritical units at the low end)"),
        coal("xiangtan", "xiangtan_datang_600", "大唐湘潭发电 units 3-4 (2×600 MW)", "coal", 1200.0, 2, HR_600.value, 2006,
             "operating", f"{gem_xt}; heat rate {HR_600.ref}; {_COAL_OPTS}", 4300.0,
             "4,300 h in 2020 (E: Hunan coal units ~3,800-4,300 h, supercritical units at the high end)"),
        coal("leiyang", "leiyang_datang_210", "大唐耒阳电厂 units 1-2 (2×210 MW)", "coal", 420.0, 2, HR_210.value, 1988,
             "retired",
             f"{gem_ly}: units 1-2 2×210 MW (1988/89) retired 2022 per GEM; the plan still asks to phase them out:"
             f" seeds/003_d3fcac7dfd99de99.txt L148-L150: 加快淘汰大唐耒阳电厂两台210MW煤电机组 (repeated L203);"
             f" heat rate {HR_210.ref}; FOM {COAL_FOM:.0f} CNY/kW-yr (E)", 3000.0,
             "3,000 h in 2020 (E: old small units, last years before retirement in 2022)"),
        coal("leiyang", "leiyang_datang_300", "大唐耒阳电厂 units 3-4 (2×300 MW)", "coal", 600.0, 2, HR_300.value, 2003,
             "operating", f"{gem_ly}: units 3-4 2×300 MW (2003/04) operating; plan L86-L88: 节煤降耗改造、供热改造;"
             f" heat rate {HR_300.ref}; {_COAL_OPTS}", 3900.0, "3,900 h in 2020 (E: Hunan coal units ~3,800-4,300 h)"),
        coal("leiyang", "leiyang_shaoneng_u1", "韶能集团耒杨发电厂 1#机组 (CHP conversion)", "coal_chp", SHAONENG_MW, 1,
             SHAONENG_HR, 2005, "operating",
             "seeds/003_d3fcac7dfd99de99.txt L146-L148: 推动韶能集团耒杨发电厂对锅炉进行生物质掺烧改造…1#机组热电联产转型、对园区进行集中供热"
             f" (also L660); estimate: size {SHAONENG_MW:.0f} MW per unit, 2 units, commissioning 2005 — NOT in the plan or data.md,"
             f" placeholder for a small captive plant next to the Cailun paper mill; heat rate {SHAONENG_HR} tce/MWh (E: small units"
             f" ~380 gce/kWh); co-firing share {SHAONENG_COFIRE} of fuel from {SHAONENG_COFIRE_FROM} (E: 10-20% typical, plan gives"
             " none; a measure of the plan period, so none in 2020);"
             " CHP floor 0.3 of remaining capacity all year (E: industrial-park steam is year-round); retrofit = CHP conversion"
             " with heat allocation, power-side rate 0.295 tce/MWh for 800 CNY/kW (E; heat fuel stays in coal_other);"
             f" repower {REPOWER_HR} tce/MWh for {REPOWER_CAPEX:,.0f} CNY/kW; FOM {SMALL_COAL_FOM:.0f} CNY/kW-yr (E)",
             4000.0, "4,000 h in 2020 (E: captive unit of a paper mill)", fom=SMALL_COAL_FOM, rfit_hr=0.295,
             rfit_capex=800.0, cofire=SHAONENG_COFIRE, min_out=0.3, months="1;2;3;4;5;6;7;8;9;10;11;12"),
        coal("leiyang", "leiyang_shaoneng_u2", "韶能集团耒杨发电厂 2#机组", "coal", SHAONENG_MW, 1, SHAONENG_HR, 2005,
             "operating",
             "seeds/003_d3fcac7dfd99de99.txt L146: 推动韶能集团耒杨发电厂对锅炉进行生物质掺烧改造 (co-firing of the plant's boilers);"
             f" estimate: size {SHAONENG_MW:.0f} MW, commissioning 2005, heat rate {SHAONENG_HR} (E, not in plan or data.md);"
             f" co-firing {SHAONENG_COFIRE} from {SHAONENG_COFIRE_FROM} (E, none in 2020); {_COAL_OPTS.replace(f'FOM {COAL_FOM:.0f}', f'FOM {SMALL_COAL_FOM:.0f}')}",
             4000.0, "4,000 h in 2020 (E)", fom=SMALL_COAL_FOM, cofire=SHAONENG_COFIRE),
        other("leiyang", "leiyang_hydro_small", "耒阳小水电 (Leishui / Chunling small hydro, aggregated)", "hydro", 60.0, None,
              1990, 1.0, 60.0, 0.0, 30,
              "seeds/003_d3fcac7dfd99de99.txt L108-L109: 因地制宜开发水能，鼓励开展水电增容挖潜 (existing hydro implied);"
              " estimate: 60 MW aggregated small hydro on the Leishui and Chunling rivers, commissioning year 1990 placeholder,"
              " FOM 60 CNY/kW-yr (E; no capacity in the plan or data.md §5.3); availability 1: the hydro_cf profile"
              " (mean 0.3653 = 3,200 h) already carries flow and outages", 3200.0,
              "3,200 h in 2020 (E: small run-of-river hydro; = the hydro_cf profile mean 0.3653 × 8,760 h)"),
        other("leiyang", "leiyang_wte", "耒阳市生活垃圾焚烧发电项目", "waste", 15.0, 0.41, 2021, 0.85, 300.0, 30.0, 20,
              "seeds/003_d3fcac7dfd99de99.txt L709-L711: 大力发展垃圾焚烧发电…2022年垃圾焚烧量15.5万吨; estimate: 15 MW = 155,000 t/yr"
              " × 0.42 MWh/t / ~4,400 h; fuel 0.41 tce/MWh (MSW ~0.17 tce/t / 0.42 MWh/t); commissioning 2021 assumed (in"
              " operation in 2022); FOM 300 CNY/kW-yr, VOM 30 CNY/MWh (E)", 0.0,
              "0 h in 2020 (commissioned after the base year, E)"),
        other("lixian", "lixian_hydro_small", "澧县小水电 (Lishui river small hydro, aggregated)", "hydro", 40.0, None, 1990,
              1.0, 60.0, 0.0, 30,
              "estimate: 40 MW aggregated small hydro on the Lishui river and tributaries (data.md §7 item 3: Li County hydro"
              " likely non-zero; plan names none), commissioning year 1990 placeholder, FOM 60 CNY/kW-yr (E); availability 1:"
              " the hydro_cf profile (mean 0.3425 = 3,000 h) already carries flow and outages", 3000.0,
              "3,000 h in 2020 (E: small run-of-river hydro; = the hydro_cf profile mean 0.3425 × 8,760 h)"),
    ]


# ---------------------------------------------------------------------------------------
# Existing VRE and storage
# ---------------------------------------------------------------------------------------

PV_UTILITY_SHARE = 0.6  # of existing 2020 PV (E)


def existing_vre_2020(basics: dict[str, JurisdictionBasics]) -> dict[str, dict[str, tuple[float, str]]]:
    """Existing 2020 wind and PV by jurisdiction: provincial capacity × area (wind) or GDP (PV) share."""
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for j, b in basics.items():
        gshare = b.gdp_2020_yi / HN_GDP_2020_YI.value
        ashare = b.area_km2 / HUNAN_AREA_KM2.value
        pv = HN_PV_2020_MW.value * gshare
        wind = 0.0 if j == "yueyang_etdz" else HN_WIND_2020_MW.value * ashare
        wnote = (
            "0 MW: urban development zone, the plan never mentions wind (E)" if j == "yueyang_etdz" else
            f"Hunan wind 2020 6,690 MW (data.md §5.3) × area share {b.area_km2:,.1f}/211,800 km² = {_pct(ashare)}"
            " (Hunan area: general reference, not in data.md)"
        )
        pnote = f"Hunan PV 2020 3,741 MW (data.md §5.3) × GDP share {_pct(gshare)}"
        out[j] = {
            "solar_utility": (round(pv * PV_UTILITY_SHARE, 1), f"{pnote} × utility share {PV_UTILITY_SHARE} (E)"),
            "solar_rooftop": (round(pv * (1 - PV_UTILITY_SHARE), 1), f"{pnote} × rooftop share {1 - PV_UTILITY_SHARE:.1f} (E)"),
            "wind_onshore": (round(wind, 1), wnote),
        }
    return out


def existing_capacity_rows(ex: dict[str, dict[str, tuple[float, str]]]) -> list[Row]:
    """existing_capacity.csv: 2020 capacity stays online to 2035; no storage in 2020."""
    rows: list[Row] = []
    for j, techs in ex.items():
        for y in YEARS:
            for g, (mw, note) in techs.items():
                rows.append({"jurisdiction": j, "technology": g, "year": y, "capacity_mw": mw, "energy_mwh": None,
                             "source": est(f"{note}; placeholder for county NEA/grid data (data.md §7 item 3);"
                                           " built before 2020, still online to 2035 (25-yr life); plan projects are"
                                           " in projects.csv, not here")})
            rows.append({"jurisdiction": j, "technology": "battery", "year": y, "capacity_mw": 0.0, "energy_mwh": 0.0,
                         "source": est("no grid battery storage in 2020 (Hunan new-type storage 2.88 GW at end-2024,"
                                       " data.md §5.3, was built after 2020; it enters the model as new builds and plan projects)")})
    return rows


# ---------------------------------------------------------------------------------------
# Fuel-switch blocks
# ---------------------------------------------------------------------------------------

TCE_MWH_TH = 29.3076 / 3.6  # MWh of heat per tce = 8.141 (1 tce = 29.3076 GJ, data.md §4.1)
BLOCK_HOURS = 5000.0
HEATPUMP_SHARE = 1.0 / 3.0
EL_EFF = round((1 - HEATPUMP_SHARE) * 0.95 + HEATPUMP_SHARE * 2.5, 2)
CAPEX_KWTH = {"gas_boiler": 500.0, "gas_kiln": 800.0, "gas_furnace": 600.0, "electric": 1200.0}


@dataclass(frozen=True)
class BlockSpec:
    """An industrial coal block as a share of a jurisdiction's 2020 direct coal use."""

    block_id: str
    sector: str
    target: str
    share_of_direct_coal: float
    max_share: float
    eff_coal: float
    eff_target: float
    equip: str
    clause: str


BLOCK_SPECS: dict[str, tuple[BlockSpec, ...]] = {
    "linxiang": (
        BlockSpec("linxiang_ceramics_gas", "ceramics kilns and spray dryers (兆邦陶瓷, 三湾工业园)", "gas", 0.12, 0.8, 0.60, 0.70, "gas_kiln",
                  plan("linxiang", 99, "加快污染型工业企业的“气代油”“气代煤”工作，推进陶瓷企业清洁能源改造")),
        BlockSpec("linxiang_chemical_boilers_gas", "chemical-park industrial boilers (滨江工业园, 绿色化工产业园)", "gas", 0.15, 0.7, 0.80, 0.92,
                  "gas_boiler", plan("linxiang", 89, "有序推进“煤改电”“煤改气”工程") + "; L99: 推进滨江工业园天然气建设项目"),
        BlockSpec("linxiang_small_boilers_elec", "coal boilers <35 t/h in the built-up area", "electricity", 0.05, 0.6, 0.75, EL_EFF,
                  "electric", plan("linxiang", 89, "城市建成区鼓励淘汰35蒸吨/小时以下燃煤锅炉")),
    ),
    "xiangtan": (
        BlockSpec("xiangtan_steel_heat_gas", "steel reheating furnaces and boilers (湘钢)", "gas", 0.04, 0.5, 0.55, 0.65, "gas_furnace",
                  plan("xiangtan", 66, "推动钢铁行业达峰…提升工序能效") + "; L47: 合理引导工业用气"),
        BlockSpec("xiangtan_materials_boilers_gas", "building-materials and chemical boilers and kilns", "gas", 0.03, 0.7, 0.80, 0.92,
                  "gas_boiler", plan("xiangtan", 55, "推动电力、钢铁、建材和化工行业等重点用煤、用能单位开展节能降碳挖潜改造")
                  + "; L47: 全市天然气消费总量达到4.5亿立方米以上"),
        BlockSpec("xiangtan_boilers_elec", "small industrial boilers (industrial electrification)", "electricity", 0.015, 0.6, 0.75,
                  EL_EFF, "electric", plan("xiangtan", 64, "提升工业电气化水平")),
    ),
    "lixian": (
        BlockSpec("lixian_ceramics_gas", "ceramics kilns (新鹏陶瓷)", "gas", 0.20, 0.8, 0.60, 0.70, "gas_kiln",
                  plan("lixian", 166, "澧县新鹏陶瓷煤改气节能减排项目") + "; L35: 鼓励建材、化工和陶瓷行业企业积极开展锅炉和窑炉“煤改电”“煤改气”"),
        BlockSpec("lixian_chemicals_gas", "chemical boilers (新澧化工: mirabilite, potassium nitrate, iron oxide)", "gas", 0.15, 0.7, 0.80,
                  0.92, "gas_boiler", plan("lixian", 101, "积极推进新鹏陶瓷、新澧化工、萌恒服装等一批高耗煤行业节能减排改造")
                  + "; L81: 在城区全面推行“煤改气”“煤改电”工程"),
        BlockSpec("lixian_textile_boilers_elec", "textile and agri-processing boilers (萌恒服装)", "electricity", 0.08, 0.6, 0.75, EL_EFF,
                  "electric", plan("lixian", 35, "鼓励建材、化工和陶瓷行业企业积极开展锅炉和窑炉“煤改电”“煤改气”改造工作")),
    ),
    "leiyang": (
        BlockSpec("leiyang_brick_kilns_gas", "sintered brick and tile kilns", "gas", 0.06, 0.6, 0.60, 0.70, "gas_kiln",
                  plan("leiyang", 279, "逐步提高电力、天然气消费比重 (烧结砖瓦)")),
        BlockSpec("leiyang_industry_boilers_gas", "industrial and service-sector boilers (paper, non-ferrous)", "gas", 0.10, 0.7, 0.80,
                  0.92, "gas_boiler", plan("leiyang", 92, "持续推动工业、服务业和居民消费端“煤改气”“煤改电”")),
        BlockSpec("leiyang_boilers_elec", "small boilers and household coal (煤改电)", "electricity", 0.05, 0.6, 0.75, EL_EFF, "electric",
                  plan("leiyang", 92, "持续推动工业、服务业和居民消费端“煤改气”“煤改电”")),
    ),
    "yueyang_etdz": (
        BlockSpec("yueyang_etdz_boilers_gas", "industrial boilers (equipment, pharma, cold chain)", "gas", 0.30, 0.7, 0.80, 0.92,
                  "gas_boiler", plan("yueyang_etdz", 20, "推进天然气、电能替代工程")),
        BlockSpec("yueyang_etdz_boilers_elec", "industrial boilers to electricity (以电代油/电能替代)", "electricity", 0.15, 0.7, 0.75,
                  EL_EFF, "electric", plan("yueyang_etdz", 20, "推进天然气、电能替代工程")),
    ),
}


def block_capex(eff_coal: float, equip: str) -> tuple[float, str]:
    """Conversion capex per tce/yr of coal switched: useful-heat kW_th per tce/yr × CNY/kW_th."""
    kwth = TCE_MWH_TH * 1000 * eff_coal / BLOCK_HOURS
    v = round(kwth * CAPEX_KWTH[equip], 1)
    return v, (
        f"1 tce/yr = 8.141 MWh fuel × η_coal {eff_coal} / {BLOCK_HOURS:,.0f} full-load h = {kwth:.3f} kW_th per tce/yr"
        f" × {CAPEX_KWTH[equip]:,.0f} CNY/kW_th ({equip}: {_CAPEX_NOTE[equip]})"
    )


_CAPEX_NOTE = {
    "gas_boiler": "data.md §7 item 5: 400-600 CNY/kW_th, midpoint",
    "gas_kiln": "E: burner, kiln refit and gas connection, above the boiler range",
    "gas_furnace": "E: upper end of data.md §7 item 5 range",
    "electric": "E: 2/3 electrode boilers ~500 + 1/3 industrial heat pumps ~2,500 CNY/kW_th",
}


# ---------------------------------------------------------------------------------------
# Base year (2020): energy balance by formulation §4
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseYear:
    """2020 quantities of one jurisdiction (all tce unless said)."""

    tec_topdown: float
    tec_note: str
    elec_mwh: float
    elec_note: str
    coal_direct: float
    blocks: tuple[Row, ...]
    coal_other: float
    gas: float
    oil: float
    onf: float
    mix_note: str


def _energy_corr(b: JurisdictionBasics, w: float) -> float:
    return w * b.secondary / HN_SECONDARY.value + (1 - w)


def hunan_intensity_2020() -> tuple[float, str]:
    """Hunan 2020 energy intensity in tce per CNY (current = constant 2020 prices)."""
    e2020 = HN_ENERGY_2024_TCE.value / (1 + HN_ENERGY_GROWTH_2020_24) ** 4
    v = e2020 / (HN_GDP_2020_YI.value * 1e8)
    return v, (
        f"Hunan 2020 energy {e2020 / 1e6:.1f} Mtce (= 172 Mtce 2024 (data.md §5.2) / 1.02^4, E: 2%/yr growth 2020-24)"
        f" / GDP 41,542.6 亿 = {v * 1e4:.4f} tce/万元"
    )


def unit_generation_2020(j: str) -> list[tuple[Row, float]]:
    """(unit row, 2020 generation MWh) for the units of ``j`` that ran in 2020."""
    out = []
    for u in units():
        if u.row["jurisdiction"] == j and u.row["commissioning_year"] <= BASE_YEAR:
            out.append((u.row, u.row["capacity_mw"] * u.hours_2020))
    return out


def vre_generation_2020(ex: dict[str, dict[str, tuple[float, str]]], j: str) -> float:
    """Generation of the existing 2020 wind and PV of ``j`` (MWh)."""
    return sum(mw * FLH[g] for g, (mw, _) in ex[j].items())


def base_year_inputs(basics: dict[str, JurisdictionBasics],
                     ex: dict[str, dict[str, tuple[float, str]]]) -> dict[str, BaseYear]:
    """Top-down 2020 energy and electricity, split into the components the model reads."""
    e_hn, e_note = hunan_intensity_2020()
    f = F_PE[BASE_YEAR]
    out: dict[str, BaseYear] = {}
    for j, b in basics.items():
        gdp = b.gdp_2020_yi * 1e8
        corr_e = _energy_corr(b, W_IND_ENERGY)
        corr_el = _energy_corr(b, W_IND_ELEC)
        tec = gdp * e_hn * corr_e * b.energy_factor
        tec_note = (
            f"GDP 2020 {b.gdp_2020_yi:,.1f} 亿 × Hunan intensity {e_hn * 1e4:.4f} tce/万元 ({e_note})"
            f" × secondary-industry correction {W_IND_ENERGY}·{b.secondary:.3f}/{HN_SECONDARY.value} + {1 - W_IND_ENERGY:.1f}"
            f" = {corr_e:.3f} (data.md §7 item 1) × {b.energy_factor} ({b.factor_note}) = {tec / 1e6:.3f} Mtce"
        )
        elec = round(HN_ELEC_2020_MWH.value * (b.gdp_2020_yi / HN_GDP_2020_YI.value) * corr_el * b.elec_factor, -3)
        elec_note = (
            f"Hunan 2020 electricity 190.0 TWh (PIK, data.md §6.1) × GDP share {_pct(b.gdp_2020_yi / HN_GDP_2020_YI.value)}"
            f" × secondary correction {W_IND_ELEC}·{b.secondary:.3f}/{HN_SECONDARY.value} + {1 - W_IND_ELEC:.1f} = {corr_el:.3f}"
            f" (data.md §7 item 2) × {b.elec_factor}"
        )
        # TEC = coal_direct + gas + oil + onf + D·f_pe + Σ coal-unit gen·(hr − f_pe)  (formulation §4, φ = 0 in 2020)
        unit_corr = sum(g * (r["heat_rate_tce_per_mwh"] - f) for r, g in unit_generation_2020(j)
                        if r["technology"] in ("coal", "coal_chp"))
        oil = round(tec * b.oil_share)
        gas = round(tec * b.gas_share)
        onf = round(XIANGTAN_ONF_2020_TCE if j == "xiangtan" else tec * b.onf_share)
        coal_direct = tec - elec * f - unit_corr - oil - gas - onf
        blocks = []
        for s in BLOCK_SPECS[j]:
            size = round(coal_direct * s.share_of_direct_coal, -2)
            capex, cnote = block_capex(s.eff_coal, s.equip)
            blocks.append({
                "jurisdiction": j, "block_id": s.block_id, "sector": s.sector, "target_fuel": s.target,
                "coal_use_tce": size, "max_share": s.max_share, "efficiency_coal": s.eff_coal,
                "efficiency_target": s.eff_target, "capex_cny_per_tce_yr": capex, "lifetime_yr": 20,
                "source": f"{s.clause}; estimate: size = {_pct(s.share_of_direct_coal)} of the 2020 direct (non-power) coal"
                          f" use {coal_direct:,.0f} tce (E); max share {s.max_share} (E); efficiencies coal {s.eff_coal} /"
                          f" {s.target} {s.eff_target} ({_EFF_NOTE[s.equip]}); capex: {cnote}; life 20 yr (E)",
            })
        coal_other = round(coal_direct - sum(r["coal_use_tce"] for r in blocks))
        out[j] = BaseYear(tec, tec_note, elec, elec_note, coal_direct, tuple(blocks), coal_other, gas, oil, onf, b.mix_note)
    return out


_EFF_NOTE = {
    "gas_boiler": "E: existing small coal boilers 0.80, gas boilers 0.92 (data.md §7 item 5; PIK/DEA 0.92)",
    "gas_kiln": "E: coal-gasifier kilns 0.60, natural-gas kilns 0.70",
    "gas_furnace": "E: coal-gas-fired furnaces 0.55, natural gas 0.65",
    "electric": f"E: coal boilers 0.75; electric {EL_EFF} = 2/3 electrode boilers 0.95 + 1/3 heat pumps COP 2.5",
}


def base_year_terms(j: str) -> dict[str, float]:
    """The 2020 terms of formulation §4 for ``j``, from the values written to the tables.

    Keys: ``C``, ``G``, ``O``, ``NFL``, ``M``, ``ONF``, ``TEC``, ``NF`` (NFL + non-fossil part
    of a net import + ONF; a net exporter exports fossil power first), ``CO2`` (incl. the
    indirect emissions of the net import), ``net_import_mwh`` and ``local_gen_mwh``.
    """
    basics = jurisdiction_basics()
    ex = existing_vre_2020(basics)
    by = base_year_inputs(basics, ex)[j]
    f = F_PE[BASE_YEAR]
    gens = unit_generation_2020(j)
    coal_units = sum(g * r["heat_rate_tce_per_mwh"] for r, g in gens if r["technology"] in ("coal", "coal_chp"))
    nf_units_mwh = sum(g for r, g in gens if r["technology"] in ("hydro", "biomass", "waste"))
    vre_mwh = vre_generation_2020(ex, j)
    local = sum(g for _, g in gens) + vre_mwh
    c = by.coal_other + sum(r["coal_use_tce"] for r in by.blocks) + coal_units
    nfl = (vre_mwh + nf_units_mwh) * f
    net_imp = by.elec_mwh - local
    m = net_imp * f
    tec = c + by.gas + by.oil + nfl + m + by.onf
    s_grid = grid_nonfossil_share(BASE_YEAR)[0]
    nf = nfl + max(net_imp, 0.0) * s_grid * f + by.onf
    ef_g = grid_ef(BASE_YEAR)[0]
    co2 = c * EF_COAL + by.gas * round(EF_GAS.value, 4) + by.oil * round(EF_OIL.value, 4) + net_imp * ef_g
    return {"C": c, "G": float(by.gas), "O": float(by.oil), "NFL": nfl, "M": m, "ONF": float(by.onf), "TEC": tec,
            "NF": nf, "CO2": co2, "net_import_mwh": net_imp, "local_gen_mwh": local}


# ---------------------------------------------------------------------------------------
# jurisdiction_year
# ---------------------------------------------------------------------------------------


def _grow(v0: float, rates: dict[int, float], year: int) -> float:
    v = v0
    for y in MILESTONES:
        if y > year:
            break
        v *= (1 + rates[y]) ** 5
    return v


def _rates_txt(rates: dict[int, float]) -> str:
    return ", ".join(f"{_pct(r)}/yr to {y}" for y, r in rates.items())


def peak_import_mw(elec_mwh: float, blocks: tuple[Row, ...]) -> float:
    """Import capacity: mean load / load factor plus the largest switched electric load, × margin."""
    el_blocks = sum(r["coal_use_tce"] * r["max_share"] * r["efficiency_coal"] / r["efficiency_target"] / ELEC_CALORIFIC.value
                    for r in blocks if r["target_fuel"] == "electricity")
    return math.ceil((elec_mwh / 8760 / HN_LOAD_FACTOR.value + el_blocks / 8760) * IMPORT_MARGIN / 10) * 10


def jurisdiction_year_rows(basics: dict[str, JurisdictionBasics], by: dict[str, BaseYear]) -> list[Row]:
    """Rows of jurisdiction_year.csv for 2020 (incl. base-year totals) and the milestones."""
    rows: list[Row] = []
    coal_units_mw = {j: sum(u.row["capacity_mw"] for u in units() if u.row["jurisdiction"] == j
                            and u.row["technology"] in ("coal", "coal_chp")
                            and (u.row["status"] == "operating")) for j in basics}
    coal_units_2020 = {j: sum(u.row["capacity_mw"] for u in units() if u.row["jurisdiction"] == j
                              and u.row["technology"] in ("coal", "coal_chp")) for j in basics}
    for j, b in basics.items():
        d = by[j]

        def add(y: int, p: str, v: float, s: str) -> None:
            rows.append({"jurisdiction": j, "year": y, "parameter": p, "value": v, "source": s})

        g_rates = GDP_GROWTH.get(j, GDP_GROWTH["default"])
        for y in YEARS:
            gdp = gdp_cny(j, y, basics)
            if y == BASE_YEAR:
                add(y, "gdp_cny", gdp, est(f"{b.gdp_src}; ×1e8 CNY"))
            else:
                add(y, "gdp_cny", gdp, est(f"GDP 2020 {b.gdp_2020_yi:,.1f} 亿 grown {_rates_txt(g_rates)} (E; {GDP_GROWTH_NOTE})"))
            elec = round(_grow(d.elec_mwh, ELEC_GROWTH, y), -3)
            if y == BASE_YEAR:
                add(y, "electricity_demand_mwh", elec, est(d.elec_note))
            else:
                add(y, "electricity_demand_mwh", elec, est(
                    f"2020 {d.elec_mwh / 1e6:.3f} TWh grown 4.5%/yr to 2025 (E: between SWITCH 3.3%/yr (data.md §6.1) and"
                    f" Hunan 2020-24 5.7%/yr (190.0 → 237.4 TWh, data.md §6.1), efficiency programmes of the plan),"
                    f" 3.3%/yr to 2030 (SWITCH), 2.5%/yr to 2035 (E)"))
            coal_o = round(_grow(d.coal_other, {k: COAL_OTHER_GROWTH for k in MILESTONES}, y))
            cnote = (
                f"2020 direct (non-power) coal {d.coal_direct:,.0f} tce = TEC − electricity × f_pe − coal-unit conversion"
                f" correction − oil − gas − other non-fossil, minus the fuel-switch blocks"
                f" {sum(r['coal_use_tce'] for r in d.blocks):,.0f} tce (fuel_switch_blocks.csv; not double counted)"
            )
            add(y, "coal_other_tce", coal_o, est(cnote if y == BASE_YEAR else
                                               f"2020 {d.coal_other:,.0f} tce × 0.99^{y - BASE_YEAR} (−1%/yr, E: plans' 煤炭消费总量"
                                               " 合理控制 / 逐步降低, e.g. seeds/003_d3fcac7dfd99de99.txt L55)"))
            gas = round(_grow(d.gas, GAS_GROWTH, y))
            add(y, "gas_final_tce", gas, est(
                f"{_pct(b.gas_share)} of 2020 TEC ({d.mix_note})" if y == BASE_YEAR else
                f"2020 {d.gas:,.0f} tce grown {_rates_txt(GAS_GROWTH)} (E: 气化湖南 gas-network expansion)"))
            oil = round(_grow(d.oil, OIL_GROWTH, y))
            add(y, "oil_final_tce", oil, est(
                f"{_pct(b.oil_share)} of 2020 TEC ({d.mix_note})" if y == BASE_YEAR else
                f"2020 {d.oil:,.0f} tce, {_rates_txt(OIL_GROWTH)} (E: plans keep oil stable, land-transport oil peaks"
                " before 2030, seeds/001_7576eaf11317b0b8.txt L82)"))
            if j == "xiangtan" and y >= 2025:
                onf = round(370000.0 * (1 + ONF_GROWTH) ** (y - 2025))
                osrc = plan("xiangtan", 45, "到2025年，生物质资源开发利用总量超过37万吨标煤") if y == 2025 else est(
                    f"370,000 tce in 2025 (seeds/001_7576eaf11317b0b8.txt L45) grown {_pct(ONF_GROWTH)}/yr (E)")
            else:
                onf = round(_grow(d.onf, {k: ONF_GROWTH for k in MILESTONES}, y))
                osrc = est(
                    ("250,000 tce of biomass heat and solar thermal (E, below the plan's >370,000 tce of biomass use by 2025,"
                     " seeds/001_7576eaf11317b0b8.txt L45)" if j == "xiangtan" else
                     f"{_pct(b.onf_share)} of 2020 TEC ({d.mix_note})") if y == BASE_YEAR else
                    f"2020 {d.onf:,.0f} tce grown {_pct(ONF_GROWTH)}/yr (E: biomass heat, biogas, solar water heaters)")
            add(y, "other_nonfossil_tce", onf, osrc)
            imp = peak_import_mw(elec, d.blocks)
            add(y, "import_cap_mw", imp, est(
                f"(demand {elec / 1e6:.3f} TWh / 8,760 h / load factor 0.575 (data.md §6.2) + largest switched electric"
                f" load) × {IMPORT_MARGIN} margin, rounded up to 10 MW"))
            cu = coal_units_2020[j] if y == BASE_YEAR else coal_units_mw[j]
            add(y, "export_cap_mw", imp + cu, est(
                f"import capacity {imp:,.0f} MW + grid connection of the local coal units {cu:,.0f} MW (units.csv)"
                if cu else f"equal to the import capacity {imp:,.0f} MW (same substations, E)"))
        t = base_year_terms(j)
        base_note = (
            f"formulation §4 from the 2020 components: C {t['C']:,.0f} (coal_other + blocks + coal units' 2020 generation"
            f" × heat rate, φ = 0), G {t['G']:,.0f}, O {t['O']:,.0f}, NFL {t['NFL']:,.0f}, M {t['M']:,.0f}"
            f" (net import {t['net_import_mwh'] / 1e6:.3f} TWh × f_pe 0.3055), ONF {t['ONF']:,.0f};"
            f" unit hours: {_unit_hours_note(j)}; existing wind/PV at 2,000/1,000/925 h;"
            f" top-down target {d.tec_note}"
        )
        add(BASE_YEAR, "total_energy_tce", round(t["TEC"]), est(f"TEC = {base_note}"))
        add(BASE_YEAR, "co2_tco2", round(t["CO2"]), est(
            f"C × 2.66 + G × 1.644 + O × 2.101 + net import {t['net_import_mwh'] / 1e6:.3f} TWh × grid EF"
            f" {grid_ef(BASE_YEAR)[0]} tCO2/MWh (indirect emissions included; negative for a net exporter); components as in"
            " total_energy_tce"))
        add(BASE_YEAR, "nonfossil_electricity_tce", round(t["NFL"]), est(
            f"NFL = (existing wind/PV + hydro + waste generation 2020) × f_pe 0.3055 = {t['NFL']:,.0f} tce"))
    return rows


def _unit_hours_note(j: str) -> str:
    parts = [f"{u.row['unit_id']} {u.hours_note}" for u in units() if u.row["jurisdiction"] == j]
    return "; ".join(parts) if parts else "no named units"


# ---------------------------------------------------------------------------------------
# Technologies
# ---------------------------------------------------------------------------------------


def technology_rows() -> list[Row]:
    """Rows of technologies.csv (data.md §1.6 central values, E)."""
    rows: list[Row] = []
    blank = {"capex_energy_cny_per_kwh": None, "efficiency_charge": None, "efficiency_discharge": None,
             "loss_per_h": None, "duration_min_h": None, "duration_max_h": None, "heat_rate_tce_per_mwh": None}

    def add(g: str, y: int, capex: float, fom: float, vom: float, life: int, src: str, **kw: Any) -> None:
        r = {"technology": g, "year": y, "capex_cny_per_kw": capex, "fom_cny_per_kw_yr": round(fom, 2),
             "vom_cny_per_mwh": vom, "lifetime_yr": life, **blank, "source": est(src)}
        r.update(kw)
        rows.append(r)

    pv_u = {2025: 3000.0, 2030: 2500.0, 2035: 2200.0}
    pv_r = {2025: 3200.0, 2030: 2700.0, 2035: 2400.0}
    wind = {2025: 5800.0, 2030: 5200.0, 2035: 4800.0}
    bat_p = {2025: 300.0, 2030: 250.0, 2035: 220.0}
    bat_e = {2025: 750.0, 2030: 500.0, 2035: 400.0}
    ccgt = {2025: 2500.0, 2030: 2400.0, 2035: 2300.0}
    ccgt_eff = {2025: 0.57, 2030: 0.58, 2035: 0.59}
    ocgt_eff = {2025: 0.40, 2030: 0.41, 2035: 0.42}
    x35 = "; 2035 extrapolated from the literature 2040 values in data.md §1.1 (E)"
    for y in MILESTONES:
        add("solar_utility", y, pv_u[y], 0.0175 * pv_u[y], 0.0, 25,
            f"utility/agri-PV {pv_u[y]:,.0f} CNY/kW (data.md §1.6: 3,000 in 2025, 2,500 in 2030; literature 2,200-2,800 and"
            f" CPIA 2021 4.15 CNY/W){x35 if y == 2035 else ''}; FOM 1.75%/yr (data.md §1.6: 1.5-2%); life 25 yr")
        add("solar_rooftop", y, pv_r[y], 0.015 * pv_r[y], 0.0, 25,
            f"C&I rooftop PV {pv_r[y]:,.0f} CNY/kW (data.md §1.6: 3,200 in 2025, 2,700 in 2030; literature 2,400-3,500)"
            f"{x35 if y == 2035 else ''}; FOM 1.5%/yr; life 25 yr")
        add("wind_onshore", y, wind[y], 0.0225 * wind[y], 0.0, 25,
            f"mountain/low-speed onshore wind {wind[y]:,.0f} CNY/kW (data.md §1.6: 5,800 in 2025, 5,200 in 2030; CREEI"
            f" mountain 7,200 in 2021 minus turbine price fall){x35 if y == 2035 else ''}; FOM 2.25%/yr (data.md §1.6:"
            " 2-2.5%); life 25 yr")
        add("battery", y, bat_p[y], 0.02 * (bat_p[y] + 2 * bat_e[y]), 2.0, 15,
            f"LFP battery {bat_p[y]:,.0f} CNY/kW + {bat_e[y]:,.0f} CNY/kWh (data.md §1.6: 2 h turnkey 0.9 CNY/Wh in 2025 ="
            f" 300 + 750; 0.6-0.7 CNY/Wh in 2030 = 250 + 500){x35 if y == 2035 else ''}; FOM 2%/yr of a 2 h system; VOM"
            " 2 CNY/MWh (E); efficiency 0.92 each way (round trip 0.85, E; DEA inverter 0.96, SWITCH round trip 0.767);"
            " self-discharge 0.01%/h (E); duration 1-8 h; life 15 yr (cycle-limited)",
            capex_energy_cny_per_kwh=bat_e[y], efficiency_charge=0.92, efficiency_discharge=0.92, loss_per_h=0.0001,
            duration_min_h=1.0, duration_max_h=8.0)
        add("pumped_hydro", y, 6000.0, 90.0, 5.0, 50,
            "pumped storage 6,000 CNY/kW for a fixed 6 h reservoir (E: typical Chinese stations; not in data.md), energy"
            " cost included; FOM 1.5%/yr; VOM 5 CNY/MWh; efficiency 0.88 each way (round trip 0.77); life 50 yr (all E)",
            capex_energy_cny_per_kwh=0.0, efficiency_charge=0.88, efficiency_discharge=0.88, loss_per_h=0.0,
            duration_min_h=6.0, duration_max_h=6.0)
        add("compressed_air", y, 4000.0, 0.015 * (4000.0 + 5 * 500.0), 5.0, 40,
            "adiabatic compressed-air storage 4,000 CNY/kW + 500 CNY/kWh (≈6,500 CNY/kW at 5 h, E: Chinese demonstration"
            " plants; not in data.md); FOM 1.5%/yr of a 5 h plant; efficiency 0.82 each way (round trip 0.67); 4-8 h;"
            " life 40 yr (all E)",
            capex_energy_cny_per_kwh=500.0, efficiency_charge=0.82, efficiency_discharge=0.82, loss_per_h=0.0005,
            duration_min_h=4.0, duration_max_h=8.0)
        add("gas_ccgt", y, ccgt[y], 0.03 * ccgt[y], round(1.7 * CNY_PER_USD, 1), 25,
            f"CCGT {ccgt[y]:,.0f} CNY/kW (data.md §1.6: 2,500 in 2025, 2,400 in 2030; Zhu 2,000){x35 if y == 2035 else ''};"
            f" FOM 3%/yr (data.md §1.6); VOM 1.7 USD/MWh × 7.0 (SWITCH, data.md §1.3); heat rate 0.1229 /"
            f" efficiency {ccgt_eff[y]} (PIK/DEA {'2025' if y == 2025 else '2030' if y == 2030 else '2030 + 0.01, E'},"
            " data.md §1.2); life 25 yr",
            heat_rate_tce_per_mwh=round(ELEC_CALORIFIC.value / ccgt_eff[y], 4))
        add("gas_peaker", y, 2000.0, 50.0, 20.0, 25,
            f"open-cycle gas peaker 2,000 CNY/kW (Zhu et al. gas 2,000 CNY/kW, data.md §1.1); FOM 2.5%/yr, VOM 20 CNY/MWh"
            f" (E); heat rate 0.1229 / efficiency {ocgt_eff[y]} (PIK/DEA OCGT {'0.40 (2025)' if y == 2025 else '0.41 (2030)' if y == 2030 else '0.41 + 0.01 (E)'},"
            " data.md §1.2); life 25 yr",
            heat_rate_tce_per_mwh=round(ELEC_CALORIFIC.value / ocgt_eff[y], 4))
    return rows


# ---------------------------------------------------------------------------------------
# Projects, potentials, targets, unit rules
# ---------------------------------------------------------------------------------------

YEAR_NOTE_LX = "year assumed 2025: the plan gives no dates; its 2025 total is ≥500 MW (L45)"


def project_rows() -> list[Row]:
    """Named plan projects with a capacity (projects.csv)."""

    def p(j: str, pid: str, name: str, g: str, mw: float, y: int, src: str, mwh: float | None = None) -> Row:
        return {"jurisdiction": j, "project_id": pid, "name": name, "technology": g, "capacity_mw": mw,
                "energy_mwh": mwh, "year": y, "source": src}

    return [
        p("linxiang", "linxiang_pv_taolin_jinpen", "临湘桃林金盆12万千瓦光伏发电项目", "solar_utility", 120.0, 2025,
          plan("linxiang", 112, "临湘桃林金盆 12 万千瓦光伏发电项目", f"type not stated, taken as utility PV; {YEAR_NOTE_LX}")),
        p("linxiang", "linxiang_pv_baiyangtian", "临湘白羊田10万千瓦生态农场农光互补光伏发电项目", "solar_utility", 100.0, 2025,
          plan("linxiang", 112, "临湘白羊田 10 万千瓦生态农场农光互补光伏发电项目", YEAR_NOTE_LX)),
        p("linxiang", "linxiang_pv_taokuang_tailings", "临湘市桃矿尾矿库2万千瓦分布式光伏发电项目整体搬迁建设项目", "solar_rooftop",
          20.0, 2025, plan("linxiang", "112-L114", "临湘市桃矿尾矿库 2 万千瓦分布式光伏发电项目整体搬迁建设项目",
                           "distributed PV → solar_rooftop per glossary; may be a relocation of existing capacity; " + YEAR_NOTE_LX)),
        p("linxiang", "linxiang_pv_zhongfang", "临湘市忠防镇10万千瓦农光互补光伏发电项目", "solar_utility", 100.0, 2025,
          plan("linxiang", 114, "临湘市忠防镇 10 万千瓦农光互补光伏发电项目", YEAR_NOTE_LX)),
        p("linxiang", "linxiang_pv_hanjiaqiao", "临湘市坦渡镇韩家桥村20万千瓦农光互补光伏发电项目", "solar_utility", 200.0, 2025,
          plan("linxiang", 114, "临湘市坦渡镇韩家桥村 20 万千瓦农光互补光伏发电项目", YEAR_NOTE_LX)),
        p("linxiang", "linxiang_pv_factory_roofs", "标准化厂房0.4万千瓦屋顶分布式光伏发电项目", "solar_rooftop", 4.0, 2025,
          plan("linxiang", 114, "标准化厂房 0.4 万千瓦屋顶分布式光伏发电项目", YEAR_NOTE_LX)),
        p("xiangtan", "xiangtan_rooftop_whole_county", "整县（市、区）屋顶分布式光伏开发项目（5个县市区）", "solar_rooftop", 800.0, 2025,
          plan("xiangtan", 129, "到2025年，力争5个县市区全部完成整县（市、区）屋顶分布式光伏开发项目建设，新增光伏发电装机容量80万千瓦",
               "strive (力争); a programme rather than one site")),
        p("lixian", "lixian_wind_664", "澧县894MW风光可再生能源开发项目：风力发电", "wind_onshore", 664.0, 2030,
          plan("lixian", 46, "澧县894MW风光可再生能源开发项目，其中风力发电容量约664MW", "online by 2030 per L39: 到2030年，投产新能源发电装机容量达894MW")),
        p("lixian", "lixian_pv_central_190", "澧县894MW风光可再生能源开发项目：集中式光伏", "solar_utility", 190.0, 2030,
          plan("lixian", 46, "集中式光伏容量约190MW", "online by 2030 (L39)")),
        p("lixian", "lixian_pv_distributed_40", "澧县894MW风光可再生能源开发项目：分布式光伏", "solar_rooftop", 40.0, 2030,
          plan("lixian", 46, "分布式光伏项目约40MW", "online by 2030 (L39)")),
        p("lixian", "lixian_battery_100", "澧县电化学储能项目", "battery", 100.0, 2030,
          plan("lixian", 46, "电化学储能项目约100MW/200MWh", "year 2030 implied by the 894 MW programme box (L39, L46)"), 200.0),
        p("leiyang", "leiyang_pv_central_1200", "小水镇、东湖圩镇、导子镇、龙塘镇、长坪乡等一批集中式光伏", "solar_utility", 1200.0, 2025,
          plan("leiyang", "152-L154", "十四五期间，加快推进耒阳市小水镇、东湖圩镇、导子镇、龙塘镇、长坪乡等一批集中式光伏建设，装机规模共计1200MW",
               "the Mashui 100 MW agri-PV (L643) and SPIC 40 MW forest-PV (L639) are left out: possibly inside the 1,200 MW or built before 2021")),
        p("leiyang", "leiyang_wind_230", "导子东湖风电场、小水风电场和盛唐风电场一期", "wind_onshore", 230.0, 2025,
          plan("leiyang", "154-L156", "推进耒阳市导子东湖风电场、小水风电场和盛唐风电场一期工程建设，装机规模共计230MW", "14th FYP (2021-25)")),
        p("leiyang", "leiyang_battery_datang", "大唐耒阳电厂200MW/400MWh电化学储能电站", "battery", 200.0, 2025,
          plan("leiyang", 166, "建成大唐耒阳电厂200MW/400MWh电化学储能电站",
               "year assumed 2025: box 专栏一 lists 14th-FYP energy projects, the clause gives no year"), 400.0),
        p("yueyang_etdz", "yueyang_etdz_rooftop_103", "本区103MW屋顶分布式光伏项目", "solar_rooftop", 103.0, 2025,
          plan("yueyang_etdz", 20, "推动本区103MW屋顶分布式光伏项目…建设", "year assumed 2025: no date, paragraph ends with the 2025/2030 targets")),
        p("yueyang_etdz", "yueyang_etdz_xitang_agripv_100", "西塘镇100MW农光互补项目", "solar_utility", 100.0, 2025,
          plan("yueyang_etdz", 20, "推动…西塘镇100MW农光互补项目建设", "year assumed 2025 (no date in the plan)")),
    ]


PV_LAND_SHARE = 0.02
ROOF_KW_PER_PERSON = 0.4
ROOF_MW_PER_YI_SECONDARY = 1.0
WIND_MW_PER_KM2 = 0.25


def potential_rows(basics: dict[str, JurisdictionBasics], ex: dict[str, dict[str, tuple[float, str]]],
                   projects: list[Row]) -> list[Row]:
    """potentials.csv: land, rooftop and wind estimates, never below existing + committed projects × 1.5."""
    rows: list[Row] = []
    proj: dict[tuple[str, str], float] = {}
    for r in projects:
        proj[(r["jurisdiction"], r["technology"])] = proj.get((r["jurisdiction"], r["technology"]), 0.0) + r["capacity_mw"]
    for j, b in basics.items():
        sec_2020 = b.gdp_2020_yi * b.secondary

        def floor(g: str, v: float, note: str) -> tuple[float, str]:
            need = ex[j][g][0] + 1.5 * proj.get((j, g), 0.0)
            if need > v:
                return math.ceil(need / 10) * 10.0, (f"existing {ex[j][g][0]:,.1f} MW + 1.5 × plan projects {proj[(j, g)]:,.0f} MW"
                                         f" (above the generic estimate {v:,.0f} MW = {note})")
            return math.ceil(v / 10) * 10.0, f"{note}; covers existing {ex[j][g][0]:,.1f} MW + plan projects {proj.get((j, g), 0.0):,.0f} MW"

        v, n = floor("solar_utility", b.area_km2 * PV_LAND_SHARE * PV_MW_PER_KM2,
                     f"area {b.area_km2:,.1f} km² × {_pct(PV_LAND_SHARE)} usable for ground/agri-PV (E) × {PV_MW_PER_KM2:.1f} MW/km²"
                     " (Mashui 100 MW on ~3,300 mu, seeds/003_d3fcac7dfd99de99.txt L643)")
        rows.append({"jurisdiction": j, "technology": "solar_utility", "potential_mw": v, "source": est(n)})
        v, n = floor("solar_rooftop", b.population * ROOF_KW_PER_PERSON / 1000 + sec_2020 * ROOF_MW_PER_YI_SECONDARY,
                     f"population {b.population:,.0f} × {ROOF_KW_PER_PERSON} kW/person (residential roofs, E) + secondary"
                     f" value added {sec_2020:,.0f} 亿 × {ROOF_MW_PER_YI_SECONDARY} MW/亿 (factory roofs, E)")
        rows.append({"jurisdiction": j, "technology": "solar_rooftop", "potential_mw": v, "source": est(n)})
        v, n = floor("wind_onshore", b.area_km2 * WIND_MW_PER_KM2,
                     f"area {b.area_km2:,.1f} km² × {WIND_MW_PER_KM2} MW/km² (E: ridge sites of hilly Hunan)")
        rows.append({"jurisdiction": j, "technology": "wind_onshore", "potential_mw": v, "source": est(n)})
        rows.append({"jurisdiction": j, "technology": "battery", "potential_mw": None,
                     "source": est("no limit (battery sites are not scarce)")})
    rows += [
        {"jurisdiction": "xiangtan", "technology": "pumped_hydro", "potential_mw": 2400.0, "source": plan(
            "xiangtan", 49, "积极推动湘乡市桃林抽水蓄能电站项目、湘潭县石鼓抽水蓄能电站项目纳入国家抽水蓄能中长期发展规划",
            "estimate: 2 sites × 1,200 MW (typical Chinese station size; the plan gives none; not committed, so long lead"
            " times make a 2025 build unrealistic)")},
        {"jurisdiction": "xiangtan", "technology": "compressed_air", "potential_mw": 300.0, "source": plan(
            "xiangtan", 49, "建设好湘乡市压缩空气储能项目", "estimate: 300 MW (size not in the plan; hence no projects.csv row)")},
        {"jurisdiction": "leiyang", "technology": "pumped_hydro", "potential_mw": 1200.0, "source": plan(
            "leiyang", "166-L168", "推进耒阳市灯盏窝抽水蓄能电站项目开发建设", "estimate: 1,200 MW (size not in the plan)")},
        {"jurisdiction": "xiangtan", "technology": "gas_ccgt", "potential_mw": 980.0, "source": plan(
            "xiangtan", 47, "积极推动天然气分布式能源试点工程和燃气蒸汽联合发电工程建设",
            "estimate: 2 × 490 MW like Hunan's Hengdong CCGT (data.md §1.4)")},
        {"jurisdiction": "xiangtan", "technology": "gas_peaker", "potential_mw": 400.0, "source": plan(
            "xiangtan", 47, "稳步推进天然气调峰电站建设", "estimate: 400 MW (size not in the plan)")},
        {"jurisdiction": "yueyang_etdz", "technology": "gas_ccgt", "potential_mw": 100.0, "source": plan(
            "yueyang_etdz", 22, "推动气电与新能源发电融合发展", "L19: 布局一批综合供热、供电项目; estimate: 100 MW distributed CCGT/CHP")},
    ]
    return rows


# Intensity targets where a plan defers to its parent (issue 3): the published figures found.
# No parent-city figure was found: Yueyang's own plan (岳政发〔2023〕3号) defers to the province
# again, Hengyang's and Changde's 14th-FYP documents exist but their figures were not readable.
HN_EI_2025 = Cited(0.14, "Hunan energy intensity −14% vs 2020 by 2025 (《湖南省“十四五”节能减排综合工作实施方案》,"
                   " 人民网 2022-08-31 as reposted at http://yueyang.gov.cn/zwgk/21872/content_1982913.html)")
CN_EI_2025 = Cited(0.135, "national energy intensity −13.5% vs 2020 by 2025 (国务院《“十四五”节能减排综合工作方案》,"
                   " https://nengyuanjie.net/article/53350.html; English summary of the gov.cn release at"
                   " http://www.31707818.cn/2022/05/23/What-will-be-done-to-save-energy-and-reduce-emissions-during-the-14th-Five-Year-PlanA-picture-is-read/)")
CN_CI_2025 = Cited(0.18, "national CO2 intensity −18% vs 2020 by 2025 (14th-FYP outline, announced in the 2021 government"
                   " work report: http://companies.caixin.com/2021-03-05/101671108.html)")
YUEYANG_DEFERS = ("Yueyang's own plan gives no figure: 单位地区生产总值能耗下降率、单位地区生产总值二氧化碳排放下降率完成省定目标任务"
                  " (《岳阳市碳达峰实施方案》岳政发〔2023〕3号, https://solarindustries.cn/sszc/2424.html)")
HUNAN_CO2_DEFERS = ("Hunan publishes no CO2-intensity figure of its own: 单位地区生产总值能源消耗和二氧化碳排放下降确保完成国家下达目标"
                    " (《湖南省碳达峰实施方案》湘政发〔2022〕19号, http://lcd.sanhaostreet.com/guonei/202211/0819219.html)")
PARENT_NOTE: dict[str, str] = {
    # j -> what is known of the parent's figure (see docs/data.md)
    "linxiang": YUEYANG_DEFERS,
    "yueyang_etdz": YUEYANG_DEFERS,
    "xiangtan": "Xiangtan's parent is the province itself",
    "lixian": "Changde's figure not found (《常德市“十四五”应对气候变化专项规划》 exists: m.dragongams.com/mnews/20220609/1231561.shtml, text not readable)",
    "leiyang": "Hengyang's figure not found (衡阳市十四五规划纲要 exists: gcs66.com/document_detail/44783.html, targets table not readable)",
}
EI_5YR_NEXT = CN_EI_2025.value  # the national five-year rate, continued after 2025 (E)
CI_5YR_NEXT = CN_CI_2025.value
NF_2035 = 0.28

PARENT_CLAUSE: dict[str, tuple[str, str, str]] = {
    # j -> (2025 line, 2030 line, clause)
    "linxiang": ("45", "47", "单位地区生产总值能耗下降率、单位地区生产总值二氧化碳排放下降率确保完成岳阳市下达的目标任务"),
    "xiangtan": ("33", "35", "单位地区生产总值二氧化碳排放下降完成省下达目标 / 2030: 单位地区生产总值能耗和碳排放下降完成省下达目标"),
    "lixian": ("25", "27", "单位地区生产总值能耗和二氧化碳排放下降率完成市级下达目标"),
    "leiyang": ("59-L61", "69-L71", "单位地区生产总值能耗下降率、单位地区生产总值二氧化碳排放下降率确保完成衡阳市下达的指标任务"),
    "yueyang_etdz": ("11", "12", "单位地区生产总值能耗下降率、单位地区生产总值二氧化碳排放下降率完成岳阳市下达目标任务"),
}

NF_TARGETS: dict[str, tuple[tuple[int, float, str, str, str], ...]] = {
    # j -> ((year, value, firmness, line, clause), ...)
    "linxiang": ((2025, 0.20, "about", "43", "非化石能源消费比例逐步提升，比重达到20%左右 (restated without 左右 at L95)"),
                 (2030, 0.25, "about", "47", "非化石能源消费占比进一步提升到 25%左右")),
    "xiangtan": ((2025, 0.22, "about", "33", "到2025年，非化石能源消费比重达到22%左右"),
                 (2030, 0.25, "about", "35", "到2030年，非化石能源消费比重达到25%左右")),
    "lixian": ((2025, 0.23, "about", "25", "到2025年，非化石能源消费比重达到23%左右"),
               (2030, 0.25, "about", "27", "到2030年，非化石能源消费比重达到25%左右")),
    "leiyang": ((2025, 0.24, "hard", "59", "到 2025年，非化石能源消费比重达到 24%"),
                (2030, 0.25, "about", "69", "到 2030年，非化石能源消费比重提高至 25%左右")),
    "yueyang_etdz": ((2025, 0.20, "about", "11", "非化石能源消费比例逐步提升,比重达到20%左右 (also L20, 预计)"),
                     (2030, 0.25, "about", "12", "非化石能源消费比重达到25%左右 (also L20)")),
}


def _extrapolate(v2025: float, rate: float, year: int) -> float:
    """The 2025 reduction continued at ``rate`` per five years: 1 − (1 − v2025)(1 − rate)^((year − 2025)/5)."""
    return round(1 - (1 - v2025) * (1 - rate) ** ((year - 2025) // 5), 4)


def intensity_target_rows(j: str) -> list[Row]:
    """Energy- and CO2-intensity rows of one jurisdiction: one row per basis that has a figure.

    The plan's own figure (Xiangtan 2025 energy intensity) has basis ``plan``; Hunan's published
    figure ``province``; China's ``national``. 2030 and 2035 continue each basis's 2025 figure at
    the national five-year rate and are estimates. A scenario picks a basis with
    ``policy.target_basis``.
    """
    rows: list[Row] = []
    l25, l30, clause = PARENT_CLAUSE[j]
    defers = f"the plan defers: seeds/{SEED_FILES[j]} L{l25}: {clause}; {PARENT_NOTE[j]}"
    unit = "fraction_reduction_vs_base"

    def t(y: int, name: str, v: float, firm: str, basis: str, src: str) -> None:
        rows.append({"jurisdiction": j, "year": y, "target": name, "value": v, "unit": unit, "firmness": firm,
                     "basis": basis, "source": src})

    def later(name: str, v25: float, rate: float, basis: str, what: str) -> None:
        for y in (2030, 2035):
            t(y, name, _extrapolate(v25, rate, y), "assumed", basis, est(
                f"{what} 2025 figure {_pct(v25)} continued at the national 14th-FYP rate −{_pct(rate)} per five years:"
                f" 1 − (1 − {v25}) × (1 − {rate})^{(y - 2025) // 5}; no published {y} figure (the plan defers:"
                f" seeds/{SEED_FILES[j]} L{l30})"))

    ei_sources = [("province", HN_EI_2025), ("national", CN_EI_2025)]
    if j == "xiangtan":
        t(2025, "energy_intensity", 0.16, "hard", "plan",
          plan(j, 33, "单位地区生产总值能耗比2020年下降16%", "repeated L43: 年均下降3.43%"))
        later("energy_intensity", 0.16, EI_5YR_NEXT, "plan", "the plan's")
    for basis, fig in ei_sources:
        t(2025, "energy_intensity", fig.value, "assumed", basis, f"{fig.src()}; {defers}")
        later("energy_intensity", fig.value, EI_5YR_NEXT, basis, "Hunan's" if basis == "province" else "China's")
    t(2025, "co2_intensity", CN_CI_2025.value, "assumed", "national", f"{CN_CI_2025.src()}; {HUNAN_CO2_DEFERS}; {defers}")
    later("co2_intensity", CN_CI_2025.value, CI_5YR_NEXT, "national", "China's")
    return rows


def target_rows() -> list[Row]:
    """targets.csv rows (plan targets, and intensity / 2035 targets of other bases)."""
    rows: list[Row] = []

    def t(j: str, y: int, name: str, v: float, unit: str, firm: str, src: str, basis: str = "plan") -> None:
        rows.append({"jurisdiction": j, "year": y, "target": name, "value": v, "unit": unit, "firmness": firm,
                     "basis": basis, "source": src})

    for j in JURISDICTION_IDS:
        for y, v, firm, line, clause in NF_TARGETS[j]:
            t(j, y, "nonfossil_share", v, "fraction", firm, plan(j, line, clause))
        t(j, 2035, "nonfossil_share", NF_2035, "fraction", "assumed", est(
            "0.28 in 2035: no plan figure; extrapolates the plans' +3 pp per five years (e.g. 25% in 2030) (E)"),
          basis="assumption")
        rows.extend(intensity_target_rows(j))
    # other plan targets
    t("linxiang", 2025, "new_energy_capacity", 500.0, "mw", "at_least", plan("linxiang", 45, "新能源发电装机总规模达到 50 万千瓦以上"))
    t("linxiang", 2030, "new_energy_capacity", 800.0, "mw", "strive", plan("linxiang", 47, "新能源发电装机总规模力争达 80 万千瓦以上"))
    t("linxiang", 2025, "gas_share", 0.10, "fraction", "at_least", plan("linxiang", 99, "到 2025 年，天然气消费量占能源消费比重达到 10%以上"))
    t("linxiang", 2030, "curtailment", 0.05, "fraction", "hard", plan(
        "linxiang", 109, "到 2030 年，弃风弃光率小于 5%", "小于 (less than) has no firmness word of its own: plain upper bound → hard"))
    t("xiangtan", 2025, "new_energy_capacity", 700.0, "mw", "at_least", plan(
        "xiangtan", 45, "到2025年全市风电、集中式光伏发电装机规模达70万千瓦以上",
        "the plan counts wind + centralized PV only; the model's total over all wind/PV is a weaker (necessary) form"))
    t("xiangtan", 2025, "new_energy_additions", 800.0, "mw", "strive", plan(
        "xiangtan", 129, "力争5个县市区全部完成整县屋顶分布式光伏开发项目建设，新增光伏发电装机容量80万千瓦",
        "the plan counts rooftop PV additions only; the model's additions over all wind/PV is a weaker form"))
    gas_min = round(450e6 * GAS_KGCE_PER_M3.value / 1000)
    t("xiangtan", 2025, "gas_min", float(gas_min), "tce", "at_least", plan(
        "xiangtan", 47, "到2025年，全市天然气消费总量达到4.5亿立方米以上",
        f"450 million m³ × 1.2143 kgce/m³ (data.md §4.1) = {gas_min:,} tce"))
    t("lixian", 2025, "new_energy_capacity", 250.0, "mw", "at_least", plan("lixian", 25, "新能源发电总装机容量达到25万千瓦以上"))
    t("lixian", 2030, "new_energy_capacity", 894.0, "mw", "at_least", plan(
        "lixian", 27, "新能源发电总装机容量达到89.4万千瓦以上", "L39: 到2030年，投产新能源发电装机容量达894MW"))
    t("leiyang", 2025, "new_energy_additions", 1400.0, "mw", "at_least", plan(
        "leiyang", 109, "到2025年，可再生能源新增装机140万千瓦以上",
        "sentence runs L109-L111; additions since 2020; the model counts wind + PV additions"))
    for y in MILESTONES:
        t("yueyang_etdz", y, "storage_pairing", 0.2, "mwh_per_mw", "assumed", plan(
            "yueyang_etdz", 22, "推动新规划建设的光伏发电项目配置储能设施",
            "estimate: ratio and hours not in the plan → 10% of new VRE MW × 2 h = 0.2 MWh per MW (usual Hunan pairing rule, E)"))
    return rows


def unit_rule_rows() -> list[Row]:
    """unit_rules.csv rows."""
    return [
        {"jurisdiction": "leiyang", "unit_id": None, "rule": "heat_rate_threshold", "year": 2030, "threshold_tce_per_mwh": 0.300,
         "firmness": "at_least", "source": plan(
             "leiyang", 88, "对供电煤耗在300克标准煤/千瓦时以上且无法改造的机组逐步淘汰关停",
             "以上 = at or above the threshold → firmness at_least (closest allowed word; the rule itself is a plain"
             " instruction, 逐步 = gradually); year assumed 2030: the plan gives none")},
        {"jurisdiction": "leiyang", "unit_id": "leiyang_datang_210", "rule": "retire_by", "year": 2025, "threshold_tce_per_mwh": None,
         "firmness": "hard", "source": plan(
             "leiyang", "148-L150", "加快淘汰大唐耒阳电厂两台210MW煤电机组 (repeated L203)",
             "no year in the plan: by 2025 assumed (14th-FYP box); GEM records the units retired in 2022 (data.md §5.3),"
             " so the rule is already met")},
    ]


def jurisdiction_rows() -> list[Row]:
    """jurisdictions.csv rows."""
    return [
        {"jurisdiction": "linxiang", "name_zh": "临湘市", "name_en": "Linxiang City", "plan_file": SEED_FILES["linxiang"],
         "parent": "岳阳市 Yueyang", "source": plan("linxiang", 3, "临湘市碳达峰实施方案 (公开征求意见稿, 临湘市发展和改革委员会, 2023年10月)",
                                                   "L35: 根据《湖南省碳达峰实施方案》《岳阳市碳达峰实施方案》")},
        {"jurisdiction": "xiangtan", "name_zh": "湘潭市", "name_en": "Xiangtan City", "plan_file": SEED_FILES["xiangtan"],
         "parent": "湖南省 Hunan (Xiangtan is itself prefecture-level)", "source": plan(
             "xiangtan", 3, "关于印发《湘潭市碳达峰实施方案》的通知", "L5: 潭政发〔2023〕9号")},
        {"jurisdiction": "lixian", "name_zh": "澧县", "name_en": "Li County", "plan_file": SEED_FILES["lixian"],
         "parent": "常德市 Changde", "source": plan("lixian", 2, "澧县碳达峰实施方案 (征求意见稿)", "L6: 常政发〔2023〕8号 (Changde plan)")},
        {"jurisdiction": "leiyang", "name_zh": "耒阳市", "name_en": "Leiyang City", "plan_file": SEED_FILES["leiyang"],
         "parent": "衡阳市 Hengyang", "source": plan("leiyang", 2, "耒阳市碳达峰实施方案", "L10: 衡政发〔2023〕6号 (Hengyang plan)")},
        {"jurisdiction": "yueyang_etdz", "name_zh": "岳阳经济技术开发区", "name_en": "Yueyang Economic and Technological Development Zone",
         "plan_file": SEED_FILES["yueyang_etdz"], "parent": "岳阳市 Yueyang", "source": plan(
             "yueyang_etdz", 1, "…《岳阳市人民政府关于印发〈岳阳市碳达峰实施方案〉的通知》(岳政发〔2023〕3号)…有序推进本区碳达峰行动",
             "title absent; identified as the ETDZ from 金凤桥管理处/木里港管理处 (L28) and 西塘镇 (L20), see the digest")},
    ]


# ---------------------------------------------------------------------------------------
# Assembly and writing
# ---------------------------------------------------------------------------------------


def build_tables() -> dict[str, list[Row]]:
    """All tables as lists of rows (dicts keyed by column name), keyed by file name."""
    basics = jurisdiction_basics()
    ex = existing_vre_2020(basics)
    by = base_year_inputs(basics, ex)
    projects = project_rows()
    return {
        "jurisdictions.csv": jurisdiction_rows(),
        "jurisdiction_year.csv": jurisdiction_year_rows(basics, by),
        "system_year.csv": system_year_rows(),
        "constants.csv": constants_rows(),
        "technologies.csv": technology_rows(),
        "potentials.csv": potential_rows(basics, ex, projects),
        "existing_capacity.csv": existing_capacity_rows(ex),
        "units.csv": [u.row for u in units()],
        "unit_rules.csv": unit_rule_rows(),
        "fuel_switch_blocks.csv": [r for j in JURISDICTION_IDS for r in by[j].blocks],
        "targets.csv": target_rows(),
        "projects.csv": projects,
    }


def _fmt(value: Any, dtype: str) -> str:
    """Fixed text form of one cell."""
    if value is None:
        return ""
    if dtype == "int":
        return str(int(value))
    if dtype == "float":
        v = float(value)
        if math.isnan(v):
            return ""
        s = f"{v:.6f}".rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    return str(value)


def render_csv(file: str, rows: list[Row]) -> str:
    """Render one table as CSV text: schema column order, rows sorted by key."""
    spec = next(t for t in TABLES_BY_NAME.values() if t.file == file)
    cols = [c.name for c in spec.columns]
    for r in rows:
        extra = set(r) - set(cols)
        missing = set(cols) - set(r)
        if extra or missing:
            raise ValueError(f"{file}: row {r} has extra {sorted(extra)} / missing {sorted(missing)} columns")
    dtypes = {c.name: c.dtype for c in spec.columns}

    def sort_key(r: Row) -> tuple[Any, ...]:
        return tuple(("" if r[k] is None else r[k]) for k in spec.key)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in sorted(rows, key=sort_key):
        w.writerow([_fmt(r[c], dtypes[c]) for c in cols])
    return buf.getvalue()


def write_inputs(out_dir: Path) -> None:
    """Write all input tables of :data:`TABLE_FILES` into ``out_dir`` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = build_tables()
    for file in TABLE_FILES:
        text = render_csv(file, tables[file])
        (out_dir / file).write_bytes(text.encode("utf-8"))
        LOG.info("wrote %s (%d rows)", out_dir / file, len(tables[file]))


def _default_out() -> Path:
    return Path(__file__).resolve().parents[2] / "inputs"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python -m peakplan.estimates [--out DIR]``."""
    ap = argparse.ArgumentParser(prog="python -m peakplan.estimates", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=_default_out(), help="output folder (default: the repo's inputs/)")
    ap.add_argument("-v", "--verbose", action="store_true", help="log every file written")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    write_inputs(args.out)
    for j in JURISDICTION_IDS:
        t = base_year_terms(j)
        LOG.info("%s 2020: TEC %.0f tce, NF share %.3f", j, t["TEC"], t["NF"] / t["TEC"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
