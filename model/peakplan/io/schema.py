"""Declared schema of every table in ``inputs/``.

One :class:`TableSpec` per file: its columns (dtype, unit, allowed range or values,
whether blanks are allowed), its key, and a sentence of documentation. Long "parameter"
tables (``jurisdiction_year.csv``, ``system_year.csv``, ``constants.csv``) also declare
each allowed parameter name with its unit and range in :data:`PARAMETERS`.

:mod:`peakplan.io.load` checks the files against these specs and reports every problem
at once; ``inputs/README.md`` is generated from them (:func:`render_inputs_readme`), so
the documentation cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DType = Literal["str", "int", "float"]

JURISDICTION_IDS: tuple[str, ...] = ("linxiang", "xiangtan", "lixian", "leiyang", "yueyang_etdz")

VRE_TECHS: tuple[str, ...] = ("solar_utility", "solar_rooftop", "wind_onshore")
STORAGE_TECHS: tuple[str, ...] = ("battery", "pumped_hydro", "compressed_air")
THERMAL_TECHS: tuple[str, ...] = ("gas_peaker", "gas_ccgt")
CANDIDATE_TECHS: tuple[str, ...] = VRE_TECHS + STORAGE_TECHS + THERMAL_TECHS
UNIT_TECHS: tuple[str, ...] = ("coal", "coal_chp", "gas", "biomass", "waste", "hydro")
UNIT_FUELS: dict[str, str] = {
    "coal": "coal",
    "coal_chp": "coal",
    "gas": "gas",
    "biomass": "biomass",
    "waste": "waste",
    "hydro": "water",
}
TARGETS: dict[str, str] = {
    # target name -> unit of its `value` in targets.csv
    "nonfossil_share": "fraction",
    "energy_intensity": "fraction_reduction_vs_base",
    "co2_intensity": "fraction_reduction_vs_base",
    "new_energy_capacity": "mw",
    "new_energy_additions": "mw",
    "curtailment": "fraction",
    "gas_share": "fraction",
    "gas_min": "tce",
    "coal_cap": "tce",
    "storage_pairing": "mwh_per_mw",
}
FIRMNESS: tuple[str, ...] = ("hard", "about", "at_least", "strive", "ensure", "assumed")
#: Whose figure a target row stands for, most local first (targets.csv `basis`). A scenario's
#: ``policy.target_basis`` lists the bases it accepts in order of preference; for each
#: (jurisdiction, year, target) the row of the first listed basis present is used.
TARGET_BASES: tuple[str, ...] = ("plan", "parent_city", "province", "national", "assumption")
UNIT_RULES: tuple[str, ...] = ("retire_by", "retire_or_retrofit_by", "heat_rate_threshold")
TIMESERIES_COLUMNS: tuple[str, ...] = (
    "hour",
    "demand_pu",
    "solar_utility_cf",
    "solar_rooftop_cf",
    "wind_onshore_cf",
    "hydro_cf",
    "import_price_pu",
)
HOURS_PER_YEAR = 8760


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its dtype, unit, allowed range / values and meaning."""

    name: str
    dtype: DType
    doc: str
    unit: str = ""
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None  # a regular expression the whole text must match


@dataclass(frozen=True)
class TableSpec:
    """One CSV file of ``inputs/``."""

    name: str
    file: str
    doc: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    # name of the long-format parameter namespace, if the table is a parameter table
    parameters: str | None = None

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@dataclass(frozen=True)
class ParamSpec:
    """One allowed parameter of a long parameter table."""

    name: str
    unit: str
    doc: str
    min: float | None = 0.0
    max: float | None = None
    required: bool = True


def _src() -> ColumnSpec:
    return ColumnSpec(
        "source",
        "str",
        "Where the number comes from: plan file + line (e.g. `seeds/003_d3fcac7dfd99de99.txt L109`),"
        " a public statistic with its reference, or `estimate: <method>`.",
    )


_J = ColumnSpec("jurisdiction", "str", "Jurisdiction id (a row of jurisdictions.csv).")
_YEAR = ColumnSpec("year", "int", "Calendar year.", min=2000, max=2100)

PARAMETERS: dict[str, tuple[ParamSpec, ...]] = {
    "jurisdiction_year": (
        ParamSpec("gdp_cny", "CNY (constant 2020 prices)", "Gross regional product.", min=1e6),
        ParamSpec(
            "electricity_demand_mwh",
            "MWh",
            "Annual electricity consumption before any coal-to-electricity switching.",
        ),
        ParamSpec(
            "coal_other_tce",
            "tce",
            "Final coal use outside power units and outside the fuel-switch blocks.",
        ),
        ParamSpec("gas_final_tce", "tce", "Final (non-power) natural-gas use, before switching."),
        ParamSpec("oil_final_tce", "tce", "Oil products used (exogenous)."),
        ParamSpec(
            "other_nonfossil_tce",
            "tce",
            "Other non-fossil primary energy not produced as electricity (biomass heat, solar thermal...).",
        ),
        ParamSpec("import_cap_mw", "MW", "Largest possible hourly import from the provincial grid."),
        ParamSpec("export_cap_mw", "MW", "Largest possible hourly export to the provincial grid."),
        ParamSpec(
            "total_energy_tce",
            "tce",
            "Base year only: total energy consumption (statistic or estimate); base of the energy-intensity target.",
            required=False,
        ),
        ParamSpec(
            "co2_tco2",
            "tCO2",
            "Base year only: CO2 emissions; base of the CO2-intensity target.",
            required=False,
        ),
        ParamSpec(
            "nonfossil_electricity_tce",
            "tce",
            "Base year only: local non-fossil electricity (NFL_base) in tce by the coal-consumption method;"
            " used by the new-renewables exclusion of the energy-intensity rule.",
            required=False,
        ),
    ),
    "system_year": (
        ParamSpec(
            "f_pe_tce_per_mwh",
            "tce/MWh",
            "Coal-equivalent factor of electricity by the power-generation coal-consumption method (发电煤耗法).",
            min=0.1229,
            max=0.45,
        ),
        ParamSpec("grid_nonfossil_share", "fraction", "Non-fossil share of Hunan grid electricity.", max=1.0),
        ParamSpec("grid_ef_tco2_per_mwh", "tCO2/MWh", "Grid emission factor for imported electricity.", max=2.0),
        ParamSpec("import_price_cny_per_mwh", "CNY/MWh", "Mean price of electricity bought from the grid."),
        ParamSpec("export_price_cny_per_mwh", "CNY/MWh", "Price received for electricity sold to the grid."),
        ParamSpec("coal_price_cny_per_tce", "CNY/tce", "Delivered coal price."),
        ParamSpec("gas_price_cny_per_tce", "CNY/tce", "Delivered natural-gas price (industrial / power)."),
        ParamSpec("biomass_price_cny_per_tce", "CNY/tce", "Delivered biomass fuel price (co-firing, biomass units)."),
        ParamSpec("ef_coal_tco2_per_tce", "tCO2/tce", "CO2 factor of coal.", max=4.0),
        ParamSpec("ef_gas_tco2_per_tce", "tCO2/tce", "CO2 factor of natural gas.", max=4.0),
        ParamSpec("ef_oil_tco2_per_tce", "tCO2/tce", "CO2 factor of oil products.", max=4.0),
    ),
    "constants": (
        ParamSpec("discount_rate", "fraction/yr", "Real discount rate and cost of capital.", max=0.3),
        ParamSpec("base_year", "year", "Base year of intensity targets and discounting.", min=2000, max=2100),
        ParamSpec("voll_cny_per_mwh", "CNY/MWh", "Value of lost load (price of unserved demand)."),
        ParamSpec(
            "electricity_calorific_tce_per_mwh",
            "tce/MWh",
            "Calorific equivalent of electricity (电热当量法), 0.1229 tce/MWh.",
            min=0.12,
            max=0.13,
        ),
    ),
}

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "jurisdictions",
        "jurisdictions.csv",
        "The jurisdictions and the plan each comes from.",
        (
            ColumnSpec("jurisdiction", "str", "Jurisdiction id: lower-case letters, digits and `_`, starting with a "
                       "letter (also the name of its file in timeseries/). The shipped inputs hold the five plans' "
                       "jurisdictions; a new county is a new row here plus its rows in the other tables.",
                       pattern=r"[a-z][a-z0-9_]*"),
            ColumnSpec("name_zh", "str", "Chinese name."),
            ColumnSpec("name_en", "str", "English name."),
            ColumnSpec("plan_file", "str", "Seed plan file in shared/seeds/."),
            ColumnSpec("parent", "str", "Parent prefecture-level city."),
            _src(),
        ),
        key=("jurisdiction",),
    ),
    TableSpec(
        "jurisdiction_year",
        "jurisdiction_year.csv",
        "Exogenous per-jurisdiction, per-year quantities (long format: one parameter per row).",
        (
            _J,
            _YEAR,
            ColumnSpec("parameter", "str", "Parameter name (see the parameter list).", allowed=tuple(
                p.name for p in PARAMETERS["jurisdiction_year"])),
            ColumnSpec("value", "float", "Value in the parameter's unit."),
            _src(),
        ),
        key=("jurisdiction", "year", "parameter"),
        parameters="jurisdiction_year",
    ),
    TableSpec(
        "system_year",
        "system_year.csv",
        "Provincial factors and prices per year (long format).",
        (
            _YEAR,
            ColumnSpec("parameter", "str", "Parameter name.", allowed=tuple(
                p.name for p in PARAMETERS["system_year"])),
            ColumnSpec("value", "float", "Value in the parameter's unit."),
            _src(),
        ),
        key=("year", "parameter"),
        parameters="system_year",
    ),
    TableSpec(
        "constants",
        "constants.csv",
        "Year-independent constants (long format).",
        (
            ColumnSpec("parameter", "str", "Parameter name.", allowed=tuple(
                p.name for p in PARAMETERS["constants"])),
            ColumnSpec("value", "float", "Value in the parameter's unit."),
            _src(),
        ),
        key=("parameter",),
        parameters="constants",
    ),
    TableSpec(
        "technologies",
        "technologies.csv",
        "Cost and performance of candidate technologies by milestone year of construction.",
        (
            ColumnSpec("technology", "str", "Candidate technology.", allowed=CANDIDATE_TECHS),
            _YEAR,
            ColumnSpec("capex_cny_per_kw", "float", "Overnight capex per kW (storage: power part).",
                       unit="CNY/kW", min=0),
            ColumnSpec("capex_energy_cny_per_kwh", "float", "Storage energy capex per kWh.",
                       unit="CNY/kWh", min=0, nullable=True),
            ColumnSpec("fom_cny_per_kw_yr", "float", "Fixed O&M per kW and year.", unit="CNY/kW/yr", min=0),
            ColumnSpec("vom_cny_per_mwh", "float", "Variable O&M per MWh generated (storage: discharged).",
                       unit="CNY/MWh", min=0),
            ColumnSpec("lifetime_yr", "int", "Economic and technical lifetime.", unit="yr", min=1, max=100),
            ColumnSpec("efficiency_charge", "float", "Storage charging efficiency.", unit="fraction",
                       min=0.01, max=1, nullable=True),
            ColumnSpec("efficiency_discharge", "float", "Storage discharging efficiency.", unit="fraction",
                       min=0.01, max=1, nullable=True),
            ColumnSpec("loss_per_h", "float", "Storage self-discharge per hour.", unit="fraction/h",
                       min=0, max=0.1, nullable=True),
            ColumnSpec("duration_min_h", "float", "Smallest energy/power ratio.", unit="h", min=0,
                       nullable=True),
            ColumnSpec("duration_max_h", "float", "Largest energy/power ratio.", unit="h", min=0,
                       nullable=True),
            ColumnSpec("heat_rate_tce_per_mwh", "float", "Gas plants: fuel per MWh (supply basis).",
                       unit="tce/MWh", min=0.1, max=0.6, nullable=True),
            _src(),
        ),
        key=("technology", "year"),
    ),
    TableSpec(
        "potentials",
        "potentials.csv",
        "Which candidates may be built where, and up to how many MW (blank: no limit).",
        (
            _J,
            ColumnSpec("technology", "str", "Candidate technology.", allowed=CANDIDATE_TECHS),
            ColumnSpec("potential_mw", "float", "Largest total capacity (existing + new).", unit="MW", min=0,
                       nullable=True),
            _src(),
        ),
        key=("jurisdiction", "technology"),
    ),
    TableSpec(
        "existing_capacity",
        "existing_capacity.csv",
        "Aggregated existing VRE and storage capacity still online in each year (not named units).",
        (
            _J,
            ColumnSpec("technology", "str", "Technology.", allowed=VRE_TECHS + STORAGE_TECHS),
            _YEAR,
            ColumnSpec("capacity_mw", "float", "Capacity online.", unit="MW", min=0),
            ColumnSpec("energy_mwh", "float", "Storage energy capacity.", unit="MWh", min=0, nullable=True),
            _src(),
        ),
        key=("jurisdiction", "technology", "year"),
    ),
    TableSpec(
        "units",
        "units.csv",
        "Existing named thermal, biomass, waste and hydro units (or groups of identical units).",
        (
            _J,
            ColumnSpec("unit_id", "str", "Unique unit id."),
            ColumnSpec("name", "str", "Plant and unit name."),
            ColumnSpec("technology", "str", "Unit type.", allowed=UNIT_TECHS),
            ColumnSpec("capacity_mw", "float", "Net capacity of the row (all its units).", unit="MW", min=0),
            ColumnSpec("n_units", "int", "Number of identical units in the row.", min=1),
            ColumnSpec("heat_rate_tce_per_mwh", "float", "Net (supply) fuel rate; blank for hydro.",
                       unit="tce/MWh", min=0.1, max=0.8, nullable=True),
            ColumnSpec("commissioning_year", "int", "Year of first operation.", min=1900, max=2100),
            ColumnSpec("status", "str", "Status in public records.", allowed=("operating", "retired")),
            ColumnSpec("availability", "float", "Largest output as a share of capacity (a_u).",
                       unit="fraction", min=0, max=1),
            ColumnSpec("min_output_share", "float", "CHP heating-season must-run floor (share of remaining"
                       " capacity).", unit="fraction", min=0, max=1, nullable=True),
            ColumnSpec("heating_months", "str", "Months of the must-run floor, e.g. `11;12;1;2;3`.",
                       nullable=True),
            ColumnSpec("cofire_share", "float", "Non-fossil (biomass) share of the unit's fuel (φ).",
                       unit="fraction", min=0, max=1, nullable=True),
            ColumnSpec("cofire_from_year", "int", "First year the co-firing share applies (a plan measure"
                       " starts after the base year); blank: every year, the base year included.",
                       min=1900, max=2100, nullable=True),
            ColumnSpec("retrofit_heat_rate_tce_per_mwh", "float", "Fuel rate after a coal-saving retrofit;"
                       " blank: no retrofit possible.", unit="tce/MWh", min=0.1, max=0.8, nullable=True),
            ColumnSpec("retrofit_capex_cny_per_kw", "float", "Retrofit capex.", unit="CNY/kW", min=0,
                       nullable=True),
            ColumnSpec("repower_heat_rate_tce_per_mwh", "float", "Gas fuel rate after repowering; blank:"
                       " no repowering.", unit="tce/MWh", min=0.1, max=0.8, nullable=True),
            ColumnSpec("repower_capex_cny_per_kw", "float", "Repowering capex.", unit="CNY/kW", min=0,
                       nullable=True),
            ColumnSpec("fom_cny_per_kw_yr", "float", "Fixed O&M saved by retirement.", unit="CNY/kW/yr", min=0),
            ColumnSpec("vom_cny_per_mwh", "float", "Variable O&M.", unit="CNY/MWh", min=0),
            ColumnSpec("lifetime_yr", "int", "Retrofit / repower investment lifetime.", unit="yr", min=1,
                       max=100),
            _src(),
        ),
        key=("unit_id",),
    ),
    TableSpec(
        "unit_rules",
        "unit_rules.csv",
        "Forced phase-out dates and the heat-rate threshold rule (formulation §5, unit rules).",
        (
            _J,
            ColumnSpec("unit_id", "str", "Unit the rule is about; blank: every coal unit of the jurisdiction.",
                       nullable=True),
            ColumnSpec("rule", "str", "retire_by: ret = 1 from `year`; retire_or_retrofit_by: ret + rfit ≥ 1"
                       " from `year`; heat_rate_threshold: units whose fuel rate exceeds the threshold must"
                       " retire, or retrofit below it, from `year`.", allowed=UNIT_RULES),
            _YEAR,
            ColumnSpec("threshold_tce_per_mwh", "float", "Threshold of heat_rate_threshold rules.",
                       unit="tce/MWh", min=0.1, max=0.8, nullable=True),
            ColumnSpec("firmness", "str", "Wording of the plan.", allowed=FIRMNESS),
            _src(),
        ),
        key=("jurisdiction", "unit_id", "rule", "year"),
    ),
    TableSpec(
        "fuel_switch_blocks",
        "fuel_switch_blocks.csv",
        "Industrial final coal use that may switch to gas (煤改气) or electricity (煤改电).",
        (
            _J,
            ColumnSpec("block_id", "str", "Unique block id."),
            ColumnSpec("sector", "str", "Industry."),
            ColumnSpec("target_fuel", "str", "Fuel it can switch to.", allowed=("gas", "electricity")),
            ColumnSpec("coal_use_tce", "float", "Coal use of the block per year (size_b).", unit="tce/yr", min=0),
            ColumnSpec("max_share", "float", "Largest share of the block that can switch.", unit="fraction",
                       min=0, max=1),
            ColumnSpec("efficiency_coal", "float", "Useful-heat efficiency of the coal process.",
                       unit="fraction", min=0.05, max=1.2),
            ColumnSpec("efficiency_target", "float", "Useful-heat efficiency with the new fuel.",
                       unit="fraction", min=0.05, max=5),
            ColumnSpec("capex_cny_per_tce_yr", "float", "Conversion capex per tce/yr of coal switched.",
                       unit="CNY/(tce/yr)", min=0),
            ColumnSpec("lifetime_yr", "int", "Lifetime of the conversion.", unit="yr", min=1, max=100),
            _src(),
        ),
        key=("block_id",),
    ),
    TableSpec(
        "targets",
        "targets.csv",
        "Policy targets per jurisdiction and year (formulation §5). Shares as fractions.",
        (
            _J,
            _YEAR,
            ColumnSpec("target", "str", "Target name.", allowed=tuple(TARGETS)),
            ColumnSpec("value", "float", "Target level in `unit`.", min=0),
            ColumnSpec("unit", "str", "Unit of value; must match the target.",
                       allowed=tuple(sorted(set(TARGETS.values())))),
            ColumnSpec("firmness", "str", "Wording of the plan: hard 达到, about 左右, at_least 以上,"
                       " strive 力争, ensure 确保, assumed (not in the plan).", allowed=FIRMNESS),
            ColumnSpec("basis", "str", "Whose figure the row stands for: plan (the jurisdiction's own plan, or an"
                       " extrapolation of its figure), parent_city (the figure of the city the plan defers to),"
                       " province (Hunan), national (China), assumption (no published level, e.g. 2035)."
                       " Several bases may give the same target; the scenario's `policy.target_basis` (a"
                       " preference list, default plan > parent_city > province > national > assumption) picks"
                       " one row per jurisdiction, year and target, and drops targets with no listed basis.",
                       allowed=TARGET_BASES),
            _src(),
        ),
        key=("jurisdiction", "year", "target", "basis"),
    ),
    TableSpec(
        "projects",
        "projects.csv",
        "Named committed projects of the plans; with `committed_projects: true` the model must build them.",
        (
            _J,
            ColumnSpec("project_id", "str", "Unique project id."),
            ColumnSpec("name", "str", "Project name as in the plan."),
            ColumnSpec("technology", "str", "Candidate technology.", allowed=CANDIDATE_TECHS),
            ColumnSpec("capacity_mw", "float", "Capacity.", unit="MW", min=0),
            ColumnSpec("energy_mwh", "float", "Storage energy.", unit="MWh", min=0, nullable=True),
            ColumnSpec("year", "int", "Milestone year by which it is online.", min=2000, max=2100),
            _src(),
        ),
        key=("project_id",),
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


def render_inputs_readme() -> str:
    """Markdown documentation of every input table, generated from the specs."""
    out = [
        "# inputs/ — the model's data",
        "",
        "Generated from `model/peakplan/io/schema.py` by `peakplan inputs readme`; do not edit by hand.",
        "Every row carries a `source`: a plan clause (file + line), a public statistic with its"
        " reference, or `estimate: <method>`.",
        "",
    ]
    for t in TABLES:
        out += [f"## {t.file}", "", t.doc, "", f"Key: {', '.join(t.key)}", "",
                "| column | type | unit | blank allowed | range / values | meaning |",
                "|---|---|---|---|---|---|"]
        for c in t.columns:
            rng = ""
            if c.allowed:
                rng = ", ".join(c.allowed)
            elif c.min is not None or c.max is not None:
                rng = f"{'' if c.min is None else c.min} … {'' if c.max is None else c.max}"
            out.append(f"| {c.name} | {c.dtype} | {c.unit} | {'yes' if c.nullable else 'no'} | {rng} | {c.doc} |")
        if t.parameters:
            out += ["", "Parameters:", "", "| parameter | unit | required | range | meaning |",
                    "|---|---|---|---|---|"]
            for p in PARAMETERS[t.parameters]:
                rng = f"{'' if p.min is None else p.min} … {'' if p.max is None else p.max}"
                out.append(f"| {p.name} | {p.unit} | {'yes' if p.required else 'base year'} | {rng} | {p.doc} |")
        out.append("")
    out += [
        "## timeseries/<jurisdiction>.csv",
        "",
        f"{HOURS_PER_YEAR} hourly rows with columns {', '.join(TIMESERIES_COLUMNS)}: demand normalised to mean"
        " 1, capacity factors in [0, 1], import-price multiplier with mean 1. Made by"
        " `python -m peakplan.profiles` from `timeseries/profile_params.yaml`; each series' source is in"
        " `timeseries/sources.csv`. Replace any of them with measured data of the same shape.",
        "",
    ]
    return "\n".join(out)
