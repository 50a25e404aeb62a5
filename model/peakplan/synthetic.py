"""Synthetic inputs for scale tests: N jurisdictions cloned from the shipped five.

``make_synthetic_inputs(src, dst, n)`` writes an inputs folder whose jurisdictions are
``syn01 … synN``: jurisdiction k copies every row of ``FIVE[(k − 1) mod 5]`` (targets, units,
projects, blocks, potentials, …) with its ids made unique, and its hourly profiles rolled by
``(k − 1) // 5`` days so that copies of one jurisdiction get different representative days.
Every copied row's source says it is a synthetic copy. Used by ``benchmarks/bench_suite.py``
for the 50-jurisdiction case; not a description of any real place.

    python -m peakplan.synthetic OUT_DIR N [--inputs inputs]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from peakplan.io.schema import JURISDICTION_IDS, TABLES

log = logging.getLogger(__name__)

ID_COLUMNS = {"units": "unit_id", "unit_rules": "unit_id", "fuel_switch_blocks": "block_id", "projects": "project_id"}


def synthetic_ids(n: int) -> list[str]:
    width = max(2, len(str(n)))
    return [f"syn{k:0{width}d}" for k in range(1, n + 1)]


def make_synthetic_inputs(src: Path, dst: Path, n: int) -> list[str]:
    """Write ``n`` synthetic jurisdictions to ``dst`` (a new inputs folder); return their ids."""
    src, dst = Path(src), Path(dst)
    if n < 1:
        raise ValueError("n must be at least 1")
    if dst.exists():
        shutil.rmtree(dst)
    (dst / "timeseries").mkdir(parents=True)
    ids = synthetic_ids(n)
    origin = {sid: JURISDICTION_IDS[k % len(JURISDICTION_IDS)] for k, sid in enumerate(ids)}
    for spec in TABLES:
        df = pd.read_csv(src / spec.file, dtype=str, keep_default_na=False)
        if "jurisdiction" not in df.columns:
            df.to_csv(dst / spec.file, index=False, lineterminator="\n")
            continue
        parts = []
        for sid in ids:
            part = df[df.jurisdiction == origin[sid]].copy()
            part["jurisdiction"] = sid
            idc = ID_COLUMNS.get(spec.name)
            if idc:
                part[idc] = part[idc].where(part[idc] == "", part[idc] + f"@{sid}")
            if spec.name == "jurisdictions":
                part["name_en"] = f"synthetic {sid} (copy of {origin[sid]})"
            part["source"] = f"synthetic copy of {origin[sid]} for scale tests; original: " + part["source"]
            parts.append(part)
        pd.concat(parts, ignore_index=True).to_csv(dst / spec.file, index=False, lineterminator="\n")
    for k, sid in enumerate(ids):
        ts = pd.read_csv(src / "timeseries" / f"{origin[sid]}.csv")
        shift = 24 * (k // len(JURISDICTION_IDS))
        if shift:
            for c in ts.columns:
                if c != "hour":
                    ts[c] = np.roll(ts[c].to_numpy(), shift)
        ts.to_csv(dst / "timeseries" / f"{sid}.csv", index=False, lineterminator="\n")
    log.info("wrote %d synthetic jurisdictions to %s", n, dst)
    return ids


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m peakplan.synthetic", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--inputs", type=Path, default=Path("inputs"))
    args = ap.parse_args(argv)
    ids = make_synthetic_inputs(args.inputs, args.out, args.n)
    sys.stdout.write(f"wrote {len(ids)} jurisdictions to {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
