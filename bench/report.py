"""The dated markdown report, its PNG chart and the raw JSON, under ``bench/results/``;
``latest.md`` (and ``latest.png``/``latest.json``) are copies of the newest."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.runner import GATEWAYS, Suite
from bench.scenarios import BASE_FAULTS, MIX_READS_PER_WRITE

#: the issue's targets
P50_TARGET, P99_TARGET = 1.10, 1.30
HOT_RPS_TARGET = 1000.0
SOAK_GROWTH_TARGET = 0.10
SOAK_SECONDS_TARGET = 600.0


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(
                (ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), ""
            )
    except OSError:
        pass
    wrk = shutil.which("wrk")
    version = ""
    if wrk:
        done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
        version = (
            (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else ""
        )
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": version,
    }


def runs_by(suite: Suite) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["scenario"], r["mode"]): r for r in suite.runs}


def calls_met(run: dict[str, Any]) -> tuple[bool, str]:
    """Calls per operation at most the bound, give or take the requests wrk cut off at the
    end (their upstream calls are counted, the operation may not be)."""
    bound, measured, slack = run["calls_bound"], run["calls_per_op"], run["calls_slack"]
    failed = sum(
        n for statuses in run["upstream_statuses"].values()
        for status, n in statuses.items() if status.startswith("5")
    )  # fmt: skip
    without_failures = (run["upstream_calls"] - failed) / max(run["operations"], 1.0)
    if measured <= bound + slack:
        return True, f"{measured:.2f} (bound {bound:.2f})"
    if failed and without_failures <= bound + slack:
        return False, (
            f"{measured:.2f} (bound {bound:.2f}); {without_failures:.2f} without the injected "
            "5xx answers: the excess is retries"
        )
    return False, f"{measured:.2f} (bound {bound:.2f})"


def targets(suite: Suite) -> list[tuple[str, str, str]]:
    """``(target, measured, verdict)`` rows."""
    runs = runs_by(suite)
    rows: list[tuple[str, str, str]] = []
    for run in suite.runs:
        if run["mode"] != "gateway":
            continue
        ok, text = calls_met(run)
        rows.append((f"upstream calls/op = lower bound: ({run['scenario']})", text, _v(ok)))
    cold = runs.get(("a", "gateway"))
    if cold:
        cp = cold["critical_path_ms"]
        p50, p99 = cold["load"]["latency_ms"]["p50"], cold["load"]["latency_ms"]["p99"]
        c = cold["connections"]
        rows.append((
            f"customer-360 p50 ≤ {P50_TARGET}x critical path ({cp:.0f} ms) at {c} clients",
            f"{p50:.1f} ms = {cold['ratio_p50']:.2f}x",
            _v(cold["ratio_p50"] <= P50_TARGET),
        ))  # fmt: skip
        rows.append((
            f"customer-360 p99 ≤ {P99_TARGET}x critical path ({cp:.0f} ms) at {c} clients",
            f"{p99:.1f} ms = {cold['ratio_p99']:.2f}x",
            _v(cold["ratio_p99"] <= P99_TARGET),
        ))  # fmt: skip
    hot = runs.get(("c-360", "gateway"))
    if hot:
        rps = hot["load"]["rps"]
        rows.append((
            f"cache-hot customer-360 ≥ {HOT_RPS_TARGET:.0f} req/s, one worker",
            f"{rps:.0f} req/s", _v(rps >= HOT_RPS_TARGET),
        ))  # fmt: skip
    soak = suite.soak
    if soak:
        growth = soak.get("rss_growth")
        long_enough = soak["seconds"] >= SOAK_SECONDS_TARGET
        verdict = _v(growth is not None and growth < SOAK_GROWTH_TARGET and long_enough)
        if not long_enough:
            verdict += f" (soak was {soak['seconds']:g} s, not {SOAK_SECONDS_TARGET:g})"
        rows.append((
            f"memory grows < {SOAK_GROWTH_TARGET:.0%} over a 10-minute soak at 80% of peak",
            f"{soak['rss_mb_start']} → {soak['rss_mb_end']} MB"
            f" ({(growth or 0):+.1%}) at {soak['achieved_rps']:.0f} req/s "
            f"(target {soak['target_rps']:.0f}), finished {soak['finished']}",
            verdict,
        ))  # fmt: skip
    else:
        rows.append((
            f"memory grows < {SOAK_GROWTH_TARGET:.0%} over a 10-minute soak",
            "no soak recorded (`make bench SOAK=1`)", "not run",
        ))  # fmt: skip
    return rows


def _v(ok: bool) -> str:
    return "**met**" if ok else "**NOT met**"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def chart(suite: Suite, path: Path) -> None:
    """Latency percentiles per scenario: gateway and naive (p50/p95/p99) and the critical
    path, on a log scale (cache-hot answers take milliseconds, a slow vendor half a second)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = runs_by(suite)
    keys = list(dict.fromkeys(r["scenario"] for r in suite.runs))
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(keys)), 5), dpi=120)
    width = 0.13
    series = [
        ("gateway", "p50", "#1f77b4"), ("gateway", "p95", "#4a98d3"), ("gateway", "p99", "#9cc5e8"),
        ("naive", "p50", "#d62728"), ("naive", "p95", "#e3635f"), ("naive", "p99", "#f0a5a3"),
    ]  # fmt: skip
    for i, (mode, pct, color) in enumerate(series):
        xs, ys = [], []
        for x, key in enumerate(keys):
            run = runs.get((key, mode))
            if run:
                xs.append(x + (i - 2.5) * width)
                ys.append(max(run["load"]["latency_ms"][pct], 0.1))
        if xs:
            ax.bar(xs, ys, width, label=f"{mode} {pct}", color=color)
    for x, key in enumerate(keys):
        run = runs.get((key, "gateway")) or runs.get((key, "naive"))
        if run and run["critical_path_ms"]:
            ax.hlines(run["critical_path_ms"], x - 0.45, x + 0.45, colors="black", linewidth=2)
    ax.plot([], [], color="black", linewidth=2, label="critical path")
    ax.set_yscale("log")
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels(keys)
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_title(f"Customer Graph bench {suite.started}: latency per scenario")
    ax.legend(fontsize=8, ncol=3)
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def markdown(suite: Suite, info: dict[str, Any], png_name: str | None) -> str:
    runs = runs_by(suite)
    o = suite.options
    lat = BASE_FAULTS
    lines = [
        f"# Customer Graph benchmark — {suite.started}",
        "",
        "`make bench` (`python -m bench`): three vendor sandboxes and the gateway as separate",
        "processes on loopback, load from wrk; upstream calls from the sandboxes'",
        "`/_sandbox/counters`, operations from the gateway's `/metrics`, CPU from `/proc`.",
        "",
        "## Machine and settings",
        "",
        f"- {info['nproc']} CPUs, {info['cpu_model']}; Python {info['python']};"
        f" {info['platform']}; {info['wrk']}",
        "- one gateway worker (`python -m gateway`); each sandbox its own process"
        " (`python -m sandbox --vendor …`); wrk with 1 thread",
        f"- injected latency: every vendor call {lat['latency_ms']:g} ms ± {lat['jitter_ms']:g} ms"
        " (an asyncio sleep in the sandbox, non-blocking)",
        f"- {o['tenants']} tenants x {o['customers']} customers; {o['duration_s']:g} s per run",
        "- **cold** runs: the gateway with every cache TTL 0 (`CG_CACHE_TTLS`,"
        f" {GATEWAYS['cold']['CG_CACHE_TTLS']}), dataloaders on, AND every request for a"
        " different customer/page (wrk's Lua rotates through all of them)",
        "- **hot** runs (c): default TTLs; every request of the rotation sent once before",
        "- **naive**: `CG_RESOLVER_MODE=naive` (no batching, no per-request dedup, no"
        " cross-request cache), same requests",
        f"- (d): {MIX_READS_PER_WRITE} customer-360 reads per `trackLoyaltyEvent` (points), cold;"
        " (e): Talon.One +500 ms, or 20% 503 (the gateway retries idempotent reads)",
        "- critical path: the injected latency along the longest chain of *dependent* upstream"
        " calls: customer-360 = 1 call (every read needs only the id), search page = 2 (search,"
        " then per-customer reads in parallel); the gateway's own chain is shown as *sequential*"
        " (one request at a time, no queueing) ÷ latency",
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in targets(suite)]
    lines += [
        "",
        "## Latency and throughput",
        "",
        "| scenario | mode | clients | req/s | p50 ms | p95 ms | p99 ms | critical path ms |"
        " p50/cp | p99/cp | sequential chain | non-2xx | GraphQL errors/op |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",  # noqa: E501
    ]
    for run in suite.runs:
        p = run["load"]["latency_ms"]
        non2xx = sum(run["load"]["errors"].values())
        lines.append(
            f"| {run['scenario']} {run['title']} | {run['mode']} | {run['connections']} |"
            f" {run['load']['rps']:.1f} | {_ms(p['p50'])} | {_ms(p['p95'])} | {_ms(p['p99'])} |"
            f" {run['critical_path_ms']:.0f} | {run['ratio_p50'] or '—'} |"
            f" {run['ratio_p99'] or '—'} | {run['sequential_chain']} | {non2xx} |"
            f" {run['graphql_errors_per_op']} |"
        )
    lines += [
        "",
        "## Upstream calls and CPU per operation",
        "",
        "| scenario | mode | ops | calls/op | lower bound | gateway CPU ms/op | gateway CPU"
        " use (cores) | sandboxes CPU ms/op | wrk CPU ms/op | other processes (cores) |"
        " gateway RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in suite.runs:
        cpu = run["cpu_ms_per_op"]
        lines.append(
            f"| {run['scenario']} | {run['mode']} | {run['operations']:.0f} |"
            f" {run['calls_per_op']:.2f} | {run['calls_bound']:.2f} | {cpu['gateway']:.2f} |"
            f" {run['gateway_cpu_utilisation']:.2f} | {cpu['sandboxes']:.2f} |"
            f" {cpu['loadgen']:.3f} | {run['other_load_cores']:.2f} | {run['gateway_rss_mb']} |"
        )
    lines += ["", "## What dataloaders and the cache buy (gateway vs naive)", ""]
    lines += [
        "| scenario | calls/op naive → gateway | p50 naive → gateway (ms) | req/s naive → gateway |"
        " gateway CPU ms/op naive → gateway |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key in dict.fromkeys(r["scenario"] for r in suite.runs):
        g, n = runs.get((key, "gateway")), runs.get((key, "naive"))
        if not (g and n):
            continue
        lines.append(
            f"| {key} | {n['calls_per_op']:.2f} → {g['calls_per_op']:.2f} |"
            f" {n['load']['latency_ms']['p50']:.1f} → {g['load']['latency_ms']['p50']:.1f} |"
            f" {n['load']['rps']:.1f} → {g['load']['rps']:.1f} |"
            f" {n['cpu_ms_per_op']['gateway']:.2f} → {g['cpu_ms_per_op']['gateway']:.2f} |"
        )
    if png_name:
        lines += ["", f"![latency per scenario]({png_name})"]
    lines += _profiles(suite)
    lines += _soak(suite)
    lines += ["", "## Upstream endpoints per operation", ""]
    for run in suite.runs:
        eps = ", ".join(f"`{k}` {v:g}" for k, v in run["endpoints_per_op"].items())
        lines.append(f"- {run['scenario']} {run['mode']}: {eps or 'none'}")
    return "\n".join(lines) + "\n"


def _profiles(suite: Suite) -> list[str]:
    if not suite.profiles:
        return ["", "## Profiles", "", "No profile was taken (`--no-profile`, or py-spy missing)."]
    lines = [
        "",
        "## Profiles (py-spy, gateway process under load)",
        "",
        "Full collapsed stacks and summaries are in `profiles/`.",
    ]
    for name, prof in suite.profiles.items():
        lines += [
            "",
            f"### {name} ({prof['samples']} samples, {prof.get('rps_while_profiled', 0):.0f}"
            " req/s while sampled)",
            "",
            "Own time per package: "
            + ", ".join(f"{pkg} {pct}%" for pkg, pct in prof["packages_own_pct"][:10]),
            "",
            "| own % | frame | | inclusive % | frame |",
            "| ---: | --- | --- | ---: | --- |",
        ]
        for (own_name, own_pct), (inc_name, inc_pct) in zip(
            prof["own_pct"][:15], prof["inclusive_pct"][:15], strict=False
        ):
            lines.append(f"| {own_pct} | `{own_name}` | | {inc_pct} | `{inc_name}` |")
    return lines


def _soak(suite: Suite) -> list[str]:
    soak = suite.soak
    if not soak:
        return []
    samples = soak["rss_mb_samples"]
    every = max(1, len(samples) // 12)
    trace = ", ".join(f"{t:g}s {mb:.0f}" for t, mb in samples[::every])
    return [
        "",
        f"## Soak ({soak['seconds']:g} s, finished {soak['finished']})",
        "",
        f"Peak {soak['peak_rps']:.0f} req/s; target {soak['target_rps']:.0f}; achieved"
        f" {soak['achieved_rps']:.0f} req/s; p50 {soak['latency_ms']['p50']:.1f} ms,"
        f" p99 {soak['latency_ms']['p99']:.1f} ms. RSS MB: {trace}.",
    ]


def suite_target_rows(suite: Suite) -> dict[str, tuple[str, bool | None]]:
    """The targets-table rows the suite's own scenarios measure: the cache-hot
    customer-360 (``c-360``) and the cold search page's gateway CPU (``b``)."""
    rows: dict[str, tuple[str, bool | None]] = {}
    by = runs_by(suite)
    hot = by.get(("c-360", "gateway"))
    if hot:
        rps = hot["load"]["rps"]
        rows["cache-hot customer-360, one worker"] = (f"{rps:,.0f} req/s", rps >= 4000)
    page = by.get(("b", "gateway"))
    if page:
        ms = page["cpu_ms_per_op"]["gateway"]
        rows["search page of 50, gateway CPU per page"] = (f"{ms:.1f} ms", ms <= 80)
    return rows


def cold_vs_floor_markdown(
    suite: Suite,
    result: dict[str, Any] | None,
    extra_rows: dict[str, tuple[str, bool | None]] | None = None,
) -> str:
    """The cold-vs-floor section (``bench.cold_vs_floor``), its targets table completed with
    what this suite measured and ``extra_rows`` (the per-call table's); empty when it did
    not run."""
    if result is None:
        return ""
    from bench.cold_vs_floor import markdown_section

    extra = {**suite_target_rows(suite), **(extra_rows or {})}
    return "\n" + "\n".join(markdown_section(result, extra)) + "\n"


def write(
    suite: Suite,
    results_dir: Path,
    stamp: str,
    cold_vs_floor: dict[str, Any] | None = None,
    *,
    extra_rows: dict[str, tuple[str, bool | None]] | None = None,
    sections: tuple[str, ...] = (),
) -> Path:
    """Writes ``<stamp>.md``, ``.png``, ``.json`` and the ``latest.*`` copies; returns the .md.
    ``cold_vs_floor``: the result of ``bench.cold_vs_floor``, added as a section and to the
    JSON; ``extra_rows`` complete its targets table; ``sections`` (markdown) follow it."""
    results_dir.mkdir(parents=True, exist_ok=True)
    if suite.soak is None:
        previous = results_dir / "soak-latest.json"
        if previous.exists():
            suite.soak = json.loads(previous.read_text())
    info = machine()
    png: Path | None = results_dir / f"{stamp}.png"
    try:
        chart(suite, png)  # type: ignore[arg-type]
    except ImportError:
        png = None
    md = results_dir / f"{stamp}.md"
    floor = cold_vs_floor_markdown(suite, cold_vs_floor, extra_rows)
    floor += "".join(f"\n{section}\n" for section in sections)
    md.write_text(markdown(suite, info, png.name if png else None) + floor, encoding="utf-8")
    raw = {"machine": info, "targets": targets(suite), **asdict(suite)}
    if cold_vs_floor is not None:
        raw["cold_vs_floor"] = cold_vs_floor
    (results_dir / f"{stamp}.json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    latest_md = markdown(suite, info, "latest.png" if png else None) + floor
    (results_dir / "latest.md").write_text(latest_md, encoding="utf-8")
    if png:
        shutil.copyfile(png, results_dir / "latest.png")
    shutil.copyfile(results_dir / f"{stamp}.json", results_dir / "latest.json")
    return md
