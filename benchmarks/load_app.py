"""Load test of the Gradio app on loopback: start time, page size, memory, and latency under
concurrent clients.

    python benchmarks/load_app.py --artifacts /tmp/app_bundle [--clients 20] [--requests 10]

Starts `python app.py --artifacts ...` on a free port, measures the time to the first HTTP 200,
the bytes of GET / (raw and gzip), the app's resident memory (psutil, with children), then runs
``--clients`` gradio_client clients in threads, each sending ``--requests`` calls to the recommend
endpoint, and prints a markdown table. Targets: zero errors, p50 ≤ 300 ms, p95 ≤ 1 s, start
≤ 10 s, RSS ≤ 1.5 GB.
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

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.app_server import running_app  # noqa: E402

PICKS = [["Radiohead", "Muse"], ["Britney Spears", "Rihanna"], ["Metallica"], ["Daft Punk"]]
ENDPOINTS = {
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
    """Wait for the start-up work that runs after the first 200 (the exploration plots are
    drawn in a background thread) so it is not counted as request cost."""
    from gradio_client import Client

    Client(url, verbose=False, download_files=False).predict(api_name="/explore_plots")


class RestClient:
    """A minimal client of Gradio's REST API (POST /gradio_api/call/<api>, then read the event
    stream): far less client-side CPU than gradio_client, so on a small machine the load
    generator steals less CPU from the app it measures."""

    def __init__(self, url: str) -> None:
        import httpx

        self.url = url.rstrip("/")
        self.http = httpx.Client(timeout=60)

    def predict(self, *args: object, api_name: str) -> str:
        call = f"{self.url}/gradio_api/call{api_name}"
        event = self.http.post(call, json={"data": list(args)})
        event.raise_for_status()
        stream = self.http.get(f"{call}/{event.json()['event_id']}")
        stream.raise_for_status()
        if "event: error" in stream.text:
            raise RuntimeError(stream.text[-300:])
        return stream.text


def load_test(
    url: str, endpoint: str, clients: int, requests: int, kind: str = "gradio_client"
) -> tuple[list[float], list[str], float]:
    """Latencies (s) of every successful call, error messages, and wall time of the run."""
    from gradio_client import Client

    if kind == "rest":
        pool = [RestClient(url) for _ in range(clients)]
    else:
        pool = [Client(url, verbose=False, download_files=False) for _ in range(clients)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    make_args = ENDPOINTS[endpoint]

    def worker(number: int, client: Client | RestClient) -> None:
        barrier.wait()
        for i in range(requests):
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--artifacts", type=Path, default=ROOT / "artifacts", help="bundle")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10, help="requests per client")
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="softmax_recommend")
    parser.add_argument(
        "--client",
        choices=["gradio_client", "rest"],
        default="gradio_client",
        help="load generator: gradio_client (default) or plain REST calls (lighter)",
    )
    args = parser.parse_args(argv)

    with running_app(args.artifacts) as (url, start_seconds, pid):
        raw, zipped = page_bytes(url)
        warm_up(url)
        rss_before = rss_mb(pid)
        cpu_before = cpu_seconds(pid)
        latencies, errors, wall = load_test(
            url, args.endpoint, args.clients, args.requests, args.client
        )
        server_cpu = cpu_seconds(pid) - cpu_before
        rss_after = rss_mb(pid)

    ms = np.array(latencies) * 1000
    total = args.clients * args.requests
    pct = (lambda q: f"{np.percentile(ms, q):.0f}") if len(ms) else (lambda q: "n/a")
    rows = [
        ("start → first HTTP 200", f"{start_seconds:.1f} s", "≤ 10 s"),
        ("index page (GET /)", f"{raw / 1e3:.0f} kB ({zipped / 1e3:.0f} kB gzip)", ""),
        ("app RSS after start", f"{rss_before:.0f} MB", "≤ 1,500 MB"),
        ("app RSS after load", f"{rss_after:.0f} MB", "≤ 1,500 MB"),
        (
            f"requests (/{args.endpoint}, {args.client})",
            f"{total} ({args.clients} clients × {args.requests})",
            "",
        ),
        ("errors", f"{len(errors)}", "0"),
        ("latency p50", f"{pct(50)} ms", "≤ 300 ms"),
        ("latency p95", f"{pct(95)} ms", "≤ 1,000 ms"),
        ("latency p99", f"{pct(99)} ms", ""),
        ("latency mean", f"{statistics.fmean(ms):.0f} ms" if len(ms) else "n/a", ""),
        ("throughput", f"{len(ms) / wall:.1f} req/s", ""),
        ("app CPU per request", f"{server_cpu / max(1, total) * 1000:.0f} ms", ""),
    ]
    print("| measure | value | target |\n|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    for message in errors[:5]:
        print(f"error: {message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
