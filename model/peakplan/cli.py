"""Command line: a thin argparse layer over the library API.

    peakplan run [SCENARIO] [--jurisdictions a,b] [--years 2025,2030] [--time full|rep:N]
                 [--solver-config FILE] [--out DIR] [--elastic] [--workers N]
    peakplan validate [SCENARIO]        check inputs, build without solving, print model size
    peakplan sweep SWEEP.yaml [--workers N | --scheduler ADDRESS] [--resume] [--out DIR]
                 [--time-limit S] [--progress | --no-progress]   many points, warm re-solves
    peakplan compare RUN_OR_SWEEP... [--baseline RUN] [--out DIR]   tables and plots side by side
    peakplan report RUN_DIR...          (re)write the bilingual summary.md of result folders
    peakplan inputs readme [--check]    (re)write inputs/README.md from the schema
    peakplan inputs sources [--check]   (re)write inputs/SOURCES.md: every reference cited, once
    peakplan inputs report [SCENARIO]   base-year energy balance by the model's accounting, estimates used
    peakplan inputs profiles            regenerate inputs/timeseries/ from profile_params.yaml

Exit codes: 0 success, 1 bad input or configuration, 2 targets cannot be met (diagnosis printed),
3 solver failure.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

log = logging.getLogger("peakplan")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="peakplan", description="Least-cost carbon-peaking plans (Pyomo + HiGHS).")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    p.add_argument("-q", "--quiet", action="store_true", help="warnings only")
    sub = p.add_subparsers(dest="command", required=True)

    def scenario_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("scenario", nargs="?", default="scenarios/base.yaml", help="scenario YAML (default: %(default)s)")
        sp.add_argument("--jurisdictions", help="comma-separated ids, e.g. leiyang,linxiang")
        sp.add_argument("--years", help="comma-separated milestone years, e.g. 2025,2030,2035")
        sp.add_argument("--time", help="full | rep:N")
        sp.add_argument("--solver-config", type=Path, help="HiGHS option file")
        sp.add_argument("--elastic", action="store_true", help="every target soft; report what is missed")
        sp.add_argument("--workers", type=int, help="parallel processes over independent jurisdictions")

    run = sub.add_parser("run", help="solve a scenario and write results/<name>/")
    scenario_args(run)
    run.add_argument("--out", type=Path, help="result folder (default: results/<scenario name>)")
    val = sub.add_parser("validate", help="check inputs and build the model without solving")
    scenario_args(val)
    sw = sub.add_parser("sweep", help="run a sweep (scenarios/sweeps/*.yaml) and write results/<sweep>/")
    sw.add_argument("sweep", type=Path, help="sweep YAML")
    sw.add_argument("--workers", type=int, default=1, help="parallel processes, each re-solving warm")
    sw.add_argument("--scheduler", help="address of a running Dask distributed scheduler, e.g. tcp://host:8786 "
                    "(needs the 'dask' extra; --out must be on a file system the workers share)")
    sw.add_argument("--resume", action="store_true", help="skip points whose result folder is complete")
    sw.add_argument("--out", type=Path, help="sweep folder (default: results/<sweep name>)")
    sw.add_argument("--time-limit", type=float, help="HiGHS time limit per point and block (s); a point that "
                    "hits it is recorded as time_limit")
    sw.add_argument("--no-progress", action="store_true", help="no progress bar (log lines instead)")
    sw.add_argument("--progress", action="store_true", help="a progress bar even when stderr is not a terminal")
    cmp_ = sub.add_parser("compare", help="compare runs and sweeps: tables and bilingual plots")
    cmp_.add_argument("runs", nargs="+", type=Path, help="run folders (with manifest.yaml) or sweep folders "
                      "(with summary.csv)")
    cmp_.add_argument("--baseline", type=Path, help="run folder the others are compared against "
                      "(default: the first run given)")
    cmp_.add_argument("--out", type=Path, help="output folder (default: results/compare)")
    rep = sub.add_parser("report", help="(re)write summary.md of run folders, e.g. sweep points")
    rep.add_argument("runs", nargs="+", type=Path, help="run folders (with manifest.yaml)")
    inp = sub.add_parser("inputs", help="input data tools")
    isub = inp.add_subparsers(dest="inputs_command", required=True)
    rd = isub.add_parser("readme", help="write inputs/README.md from the schema")
    rd.add_argument("--inputs", type=Path, default=Path("inputs"))
    rd.add_argument("--check", action="store_true", help="fail if the file is stale instead of writing it")
    pr = isub.add_parser("profiles", help="regenerate inputs/timeseries/")
    pr.add_argument("--params", type=Path, default=Path("inputs/timeseries/profile_params.yaml"))
    pr.add_argument("--out", type=Path, default=Path("inputs/timeseries"))
    rp = isub.add_parser("report", help="base-year energy balance of the inputs by the model's accounting")
    rp.add_argument("scenario", nargs="?", default="scenarios/base.yaml", help="scenario YAML (default: %(default)s)")
    so = isub.add_parser("sources", help="write inputs/SOURCES.md: every reference of the source columns once")
    so.add_argument("--inputs", type=Path, default=Path("inputs"))
    so.add_argument("--check", action="store_true", help="fail if the file is stale instead of writing it")
    return p


def _scenario(args: argparse.Namespace):  # noqa: ANN202
    from peakplan.config import load_scenario

    s = load_scenario(args.scenario)
    return s.with_cli(
        jurisdictions=tuple(args.jurisdictions.split(",")) if args.jurisdictions else None,
        years=tuple(int(y) for y in args.years.split(",")) if args.years else None,
        time=args.time,
        solver_config=args.solver_config,
        elastic=True if args.elastic else None,
        workers=args.workers,
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from peakplan.run import run_scenario

    scenario = _scenario(args)
    result = run_scenario(scenario)
    out = args.out or Path("results") / scenario.name
    result.write(out)
    t = result.manifest["timings_s"]
    obj = result.objective_cny
    print(f"{scenario.name}: {result.status}; objective {obj:,.0f} CNY" if obj is not None
          else f"{scenario.name}: {result.status}")
    print(f"  model: {result.manifest['model_size']}; time: load {t['load']:.2f} s, build {t['build']:.2f} s, "
          f"hand-over {t['handover']:.2f} s, solve {t['solve']:.2f} s (HiGHS {t['highs']:.2f} s), "
          f"total {t['total']:.2f} s")
    print(f"  results: {out} (summary 摘要: {out / 'summary.md'})")
    targets = result.tables["targets"]
    if not targets.empty:
        nf = targets[targets.target == "nonfossil_share"]
        for _, r in nf.iterrows():
            print(f"  {r.jurisdiction:<13} {r.year} 非化石能源比重 non-fossil share {100 * r.achieved:5.1f} % "
                  f"(目标 target {100 * r.required:.1f} %, 边际成本 marginal cost {r.dual or 0:,.0f} CNY/pp)")
    for d in result.diagnosis:
        print(f"  ! {d}")
    if result.status == "infeasible":
        return 2
    if result.status == "error":
        return 3
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from peakplan.build import build_model
    from peakplan.io.load import load_dataset
    from peakplan.run import blocks_of, model_size
    from peakplan.solve import DirectSolver
    from peakplan.time import make_time_index

    scenario = _scenario(args)
    t0 = time.perf_counter()
    data = load_dataset(scenario)
    print(f"inputs OK: {data.root} ({len(data.tables)} tables, {len(data.timeseries)} profiles) "
          f"in {time.perf_counter() - t0:.2f} s")
    total = {"variables": 0, "constraints": 0, "nonzeros": 0}
    build_s = 0.0
    for block in blocks_of(scenario):
        ti = make_time_index({j: data.timeseries[j] for j in block}, scenario.time)
        built = build_model(data, scenario, ti, block)
        solver = DirectSolver(scenario.solver)
        hand = solver.load(built)
        size = model_size(solver)
        build_s += built.build_seconds
        for k in total:
            total[k] += size.get(k, 0)
        print(f"  {','.join(block)}: {size['variables']:,} variables, {size['constraints']:,} constraints, "
              f"{size['nonzeros']:,} nonzeros; build {built.build_seconds:.2f} s, hand-over {hand:.2f} s")
    print(f"model: {total['variables']:,} variables, {total['constraints']:,} constraints, "
          f"{total['nonzeros']:,} nonzeros; build {build_s:.2f} s")
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from peakplan.sweep import Progress, load_sweep, run_sweep

    sweep = load_sweep(args.sweep)
    if args.time_limit is not None:
        solver = replace(sweep.base.solver, options={**sweep.base.solver.options, "time_limit": float(args.time_limit)})
        sweep = replace(sweep, base=replace(sweep.base, solver=solver))
    out = args.out or Path("results") / sweep.name
    executor, client = None, None
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            print("error: --scheduler needs Dask: pip install 'peakplan[dask]'", file=sys.stderr)
            return 1
        client = Client(args.scheduler)
        executor = client.get_executor(pure=False)
        log.info("sweep on the Dask cluster at %s (%d workers)", args.scheduler,
                 len(client.scheduler_info().get("workers", {})))
    bar = None
    if args.progress or (not args.no_progress and sys.stderr.isatty()):
        from tqdm import tqdm

        logging.getLogger("peakplan").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
        bar = tqdm(desc=sweep.name, unit="pt", dynamic_ncols=True, file=sys.stderr)

    def on_point(p: Progress) -> None:
        if bar is None:
            log.info("%s: %d/%d points (%d failed), %.2f s per point, ETA %.0f s", sweep.name, p.done, p.total,
                     p.failed, p.seconds_per_point, p.eta_s)
            return
        if bar.total is None:
            bar.reset(total=p.total)
        bar.update(1)
        bar.set_postfix(failed=p.failed, s_per_pt=f"{p.seconds_per_point:.2f}",
                        highs_s=f"{p.last.get('highs_s', 0):.2f}", refresh=False)

    try:
        res = run_sweep(sweep, executor=executor, workers=max(1, args.workers), resume=args.resume, out_dir=out,
                        progress=on_point)
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
    print(f"{sweep.name}: {len(res.summary)} points ({res.solved} solved, {res.skipped} resumed, "
          f"{res.failed} failed) in {res.seconds:.1f} s; summary: {out / 'summary.csv'}")
    axes = [a.name for a in sweep.axes]
    duals = [c for c in res.summary.columns if c.startswith("dual:nonfossil_share:")][:4]
    print("  " + "  ".join([*axes, "status", "objective CNY", *[d.split(":", 1)[1] + " dual CNY/pp" for d in duals],
                            "point s", "HiGHS s"]))
    for _, r in res.summary.head(60).iterrows():
        obj = f"{r.objective_cny:,.0f}" if r.objective_cny == r.objective_cny else "-"
        cells = [*(f"{r[a]:g}" for a in axes), str(r.status), obj,
                 *(f"{r[d]:,.0f}" if r[d] == r[d] else "-" for d in duals), f"{r.point_s:.2f}", f"{r.highs_s:.2f}"]
        print("  " + "  ".join(cells))
    if len(res.summary) > 60:
        print(f"  ... {len(res.summary) - 60} more rows in {out / 'summary.csv'}")
    return 0 if res.failed == 0 else 2


def _cmd_compare(args: argparse.Namespace) -> int:
    from peakplan.compare import compare

    out = args.out or Path("results") / "compare"
    written = compare(args.runs, baseline=args.baseline, out_dir=out)
    print(f"wrote {len(written)} files to {out}:")
    for f in written:
        print(f"  {f.name}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from peakplan.report import write_summary_md

    for d in args.runs:
        print(f"wrote {write_summary_md(d)}")
    return 0


def _cmd_inputs(args: argparse.Namespace) -> int:
    def write_or_check(path: Path, text: str, command: str) -> int:
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                print(f"{path} is stale: run `peakplan inputs {command}`", file=sys.stderr)
                return 1
            print(f"{path} is up to date")
            return 0
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
        return 0

    if args.inputs_command == "readme":
        from peakplan.io.schema import render_inputs_readme

        return write_or_check(args.inputs / "README.md", render_inputs_readme(), "readme")
    if args.inputs_command == "sources":
        from peakplan.inputs_report import render_sources

        return write_or_check(args.inputs / "SOURCES.md", render_sources(args.inputs), "sources")
    if args.inputs_command == "report":
        from peakplan.config import load_scenario
        from peakplan.inputs_report import render_report
        from peakplan.io.load import load_dataset

        from peakplan.base_year import model_base_year_accounting

        scenario = load_scenario(args.scenario)
        data = load_dataset(scenario)
        print(render_report(data, export_attribution=scenario.policy.export_attribution,
                            include_indirect=scenario.policy.include_indirect,
                            model_accounting=model_base_year_accounting(data, scenario)))
        return 0
    if args.inputs_command == "profiles":
        from peakplan.profiles import generate_profiles

        generate_profiles(args.params, args.out)
        print(f"wrote profiles to {args.out}")
        return 0
    return 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("pyomo").setLevel(logging.WARNING)
    from peakplan.config import ConfigError
    from peakplan.io.load import InputError

    try:
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "validate":
            return _cmd_validate(args)
        if args.command == "sweep":
            return _cmd_sweep(args)
        if args.command == "compare":
            return _cmd_compare(args)
        if args.command == "report":
            return _cmd_report(args)
        if args.command == "inputs":
            return _cmd_inputs(args)
    except (InputError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
