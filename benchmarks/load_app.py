"""Load test of the Gradio app on loopback, side by side with a Gradio app that does nothing (the
floor): server CPU per request, latency, start time, page size, memory.

    python benchmarks/load_app.py --artifacts artifacts --endpoint recommend --clients 20 \\
        --client rest browser api mcp --peer-noop --runs 3

Starts `python app.py --artifacts ...` on a free port (127.0.0.1), measures the time to the first
HTTP 200, the bytes of GET / (raw and gzip) and the resident memory after a warm-up (psutil, with
children), then for each load generator (benchmarks/load_clients.py: rest, browser visits,
session-less API calls, MCP calls, gradio_client) and each level runs that many clients in
threads, each sending ``--requests`` requests (bounded by ``--max-seconds``). ``--peer-noop``
runs the same load against benchmarks/noop_app.py (same endpoint names and inputs, no work);
``--compare-app SCRIPT`` also against another version of app.py (e.g. an older checkout). With
``--runs N`` every server is started and measured N times in turn, so the ratios app / no-op of
server CPU per request and of p50 come from the same run. The results go to
benchmarks/results/load_app.json (benchmarks.results.record); ``readme_table`` renders them.
The machine is shared: read the medians and the spread across runs, not one figure.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load_clients import ENDPOINTS, KINDS, make_clients  # noqa: E402
from tests.app_server import running_app  # noqa: E402

RESULT = "load_app"
NOOP = "no-op Gradio app"
EAGER = "app, Gradio's own sessions"
TARGET = 2.0  # browser visits: the app's server CPU at most this many times the no-op's
PER_REQUEST = {
    "rest": "REST, one session per client (10 requests each)",
    "browser": "browser visits: page + heartbeat + 2 Recommends, a new session each",
    "api": "the API tools over REST, no session",
    "mcp": "the API tools through /gradio_api/mcp/",
    "gradio_client": "gradio_client, one session per client",
}


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its children, in MB."""
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total / 1e6


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the app process has used so far."""
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def page_bytes(url: str) -> tuple[int, int]:
    """(raw bytes of GET /, bytes when gzip-compressed)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
    return len(body), len(gzip.compress(body))


def load_test(
    pool: list[Any], requests: int, max_seconds: float = 120.0
) -> tuple[list[float], list[str], float]:
    """Latencies (s) of every successful request, error messages, and wall time of the run."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(pool))

    def worker(number: int, client: Any) -> None:
        barrier.wait()
        deadline = time.perf_counter() + max_seconds
        for i in range(requests):
            if time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            try:
                client.request(number + i)
            except Exception as exc:  # count every failure, whatever its kind
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
        with contextlib.suppress(Exception):
            getattr(client, "close", lambda: None)()

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(pool)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def measure_level(url: str, pid: int, kind: str, clients: int, args: Any) -> dict[str, Any]:
    """One load level: latencies, errors, throughput, server CPU and RSS after it."""
    pool = make_clients(url, clients, kind, args.endpoint)
    cpu_before = cpu_seconds(pid)
    latencies, errors, wall = load_test(pool, args.requests, args.max_seconds)
    ms = np.array(latencies) * 1000
    return {
        "kind": kind,
        "clients": clients,
        "sent": len(latencies) + len(errors),
        "errors": len(errors),
        "error_samples": errors[:3],
        "p50_ms": float(np.percentile(ms, 50)) if len(ms) else float("nan"),
        "p95_ms": float(np.percentile(ms, 95)) if len(ms) else float("nan"),
        "throughput": len(ms) / wall,
        "cpu_ms_per_request": (cpu_seconds(pid) - cpu_before) / max(1, len(ms)) * 1000,
        "rss_mb": rss_mb(pid),
    }


def run_server(
    script: Path, artifacts: Path, args: Any, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Start one server, measure start-up, page and memory, then every load level."""
    with running_app(artifacts, script=script, env=env) as (url, start_seconds, pid):
        raw, zipped = page_bytes(url)
        # Warm-up: one-off work (lazy caches, allocator pools) is not counted as request cost.
        for kind in args.client:
            load_test(make_clients(url, 2, kind, args.endpoint), 4, args.max_seconds)
        facts = {
            "start_s": start_seconds,
            "page": raw,
            "page_gzip": zipped,
            "rss_warm": rss_mb(pid),
        }
        levels = [measure_level(url, pid, k, n, args) for k in args.client for n in args.clients]
        if args.soak_rounds:
            pool = make_clients(url, max(args.clients), "rest", args.endpoint)
            facts["soak_rss_mb"] = [
                (load_test(pool, 10, args.max_seconds), rss_mb(pid))[1]
                for _ in range(args.soak_rounds)
            ]
    return {**facts, "levels": levels}


def ratios(mine: dict[str, Any], floor: dict[str, Any]) -> list[dict[str, Any]]:
    """Per level, app / no-op of server CPU per request and of p50 (same run)."""
    return [
        {
            "kind": a["kind"],
            "clients": a["clients"],
            "cpu": a["cpu_ms_per_request"] / max(b["cpu_ms_per_request"], 1e-9),
            "p50": a["p50_ms"] / b["p50_ms"],
        }
        for a, b in zip(mine["levels"], floor["levels"], strict=True)
    ]


def print_run(number: int, run: dict[str, Any]) -> None:
    print(f"\n### run {number}\n")
    print("| server | load | clients | sent | errors | p50 ms | p95 ms | req/s | CPU ms | RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, server in run["servers"].items():
        for lv in server["levels"]:
            print(
                f"| {name} | {lv['kind']} | {lv['clients']} | {lv['sent']} | {lv['errors']} | "
                f"{lv['p50_ms']:.0f} | {lv['p95_ms']:.0f} | {lv['throughput']:.1f} | "
                f"{lv['cpu_ms_per_request']:.1f} | {lv['rss_mb']:.0f} |"
            )
            for message in lv["error_samples"]:
                print(f"error: {message}", file=sys.stderr)
    for name, rows in run.get("ratios", {}).items():
        for row in rows:
            print(f"{name} / no-op, {row['kind']}: CPU {row['cpu']:.2f}×, p50 {row['p50']:.2f}×")


def main(argv: list[str] | None = None) -> int:
    from benchmarks.results import machine, record

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--artifacts", type=Path, default=ROOT / "artifacts", help="bundle")
    parser.add_argument("--clients", type=int, nargs="+", default=[20], help="load levels")
    parser.add_argument("--requests", type=int, default=10, help="requests per client")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="bound per level")
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="recommend")
    parser.add_argument("--client", choices=KINDS, nargs="+", default=["rest"], help="loads")
    parser.add_argument("--runs", type=int, default=1, help="measure every server this often")
    parser.add_argument("--peer-noop", action="store_true", help="also the no-op app (the floor)")
    parser.add_argument("--compare-app", type=Path, help="also this app.py (another version)")
    parser.add_argument("--compare-label", default="app (other version)")
    parser.add_argument("--compare-eager", action="store_true", help="also app.py with "
                        "Gradio's own (eager) sessions: RECOMMENDERS_EAGER_SESSIONS=1")  # fmt: skip
    parser.add_argument("--soak-rounds", type=int, default=0, help="then rounds of the same "
                        "clients, to see whether memory keeps growing")  # fmt: skip
    parser.add_argument(
        "--record-as", default=RESULT, help="result file name (benchmarks/results/)"
    )
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)

    started = machine()
    servers: dict[str, tuple[Path, dict[str, str]]] = {"app": (ROOT / "app.py", {})}
    if args.compare_eager:
        servers[EAGER] = (ROOT / "app.py", {"RECOMMENDERS_EAGER_SESSIONS": "1"})
    if args.compare_app:
        servers[args.compare_label] = (args.compare_app.resolve(), {})
    if args.peer_noop:
        servers[NOOP] = (ROOT / "benchmarks" / "noop_app.py", {})
    runs = []
    for number in range(1, args.runs + 1):
        measured = {
            name: run_server(script, args.artifacts, args, env)
            for name, (script, env) in servers.items()
        }
        run: dict[str, Any] = {"servers": measured}
        if NOOP in measured:
            run["ratios"] = {
                name: ratios(server, measured[NOOP])
                for name, server in measured.items()
                if name != NOOP
            }
        print_run(number, run)
        runs.append(run)
    if not args.no_record:
        settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        print(f"\nwrote {record(args.record_as, {'settings': settings, 'runs': runs}, started)}")
    failed = any(lv["errors"] for r in runs for s in r["servers"].values() for lv in s["levels"])
    return 1 if failed else 0


def readme_table(name: str = RESULT) -> str:
    """The serving rows of the README's speed section, from benchmarks/results/load_app.json:
    per load and server, the median over runs of server CPU per request and its ratio to the
    no-op app measured in the same run (with the runs' range), and the same for p50."""
    from benchmarks.results import load

    data = load(name)
    runs = data["runs"]
    servers = [name for name in runs[0]["ratios"]]
    load = (data["machine_at_start"]["load_average"][0], data["machine_at_end"]["load_average"][0])
    lines = [
        f"{len(runs)} runs, {data['settings']['clients'][0]} clients × "
        f"{data['settings']['requests']} requests, median (range over runs); the no-op app "
        f"measured in the same run; load average {load[0]:g} → {load[1]:g} on "
        f"{data['machine_at_start']['cpus']} cores (shared):",
        "",
        "| requests | server | server CPU ms/request | vs no-op | p50 ms | vs no-op |",
        "|---|---|---|---|---|---|",
    ]
    for index, level in enumerate(runs[0]["servers"]["app"]["levels"]):
        for name in servers:
            cpu = [r["servers"][name]["levels"][index]["cpu_ms_per_request"] for r in runs]
            p50 = [r["servers"][name]["levels"][index]["p50_ms"] for r in runs]
            floor = [r["servers"][NOOP]["levels"][index]["cpu_ms_per_request"] for r in runs]
            cpu_x = [r["ratios"][name][index]["cpu"] for r in runs]
            p50_x = [r["ratios"][name][index]["p50"] for r in runs]
            lines.append(
                f"| {PER_REQUEST.get(level['kind'], level['kind'])} | {name} | "
                f"{statistics.median(cpu):.1f} (no-op {statistics.median(floor):.1f}) | "
                f"{_spread(cpu_x)} | {statistics.median(p50):.0f} | {_spread(p50_x)} |"
            )
    kinds = [level["kind"] for level in runs[0]["servers"]["app"]["levels"]]
    if "browser" in kinds:  # the target: a browser visit at most TARGET× the no-op's CPU
        index = kinds.index("browser")
        ratios = [r["ratios"]["app"][index]["cpu"] for r in runs]
        above = sum(x > TARGET for x in ratios)
        verdict = "met" if statistics.median(ratios) <= TARGET else "not met"
        lines.append(
            f"\nTarget, a browser visit ≤ {TARGET:g}× the no-op's server CPU: "
            f"{statistics.median(ratios):.2f}×, {verdict} by the median; {above} of {len(runs)} "
            f"runs above {TARGET:g}× (the spread between runs is "
            f"{max(ratios) - min(ratios):.2f}×)."
        )
    page = runs[0]["servers"]["app"]
    lines.append(
        f"\nIndex page (GET /): {page['page'] / 1e3:.0f} kB, {page['page_gzip'] / 1e3:.0f} kB "
        "gzipped (target ≤ 512 kB)."
    )
    return "\n".join(lines)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}× ({min(values):.2f}–{max(values):.2f})"


if __name__ == "__main__":
    sys.exit(main())


def readme_memory(name: str = "load_soak") -> str:
    """The memory row's figures (benchmarks/results/load_soak.json, a --soak-rounds run): the
    app's resident memory after warm-up, after the new clients, and over the soak rounds."""
    from benchmarks.results import load

    data = load(name)
    app = data["runs"][0]["servers"]["app"]
    soak, warm = app["soak_rss_mb"], app["rss_warm"]
    sent = sum(level["sent"] for level in app["levels"])
    clients = data["settings"]["clients"][-1]
    after_new = app["levels"][-1]["rss_mb"]
    rounds = len(soak)
    half = rounds // 2
    first, second = soak[:half], soak[half:]
    return (
        f"{sent:,} requests from {clients} new clients, then {rounds} rounds × the same "
        f"{clients} clients × 10 requests ({rounds * clients * 10:,} requests): resident memory "
        f"{warm:.0f} MB after warm-up, {after_new:.0f} MB ({after_new / warm - 1:+.1%}) after "
        f"the new clients; over the soak's first {half} rounds {first[0]:.0f} → {first[-1]:.0f} "
        f"MB, over the last {len(second)} between {min(second):.0f} and {max(second):.0f} MB "
        f"({second[-1] / second[0] - 1:+.1%} from the first of them to the last)."
    )
