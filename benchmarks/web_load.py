"""Load test of the web app (issue: web). Not a test: prints saves per second and page latencies.

    .venv/bin/python benchmarks/web_load.py [--exporters 200] [--saves 20] [--pages 3] [--time-limit 120]
                                            [--workers 1] [--db sqlite:////tmp/load.db]

Starts the app with uvicorn in a second process on 127.0.0.1 (SQLite in a temporary folder unless --db
is given), then simulates `--exporters` exporters at once (asyncio + httpx2, one client and cookie jar
each). Every exporter opens the start page, creates an assessment, fills the firm profile, and then,
theme by theme, loads the questionnaire page and saves its answers one by one through the JSON
endpoint, as the page's script does (values and notes from the demo firms in seeds/). Bounded in
count (`--saves` answers and `--pages` page loads per exporter) and in time (`--time-limit` seconds).
By default every exporter fires its next request as soon as the last one is answered (a stress test);
`--think S` makes each one pause a random 0-2S seconds between actions, as a person reading would.

Prints: saves per second over the whole run, save latency and questionnaire-page latency (median,
95th and 99th percentile), errors, and a check that the database holds exactly the answers whose
save was acknowledged (nothing lost under load).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.api import load_criteria  # noqa: E402

CSRF = re.compile(r'name="csrf(?:-token)?" (?:value|content)="([^"]+)"')


@dataclass
class Stats:
    save_times: list[float] = field(default_factory=list)
    page_times: list[float] = field(default_factory=list)
    page_bytes: list[int] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    acknowledged: set[tuple[str, str]] = field(default_factory=set)  # (token, question id)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def seed_firms() -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "seeds").glob("*.yaml"))]


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


async def think(args: argparse.Namespace) -> None:
    if args.think > 0:
        await asyncio.sleep(random.uniform(0, 2 * args.think))


async def exporter(
    number: int, base: str, firm: dict[str, Any], themes: list[list[str]], args: argparse.Namespace, stats: Stats
) -> None:
    deadline = args.deadline
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60, follow_redirects=False) as client:
        try:
            start = await client.get("/")
            created = await client.post("/assessments", data={"csrf": csrf_of(start.text)})
            token = created.headers["location"].split("/")[2]
            profile_page = await client.get(f"/a/{token}/profile")
            csrf = csrf_of(profile_page.text)
            profile = firm["firm"]
            data = {
                "csrf": csrf,
                "name": f"{profile['name']} #{number}",
                "credit_code": profile.get("credit_code") or "",
                "industry": profile["industry"],
                "markets": profile["markets"],
                "assessment_date": str(profile["assessment_date"]),
                "assessor": profile.get("assessor") or "",
            }
            response = await client.post(f"/a/{token}/profile", data=data)
            if response.status_code != 303:
                stats.error(f"profile {response.status_code}")
                return
        except (httpx.HTTPError, RuntimeError, KeyError) as exc:
            stats.error(f"start: {type(exc).__name__}")
            return
        answers = firm["answers"]
        saves = pages = 0
        for number_of_theme, question_ids in enumerate(themes, start=1):
            if time.monotonic() > deadline or (saves >= args.saves and pages >= args.pages):
                break
            if pages < args.pages:
                await think(args)
                began = time.perf_counter()
                try:
                    page = await client.get(f"/a/{token}/theme/{number_of_theme}")
                    elapsed = time.perf_counter() - began
                    if page.status_code == 200:
                        stats.page_times.append(elapsed)
                        stats.page_bytes.append(len(page.content))
                    else:
                        stats.error(f"page {page.status_code}")
                except httpx.HTTPError as exc:
                    stats.error(f"page: {type(exc).__name__}")
                pages += 1
            for qid in question_ids:
                if saves >= args.saves or time.monotonic() > deadline:
                    break
                await think(args)
                entry = answers.get(qid)
                entry = entry if isinstance(entry, dict) else {"value": entry}
                body = {"question": qid, "value": entry.get("value"), "note": entry.get("note") or f"note {number}"}
                began = time.perf_counter()
                try:
                    response = await client.post(f"/a/{token}/answer", json=body, headers={"X-CSRF-Token": csrf})
                except httpx.HTTPError as exc:
                    stats.error(f"save: {type(exc).__name__}")
                    continue
                if response.status_code == 200:
                    stats.save_times.append(time.perf_counter() - began)
                    stats.acknowledged.add((token, qid))
                else:
                    stats.error(f"save {response.status_code}")
                saves += 1


async def run_load(base: str, args: argparse.Namespace, stats: Stats) -> float:
    criteria = load_criteria()
    themes = [[q.id for q in theme.questions] for theme in criteria.themes]
    firms = seed_firms()
    args.deadline = time.monotonic() + args.time_limit
    began = time.perf_counter()
    await asyncio.gather(
        *(exporter(n, base, firms[n % len(firms)], themes, args, stats) for n in range(args.exporters))
    )
    return time.perf_counter() - began


def wait_until_up(base: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited before it was ready")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not come up")


def process_tree(pid: int) -> list[int]:
    """The server process and its worker processes (Linux /proc)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in process_tree(int(child)))]


def process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the server's processes, in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(fields[i]) for i in (11, 12))
    return total / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pids: list[int]) -> float:
    """The largest peak resident memory among the server's processes."""
    peaks = [0.0]
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return max(peaks)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def stored_answers(db_path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT a.token, s.question_id FROM answers s JOIN assessments a ON a.id = s.assessment_id"
        ).fetchall()
    return {(token, qid) for token, qid in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exporters", type=int, default=200)
    parser.add_argument("--saves", type=int, default=20, help="answers saved per exporter")
    parser.add_argument("--pages", type=int, default=3, help="questionnaire pages loaded per exporter")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds before exporters stop")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between an exporter's actions (s)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--db", default=None, help="database URL (default: SQLite in a temporary folder)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="assess-web-load-") as folder:
        db_path = Path(folder) / "load.db"
        db_url = args.db or f"sqlite:///{db_path}"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "ASSESS_WEB_DB": db_url,
            "ASSESS_WEB_SECRET": "load-test-secret",
            "ASSESS_WEB_CREATE_LIMIT": str(args.exporters),  # every simulated exporter starts from 127.0.0.1
            "PYTHONPATH": str(ROOT),
        }
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "assess.web.app:create_app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(args.workers),
        ]
        server = subprocess.Popen(command, env=env, cwd=ROOT)
        try:
            wait_until_up(base, server)
            pids = process_tree(server.pid)
            cpu_before = process_cpu_seconds(pids)
            client_before = time.process_time()
            stats = Stats()
            elapsed = asyncio.run(run_load(base, args, stats))
            client_cpu = time.process_time() - client_before
            server_cpu = process_cpu_seconds(pids) - cpu_before
            memory = peak_memory_mb(pids)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()

        saves = len(stats.save_times)
        print(
            f"exporters {args.exporters}, up to {args.saves} saves and {args.pages} pages each, "
            f"think {args.think:g} s, workers {args.workers}"
        )
        print(f"wall time            {elapsed:8.2f} s")
        print(f"saves acknowledged   {saves:8d}   ({saves / elapsed:.1f} saves/s)")
        ms = [t * 1000 for t in stats.save_times]
        print(
            f"save latency         median {median(ms):.0f} ms, "
            f"p95 {percentile(ms, 95):.0f} ms, p99 {percentile(ms, 99):.0f} ms"
        )
        pages = [t * 1000 for t in stats.page_times]
        size = statistics.median(stats.page_bytes) / 1024 if stats.page_bytes else float("nan")
        print(
            f"questionnaire page   {len(pages)} loads, median {median(pages):.0f} ms, "
            f"p95 {percentile(pages, 95):.0f} ms, p99 {percentile(pages, 99):.0f} ms, median size {size:.0f} KiB"
        )
        print(f"errors               {sum(stats.errors.values())} {stats.errors or ''}")
        print(f"CPU                  server {server_cpu:.1f} s ({len(pids)} processes), client {client_cpu:.1f} s")
        print(f"server peak memory   {memory:.0f} MB (largest process)")
        if args.db is None:
            stored = stored_answers(db_path)
            lost = stats.acknowledged - stored
            print(f"stored answers       {len(stored)} of {len(stats.acknowledged)} acknowledged; lost: {len(lost)}")
            return 1 if lost or stats.errors else 0
        return 1 if stats.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
