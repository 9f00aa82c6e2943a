"""The README's speed table, one row per committed result file (nothing typed by hand).

Each row comes from the file its benchmark wrote (its ``command`` says how); a missing file
fails the README check rather than leaving a row out.
"""

from __future__ import annotations

import statistics

from benchmarks.results import load


def _verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def _bundle(found: dict) -> str:
    fast = (found.get("bundle") or {}).get("fast")
    return "fast bundle" if fast else "full bundle"


def _load(found: dict) -> str:
    return f"load {found['machine_at_start']['load_average'][0]:g}"


def _browser() -> list[str]:
    found = load("browser_timing")
    medians = {name: statistics.median(ms) for name, ms in found["ms"].items()}
    worst = max(medians.values())
    shown = ", ".join(f"{name} {ms:.0f} ms" for name, ms in medians.items())
    return [
        f"| click → cards in Chromium ({_bundle(found)}, medians of "
        f"{len(next(iter(found['ms'].values())))}; {_load(found)}) | {shown} | "
        f"≤ {found['target_ms']} ms | {_verdict(worst <= found['target_ms'])} |"
    ]


def _startup() -> list[str]:
    found = load("startup_time")
    m = found["median"]
    runs = len(found["seconds"]["app"])
    return [
        f"| start → first HTTP 200 vs a bare Gradio app ({_bundle(found)}, {runs} alternating "
        f"starts each; {_load(found)}) | {m['app']:.2f} s vs {m['bare']:.2f} s: "
        f"{m['ratio']:.2f}× | ≤ {found['target_ratio']}× | "
        f"{_verdict(m['ratio'] <= found['target_ratio'])} |"
    ]


def _history() -> list[str]:
    found = load("history_speed_visit")
    m, target = found["median"], found["targets"]
    ok = m["seconds"] <= target["seconds"] and m["extra_mb"] <= target["extra_mb"]
    return [
        f"| `read_history` + match + recommend, {found['streams']:,}-stream Spotify export "
        f"({len(found['runs'])} runs; {_load(found)}) | {m['seconds']:.2f} s, "
        f"{m['extra_mb']:.0f} MB extra | ≤ {target['seconds']:g} s, ≤ {target['extra_mb']:g} MB "
        f"| {_verdict(ok)} |"
    ]


def _latency() -> list[str]:
    found = load("latency")
    default = found["bundle"]["default_model"]
    cell, floor = found["ms"][default], found["ms"].get("popularity")
    beside = f" (popularity, the floor: {floor['p50']:.2f} ms)" if floor else ""
    return [
        f"| one recommendation, `{default}`, in-process, 5 liked names with explanations "
        f"({_bundle(found)}, {found['requests']} requests; {_load(found)}) | "
        f"{cell['p50']:.2f} ms p50{beside}, {cell['p99']:.2f} ms p99 | "
        f"≤ {found['target_ms']:g} ms p50 | {_verdict(cell['p50'] <= found['target_ms'])} |"
    ]


ROWS = {
    "browser_timing": _browser,
    "startup_time": _startup,
    "history_speed_visit": _history,
    "latency": _latency,
}


def readme_table() -> str:
    lines = ["| what | measured | target | |", "|---|---|---|---|"]
    for row in ROWS.values():
        lines += row()
    return "\n".join(lines)
