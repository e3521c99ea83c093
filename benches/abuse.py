#!/usr/bin/env python3
"""Hostile traffic against `backissue serve`, beside steady legitimate traffic.

One server, on loopback. Legitimate readers (from 127.0.0.1) run a paced mix of
hybrid search, a story's related stories, the search page and a story page.
First alone (the baseline), then alongside each attack in turn; each attack comes
from another address (127.0.0.2), as a real attacker's would:

- half-open: 300 connections that send half a request line and stop;
- filter-bomb: the search page with ~3,400 distinct spellings of one sector (`Tech!$`,
  `tEcH*~`, ...; a 60 KB URL),
  in a loop on 2 connections;
- long-query: the resources and trends pages with 21,000 words, in a loop on 2
  connections;
- semantic-burst: 200 distinct semantic queries at once, in waves;
- reindex: an admin re-index of the whole corpus (one issue changed).

For each phase: the legitimate requests' count, error rate and p50/p99 latency,
and what the attack saw. The goal: 0 errors and p99 within 3x of the baseline.

    python3 benches/abuse.py --bin target/release/backissue --index IDX --corpus DIR

Standard library only. The machine is shared and noisy: compare the phases of one
run with each other, as ratios.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

LEGIT_THREADS = 4
PACE_S = 0.05  # each legitimate reader waits this long between requests
TOKEN = "abuse-bench-token"


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


class Legit:
    """Paced readers on keep-alive connections, recording latency and errors."""

    def __init__(self, port, paths):
        self.port = port
        self.paths = paths
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.latencies = []
        self.errors = []

    def reader(self, seed):
        rng = random.Random(seed)
        conn = None
        while not self.stop.is_set():
            path = rng.choice(self.paths)
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.latencies.append(elapsed)
                    if response.status != 200:
                        self.errors.append(f"{response.status} {path[:60]}")
            except Exception as error:  # a reset, a timeout: an error the reader sees
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.latencies.append(elapsed)
                    self.errors.append(f"{type(error).__name__} {path[:60]}")
                try:
                    conn.close()
                except Exception:
                    pass
                conn = None
            time.sleep(PACE_S)

    def run(self, seconds):
        threads = [threading.Thread(target=self.reader, args=(n,), daemon=True) for n in range(LEGIT_THREADS)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        self.stop.set()
        for t in threads:
            t.join(timeout=20)
        return {
            "requests": len(self.latencies),
            "errors": len(self.errors),
            "error_rate": len(self.errors) / max(1, len(self.latencies)),
            "p50_ms": percentile(self.latencies, 50) * 1000,
            "p99_ms": percentile(self.latencies, 99) * 1000,
            "error_kinds": sorted(set(e.split(" ")[0] for e in self.errors)),
        }


def attacker_socket(port, timeout=10):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.bind(("127.0.0.2", 0))
    sock.connect(("127.0.0.1", port))
    return sock


def raw_get(port, path, stop_after_bytes=None):
    """GET from the attacker's address; returns (status, bytes read, seconds)."""
    started = time.perf_counter()
    sock = attacker_socket(port, timeout=30)
    try:
        sock.sendall(f"GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n".encode())
        total = 0
        head = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            if len(head) < 64:
                head += chunk[:64]
            total += len(chunk)
            if stop_after_bytes and total > stop_after_bytes:
                break
        status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
        return status, total, time.perf_counter() - started
    except Exception:
        return 0, 0, time.perf_counter() - started
    finally:
        sock.close()


def half_open(port, stop, report):
    """Keeps 300 connections open with half a request line; reopens closed ones."""
    held = []
    opened = 0
    while len(held) < 300 and not stop.is_set():
        try:
            s = attacker_socket(port)
            s.sendall(b"GET /search?q=lo")
            s.setblocking(False)
            held.append((s, time.monotonic()))
            opened += 1
        except Exception:
            time.sleep(0.01)
    first_wave = list(held)
    time.sleep(1)
    # How long the first wave stays open: the server should drop it.
    closed_after = []
    deadline = time.monotonic() + 60
    pending = list(first_wave)
    while pending and not stop.is_set() and time.monotonic() < deadline:
        still = []
        for s, t0 in pending:
            try:
                data = s.recv(1024)
                if data == b"":
                    closed_after.append(time.monotonic() - t0)
                    s.close()
                    continue
            except BlockingIOError:
                pass
            except Exception:
                closed_after.append(time.monotonic() - t0)
                s.close()
                continue
            still.append((s, t0))
        pending = still
        time.sleep(0.2)
    stop.wait()
    for s, _ in pending:
        s.close()
    report["opened"] = opened
    report["closed_by_server"] = len(closed_after)
    report["still_open_at_end"] = len(pending)
    if closed_after:
        report["closed_after_s_median"] = round(statistics.median(closed_after), 1)
        report["closed_after_s_max"] = round(max(closed_after), 1)


def loop_get(port, paths, stop, report, threads=2, cap_bytes=200_000_000):
    statuses, sizes, times = [], [], []
    lock = threading.Lock()

    def worker():
        while not stop.is_set():
            status, size, seconds = raw_get(port, random.choice(paths), cap_bytes)
            with lock:
                statuses.append(status)
                sizes.append(size)
                times.append(seconds)

    ts = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in ts:
        t.start()
    stop.wait()
    for t in ts:
        t.join(timeout=60)
    report["requests"] = len(statuses)
    report["statuses"] = sorted(set(statuses))
    if sizes:
        report["max_bytes"] = max(sizes)
        report["median_s"] = round(statistics.median(times), 3)


def semantic_burst(port, stop, report):
    words = ["grid", "outage", "robot", "loan", "chip", "model", "policy", "energy", "bank",
             "health", "drug", "trial", "launch", "merger", "quantum", "battery", "satellite"]
    statuses = []
    lock = threading.Lock()
    wave = 0
    while not stop.is_set():
        wave += 1

        def one(n, wave=wave):
            rng = random.Random(wave * 1000 + n)
            q = " ".join(rng.sample(words, 4)) + f" {wave}x{n}"
            status, _, _ = raw_get(port, "/api/search?mode=semantic&q=" + urllib.parse.quote(q))
            with lock:
                statuses.append(status)

        ts = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(200)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(timeout=60)
    report["waves"] = wave
    report["requests"] = len(statuses)
    report["statuses"] = {str(s): statuses.count(s) for s in sorted(set(statuses))}


def reindex(port, corpus, stop, report):
    # Change one issue so the re-index has real work (parse, embed, write).
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".txt"))
    path = os.path.join(corpus, files[len(files) // 2])
    with open(path, "a") as f:
        f.write("\n")
    started = time.perf_counter()
    try:
        sock = attacker_socket(port, timeout=600)
        sock.sendall(
            f"POST /api/admin/reindex HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {TOKEN}\r\n"
            f"content-length: 0\r\nconnection: close\r\n\r\n".encode()
        )
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        report["status"] = int(data.split(b" ")[1]) if data.startswith(b"HTTP/") else 0
    except Exception as error:
        report["status"] = type(error).__name__
    report["seconds"] = round(time.perf_counter() - started, 1)
    stop.wait()


def wait_ready(port, server, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited: {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except Exception:
            pass
        time.sleep(0.5)
    sys.exit("the server was not ready in time")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--index", required=True, help="an index of --corpus (copied; not changed)")
    ap.add_argument("--corpus", required=True, help="the corpus (copied; not changed)")
    ap.add_argument("--seconds", type=float, default=20, help="length of each phase")
    ap.add_argument("--port", type=int, default=18473)
    ap.add_argument("--only", help="comma-separated phases to run besides the baseline")
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="abuse-")
    corpus = os.path.join(work, "corpus")
    index = os.path.join(work, "index")
    shutil.copytree(args.corpus, corpus)
    shutil.copytree(args.index, index, ignore=shutil.ignore_patterns("indexer.lock"))
    env = dict(os.environ, BACKISSUE_ADMIN_TOKEN=TOKEN, RUST_LOG="error")
    server = subprocess.Popen(
        [args.bin, "serve", "--no-index", "--index", index, "--corpus", corpus,
         "--bind", f"127.0.0.1:{args.port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(args.port, server)
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        conn.request("GET", "/api/search?q=loan&mode=keyword&section=top_story&limit=20")
        hits = json.loads(conn.getresponse().read())["hits"]
        stories = [h["id"] for h in hits] or ["2025-01-03/top/1"]
        queries = ["chip export controls", "grid outage after a bad rollout", "who raised money for robots",
                   "data center power", "bank loan", "new chief executive"]
        paths = []
        for q in queries:
            paths.append("/api/search?q=" + urllib.parse.quote(q))
            paths.append("/search?q=" + urllib.parse.quote(q))
        for s in stories[:10]:
            paths.append(f"/api/stories/{s}/related")
            paths.append(f"/stories/{s}")
        # Warm the caches the readers use, as a running site's would be.
        for p in paths:
            conn.request("GET", p)
            conn.getresponse().read()

        # 3,400 distinct spellings that all slug to `tech`: case and punctuation.
        punct = "!$*~()'"
        spellings = []
        for n in range(3400):
            case = "".join(c.upper() if (n >> i) & 1 else c for i, c in enumerate("tech"))
            tail = "".join(punct[(n >> (4 + 3 * k)) % len(punct)] for k in range(3))
            spellings.append(case + tail + punct[n % len(punct)])
        spellings = list(dict.fromkeys(spellings))
        bomb = "/search?q=loan&" + "&".join(f"sector={urllib.parse.quote(s)}" for s in spellings)
        words = "+".join(["a"] * 21000)
        attacks = {
            "half-open": lambda stop, rep: half_open(args.port, stop, rep),
            "filter-bomb": lambda stop, rep: loop_get(args.port, [bomb], stop, rep),
            "long-query": lambda stop, rep: loop_get(
                args.port, [f"/resources?q={words}", f"/trends?term={words}"], stop, rep),
            "semantic-burst": lambda stop, rep: semantic_burst(args.port, stop, rep),
            "reindex": lambda stop, rep: reindex(args.port, corpus, stop, rep),
        }
        chosen = list(attacks) if not args.only else args.only.split(",")
        results = []
        base = Legit(args.port, paths).run(args.seconds)
        results.append(("baseline", base, {}))
        print(f"baseline: {base}", flush=True)
        for name in chosen:
            stop = threading.Event()
            report = {}
            attacker = threading.Thread(target=attacks[name], args=(stop, report), daemon=True)
            attacker.start()
            time.sleep(1)  # let the attack take hold
            legit = Legit(args.port, paths).run(args.seconds)
            stop.set()
            attacker.join(timeout=120)
            alive = server.poll() is None
            report["server_alive"] = alive
            results.append((name, legit, report))
            print(f"{name}: {legit} | attack: {report}", flush=True)
            if not alive:
                break
            time.sleep(2)
        print()
        print("| phase | legit requests | errors | p50 ms | p99 ms | p99 / baseline | what the attack saw |")
        print("|---|---|---|---|---|---|---|")
        for name, legit, report in results:
            ratio = legit["p99_ms"] / base["p99_ms"] if base["p99_ms"] else float("nan")
            print(f"| {name} | {legit['requests']} | {legit['errors']} ({legit['error_rate']:.1%}) | "
                  f"{legit['p50_ms']:.1f} | {legit['p99_ms']:.1f} | {ratio:.2f} | "
                  f"{json.dumps(report) if report else ''} |")
        if args.json:
            with open(args.json, "w") as f:
                json.dump([{"phase": n, "legit": l, "attack": r} for n, l, r in results], f, indent=1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
