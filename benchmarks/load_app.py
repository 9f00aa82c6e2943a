"""Load test of the Gradio app on loopback: start time, page size, memory, and latency under
concurrent clients, side by side with a Gradio app that does nothing (the floor).

    python benchmarks/load_app.py --artifacts artifacts --clients 20 50 \\
        --client gradio_client rest --peer-noop

Starts `python app.py --artifacts ...` on a free port (127.0.0.1), measures the time to the first
HTTP 200, the bytes of GET / (raw and gzip) and the resident memory after a warm-up (psutil, with
children), then for each load generator and each level runs that many clients in threads, each
sending ``--requests`` calls to the recommend endpoint (bounded by ``--max-seconds``), and prints
markdown tables. With ``--peer-noop`` the same load hits benchmarks/noop_app.py and the ratios
app / no-op of server CPU per request and of p50 are printed (targets ≤ 1.5×). Targets: zero
errors, p50 ≤ 300 ms, p95 ≤ 1 s, start ≤ 10 s, RSS ≤ 1.5 GB, RSS growth ≤ 10% after warm-up.
Start-up against a bare Gradio app (median of several alternating starts):
benchmarks/startup_time.py.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.app_server import running_app  # noqa: E402

PICKS = [["Radiohead", "Muse"], ["Britney Spears", "Rihanna"], ["Metallica"], ["Daft Punk"]]
ENDPOINTS = {
    "recommend": lambda picks, k: (picks, "softmax", k, [], 0.0),  # Discover (the front door)
    "softmax_recommend": lambda picks, k: (picks, k, [], 0.0),
    "svd_recommend": lambda picks, k: ("Artists I pick", picks, None, k, [], 0.0),
    "compare": lambda picks, k: ("Artists I pick", picks, None, k, [], 0.0),
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


def warm_up(url: str) -> None:
    """One real request first, so one-off work (lazy caches) is not counted as request cost."""
    from gradio_client import Client

    Client(url, verbose=False, download_files=False).predict(
        ["Radiohead"], "softmax", 10, [], 0.0, api_name="/recommend"
    )


class RestClient:
    """A minimal client of Gradio's REST API (POST /gradio_api/call/<api>, then read the event
    stream): far less client-side CPU than gradio_client, so on a small machine the load
    generator steals less CPU from the app it measures."""

    def __init__(self, url: str) -> None:
        import httpx

        self.url = url.rstrip("/")
        self.http = httpx.Client(timeout=60)
        # One session per client, as one browser tab has: Gradio sets up state once per session.
        self.session_hash = uuid.uuid4().hex

    def predict(self, *args: object, api_name: str) -> str:
        call = f"{self.url}/gradio_api/call{api_name}"
        event = self.http.post(call, json={"data": list(args), "session_hash": self.session_hash})
        event.raise_for_status()
        stream = self.http.get(f"{call}/{event.json()['event_id']}")
        stream.raise_for_status()
        if "event: error" in stream.text:
            raise RuntimeError(stream.text[-300:])
        return stream.text


def make_clients(url: str, clients: int, kind: str) -> list:
    from gradio_client import Client

    if kind == "rest":
        return [RestClient(url) for _ in range(clients)]
    return [Client(url, verbose=False, download_files=False) for _ in range(clients)]


def soak(
    url: str, pid: int, endpoint: str, clients: int, rounds: int, max_seconds: float
) -> list[float]:
    """RSS (MB) after each round of the same ``clients`` REST clients sending 10 requests each:
    with sessions already made, memory that keeps growing round after round is a leak."""
    pool = make_clients(url, clients, "rest")
    rss = []
    for _ in range(rounds):
        load_test(url, endpoint, clients, 10, "rest", max_seconds, pool=pool)
        rss.append(rss_mb(pid))
    return rss


def load_test(
    url: str,
    endpoint: str,
    clients: int,
    requests: int,
    kind: str = "gradio_client",
    max_seconds: float = 120.0,
    pool: list | None = None,
) -> tuple[list[float], list[str], float]:
    """Latencies (s) of every successful call, error messages, and wall time of the run.

    ``pool``: clients to reuse (e.g. for a soak test); by default new ones are made.
    """
    pool = pool if pool is not None else make_clients(url, clients, kind)
    clients = len(pool)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    make_args = ENDPOINTS[endpoint]

    def worker(number: int, client: Any) -> None:
        barrier.wait()
        deadline = time.perf_counter() + max_seconds
        for i in range(requests):
            if time.perf_counter() > deadline:
                break
            args = make_args(PICKS[(number + i) % len(PICKS)], 10)
            started = time.perf_counter()
            try:
                client.predict(*args, api_name=f"/{endpoint}")
            except Exception as exc:  # count every failure, whatever its kind
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(pool)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def measure_level(
    url: str, pid: int, endpoint: str, clients: int, requests: int, kind: str, seconds: float
) -> dict[str, object]:
    """One load level: latencies, errors, throughput, server CPU and RSS after it."""
    cpu_before = cpu_seconds(pid)
    latencies, errors, wall = load_test(url, endpoint, clients, requests, kind, seconds)
    ms = np.array(latencies) * 1000
    return {
        "clients": clients,
        "kind": kind,
        "sent": len(latencies) + len(errors),
        "errors": errors,
        "p50": float(np.percentile(ms, 50)) if len(ms) else float("nan"),
        "p95": float(np.percentile(ms, 95)) if len(ms) else float("nan"),
        "p99": float(np.percentile(ms, 99)) if len(ms) else float("nan"),
        "throughput": len(ms) / wall,
        "cpu_ms": (cpu_seconds(pid) - cpu_before) / max(1, len(ms)) * 1000,
        "rss": rss_mb(pid),
    }


def run_server(
    script: Path, artifacts: Path, args: argparse.Namespace
) -> tuple[dict[str, float], list[dict[str, object]]]:
    """Start one server, measure start-up, page and memory, then every load level."""
    with running_app(artifacts, script=script) as (url, start_seconds, pid):
        raw, zipped = page_bytes(url)
        if script.name == "app.py":
            warm_up(url)
        # Warm-up load so caches, sessions and allocator pools exist before memory is compared.
        load_test(url, args.endpoint, 4, 5, "rest", args.max_seconds)
        facts = {"start": start_seconds, "page": raw, "page_gzip": zipped, "rss_warm": rss_mb(pid)}
        levels = [
            measure_level(url, pid, args.endpoint, n, args.requests, kind, args.max_seconds)
            for kind in args.client
            for n in args.clients
        ]
        if args.soak_rounds:
            facts["soak"] = soak(
                url, pid, args.endpoint, max(args.clients), args.soak_rounds, args.max_seconds
            )
    return facts, levels


def print_ratios(app: list[dict[str, object]], floor: list[dict[str, object]]) -> None:
    """App / no-op ratios per level, measured in the same run (targets ≤ 1.5×)."""
    print("\n| load generator | clients | server CPU ms/req app / no-op | p50 app / no-op |")
    print("|---|---|---|---|")
    for mine, bare in zip(app, floor, strict=True):
        cpu = float(mine["cpu_ms"]) / max(float(bare["cpu_ms"]), 1e-9)
        p50 = float(mine["p50"]) / float(bare["p50"])
        print(f"| {mine['kind']} | {mine['clients']} | {cpu:.2f}× | {p50:.2f}× |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--artifacts", type=Path, default=ROOT / "artifacts", help="bundle")
    parser.add_argument("--clients", type=int, nargs="+", default=[20], help="load levels")
    parser.add_argument("--requests", type=int, default=10, help="requests per client")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="bound per level")
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="softmax_recommend")
    parser.add_argument(
        "--client",
        choices=["gradio_client", "rest"],
        nargs="+",
        default=["gradio_client"],
        help="load generators: gradio_client and/or plain REST calls (lighter on the CPU)",
    )
    parser.add_argument(
        "--soak-rounds",
        type=int,
        default=0,
        help="then this many rounds of the same clients, to see whether memory keeps growing",
    )
    parser.add_argument(
        "--peer-noop",
        action="store_true",
        help="also run the same load against a Gradio app that does nothing (the floor)",
    )
    args = parser.parse_args(argv)

    servers = {"app": ROOT / "app.py"}
    if args.peer_noop:
        servers["no-op Gradio app"] = ROOT / "benchmarks" / "noop_app.py"
    results = {name: run_server(script, args.artifacts, args) for name, script in servers.items()}

    facts = results["app"][0]
    print("| measure | value | target |\n|---|---|---|")
    print(f"| start → first HTTP 200 | {facts['start']:.1f} s | ≤ 10 s |")
    print(
        f"| index page (GET /) | {facts['page'] / 1e3:.0f} kB "
        f"({facts['page_gzip'] / 1e3:.0f} kB gzip) |  |"
    )
    print(f"| app RSS after warm-up | {facts['rss_warm']:.0f} MB | ≤ 1,500 MB |")
    print()
    print(
        f"/{args.endpoint}, {args.requests} requests per client, loopback; "
        "RSS growth is against the RSS after warm-up.\n"
    )
    print(
        "| server | load generator | clients | sent | errors | p50 ms | p95 ms | p99 ms | "
        "req/s | server CPU ms/req | RSS MB (growth) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    failed = False
    for name, (server_facts, levels) in results.items():
        for level in levels:
            growth = (level["rss"] / server_facts["rss_warm"] - 1) * 100
            print(
                f"| {name} | {level['kind']} | {level['clients']} | {level['sent']} | "
                f"{len(level['errors'])} | {level['p50']:.0f} | {level['p95']:.0f} | "
                f"{level['p99']:.0f} | {level['throughput']:.1f} | {level['cpu_ms']:.1f} | "
                f"{level['rss']:.0f} ({growth:+.1f}%) |"
            )
            failed |= bool(level["errors"])
            for message in level["errors"][:3]:
                print(f"error: {message}", file=sys.stderr)
    if "no-op Gradio app" in results:
        print_ratios(results["app"][1], results["no-op Gradio app"][1])
    for name, (server_facts, _levels) in results.items():
        if "soak" in server_facts:
            rss = server_facts["soak"]
            print(
                f"\nSoak, {name}: {len(rss)} rounds of the same {max(args.clients)} REST clients "
                f"× 10 requests; RSS after each round (MB): {', '.join(f'{r:.0f}' for r in rss)}"
                f"; last vs first round: {(rss[-1] / rss[0] - 1) * 100:+.1f}%"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
