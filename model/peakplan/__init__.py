"""peakplan — least-cost carbon-peaking plans for Chinese counties and cities.

The library API, in the order of one run::

    from peakplan import load_scenario, load_dataset, run_scenario
    scenario = load_scenario("scenarios/base.yaml")
    dataset = load_dataset(scenario)          # validated inputs, all problems reported at once
    result = run_scenario(scenario, dataset)  # aggregate time, build, solve (per block), diagnose
    result.write("results/base")              # tidy tables, written atomically

Lower-level steps (``build_model``, ``make_time_index``, ``DirectSolver``) live in their modules.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    # Lazy imports keep `import peakplan` fast (Pyomo is slow to import).
    if name in {"load_scenario", "Scenario"}:
        from peakplan import config

        return getattr(config, name)
    if name in {"load_dataset", "Dataset", "InputError"}:
        from peakplan.io import load

        return getattr(load, name)
    if name in {"run_scenario", "RunResult"}:
        from peakplan import run

        return getattr(run, name)
    raise AttributeError(name)


__all__ = ["Dataset", "InputError", "RunResult", "Scenario", "load_dataset", "load_scenario", "run_scenario"]
