"""Measure the HTTP API beside a bare FastAPI endpoint, both under real uvicorn on loopback.

Prints requests per second and p50/p99 latency for ``POST /mapping/validate`` on SyncToScale
and on a bare endpoint (``benchmarks/bare_app.py``) in the same run, their ratio, and the
time from ``POST /workflows/{id}/run`` to a succeeded run. Each server runs in its own
process; the load comes from client threads in this one. Every phase stops after
``--requests`` requests or ``--max-seconds`` seconds, whichever comes first.

    python benchmarks/api.py --requests 3000 --concurrency 8
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VALIDATE_BODY = {
    "payload": {"first_name": "Jordan", "email": "jordan@example.com", "start_date": "12/01/2025"},
    "expected_schema": {"first_name": "string", "email": "email", "start_date": "date"},
}
# How often a client polls a submitted run, as a client of a real deployment might.
POLL_SECONDS = 0.02
WORKFLOW = {
    "id": "bench",
    "steps": [
        {"id": "check", "type": "validate", "expected_schema": {"email": "email"}},
        {"id": "send", "type": "action", "provider": "echo", "action": "echo"},
    ],
}


@dataclass
class Result:
    name: str
    count: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def line(self) -> str:
        p50, p99 = _percentile(self.latencies, 50), _percentile(self.latencies, 99)
        return (
            f"{self.name:<34} {self.count:>6} requests  {self.rate:>8.1f}/s  "
            f"p50 {p50 * 1000:>7.2f} ms  p99 {p99 * 1000:>7.2f} ms"
        )


def main() -> int:
    args = _parse_args()
    with (
        tempfile.TemporaryDirectory() as data_dir,
        _bare_server() as bare_url,
        _synctoscale_server(Path(data_dir)) as (api_url, token),
    ):
        headers = {"Authorization": f"Bearer {token}"}
        _warm_up(bare_url, api_url, headers)

        bare, ours, ratios = _alternate_rounds(bare_url, api_url, headers, args)
        runs = _run_to_completion(api_url, headers, args) if args.runs else None

    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, concurrency {args.concurrency}"
    )
    for result in (bare, ours, runs):
        if result is not None:
            print(result.line())
    print(
        f"/mapping/validate vs bare: {ours.rate / bare.rate:.2f}x throughput over all rounds, "
        f"median round {statistics.median(ratios):.2f}x (target 0.70x)"
    )
    if runs is not None:
        print(f"run to completion vs bare: {runs.rate / bare.rate:.2f}x throughput")
    return 0


def _alternate_rounds(
    bare_url: str, api_url: str, headers: dict[str, str], args: argparse.Namespace
) -> tuple[Result, Result, list[float]]:
    """Load the two servers in alternating rounds and return totals and per-round ratios.

    Alternating makes a change in the machine's load affect both servers alike.
    """
    per_round = max(1, args.requests // args.rounds)
    bare = Result("bare FastAPI POST /mapping/validate", 0, 0.0, [])
    ours = Result("SyncToScale POST /mapping/validate", 0, 0.0, [])
    ratios = []
    for _ in range(args.rounds):
        bare_round = _load(bare.name, bare_url, {}, args, _post_validate, per_round)
        ours_round = _load(ours.name, api_url, headers, args, _post_validate, per_round)
        ratios.append(ours_round.rate / bare_round.rate)
        for total, part in ((bare, bare_round), (ours, ours_round)):
            total.count += part.count
            total.seconds += part.seconds
            total.latencies += part.latencies
    return bare, ours, ratios


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per phase (max)")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds per server")
    parser.add_argument("--runs", type=int, default=300, help="workflow runs (max); 0 skips")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time cap per phase")
    return parser.parse_args()


def _post_validate(client: httpx.Client) -> None:
    response = client.post("/mapping/validate", json=VALIDATE_BODY)
    if response.status_code != 200:
        raise RuntimeError(f"unexpected {response.status_code}: {response.text[:200]}")


def _load(
    name: str,
    base_url: str,
    headers: dict[str, str],
    args: argparse.Namespace,
    request: Callable[[httpx.Client], None],
    total: int | None = None,
) -> Result:
    """Send up to ``total`` requests from ``args.concurrency`` threads; time each one."""
    remaining = [total or args.requests]
    lock = threading.Lock()
    latencies: list[float] = []
    deadline = time.monotonic() + args.max_seconds

    def worker() -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                request(client)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, len(latencies), time.perf_counter() - started, latencies)


def _run_to_completion(base_url: str, headers: dict[str, str], args: argparse.Namespace) -> Result:
    """Submit runs and poll each until it succeeds; the latency is submit to observed success."""
    with httpx.Client(base_url=base_url, headers=headers) as client:
        client.post("/workflows", json=WORKFLOW).raise_for_status()

    def submit_and_wait(client: httpx.Client) -> None:
        response = client.post("/workflows/bench/run", json={"payload": {"email": "a@example.com"}})
        run_id = response.json()["run_id"]
        while True:
            status = client.get(f"/runs/{run_id}").json()["status"]
            if status == "succeeded":
                return
            if status in ("failed", "cancelled"):
                raise RuntimeError(f"run {run_id} ended {status}")
            time.sleep(POLL_SECONDS)

    return _load(
        "SyncToScale run submit -> succeeded", base_url, headers, args, submit_and_wait, args.runs
    )


def _warm_up(bare_url: str, api_url: str, headers: dict[str, str]) -> None:
    for url, extra in ((bare_url, {}), (api_url, headers)):
        with httpx.Client(base_url=url, headers=extra) as client:
            for _ in range(50):
                _post_validate(client)


@contextmanager
def _bare_server() -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(ROOT / "benchmarks"),
        "bare_app:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with _process(command, os.environ.copy(), port) as url:
        yield url


@contextmanager
def _synctoscale_server(data_dir: Path) -> Iterator[tuple[str, str]]:
    port = _free_port()
    environment = {
        **os.environ,
        "SYNCTOSCALE_DATA_DIR": str(data_dir),
        "SYNCTOSCALE_RATE_LIMIT": "100000000/hour",
        "SYNCTOSCALE_TOKEN_RATE_LIMIT": "100000000/hour",
    }
    command = [
        sys.executable,
        "-m",
        "synctoscale.cli",
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with _process(command, environment, port) as url:
        yield url, (data_dir / "default-token").read_text().strip()


@contextmanager
def _process(command: list[str], environment: dict[str, str], port: int) -> Iterator[str]:
    process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start within {timeout} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


if __name__ == "__main__":
    sys.exit(main())
