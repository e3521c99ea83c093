"""Relevance side by side on a BEIR-format folder: backissue's keyword, semantic and
hybrid search over HTTP, against SQLite FTS5 and tantivy in process. Driven by
benches/beir.sh, which packs and indexes the folder and starts the server.

    beir.py pack CORPUS.jsonl OUT_ISSUES MAP.json
        write the corpus as issue files, 20 documents a week as top stories (the
        approach of shared/eval/scifact-train/pack.py), and MAP.json: story id -> corpus id
    beir.py run DIR [--map MAP.json --base-url URL] [--split S] [--limit-queries N]
                    [--json FILE] [--index-seconds S]
        score every engine on DIR's judged queries and print one table

Scoring (trec_eval style, as BEIR reports it): nDCG@10 with the qrels' grades as
linear gains and the ideal DCG from the qrels; Recall@100 over documents graded
above 0; queries without a relevant document are left out. As in BEIR, a hit whose
id is the query's own id is dropped. Latency: p50 of each query's wall time, over
HTTP (one kept-alive connection) for backissue, in process for the others.

Standard library only, except `tantivy` (PyPI), imported when that engine runs.
"""

import argparse
import csv
import datetime
import glob
import http.client
import json
import math
import os
import re
import sqlite3
import statistics
import sys
import time
import urllib.parse

DEPTH = 100  # Recall@100; also how many hits each engine returns
K = 10  # nDCG@10
MODES = ("keyword", "semantic", "hybrid")


# ---------------------------------------------------------------- the folder


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_qrels(folder, split):
    """{query id: {corpus id: grade}} from qrels/SPLIT.tsv (header optional)."""
    files = sorted(glob.glob(os.path.join(folder, "qrels", "*.tsv")))
    if not files:
        sys.exit(f"beir: no qrels/*.tsv in {folder}")
    if split:
        path = os.path.join(folder, "qrels", f"{split}.tsv")
    elif len(files) == 1:
        path = files[0]
    else:
        path = os.path.join(folder, "qrels", "test.tsv")
        if not os.path.exists(path):
            sys.exit(f"beir: several qrels files ({', '.join(map(os.path.basename, files))}); choose one with --split")
    qrels = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) < 3 or row[0] == "query-id":
                continue
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return os.path.basename(path), qrels


def judged_queries(folder, qrels, limit):
    """The queries with at least one relevant document, in file order."""
    out = []
    for q in read_jsonl(os.path.join(folder, "queries.jsonl")):
        qid = str(q["_id"])
        if any(g > 0 for g in qrels.get(qid, {}).values()):
            out.append((qid, q["text"]))
    return out[:limit] if limit else out


def one_line(s):
    return " ".join(str(s or "").split())


# ---------------------------------------------------------------- scoring


def ndcg(ranked, judged, k=K):
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked, judged, depth=DEPTH):
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant & set(ranked[:depth])) / len(relevant)


def dedup(ids, qid):
    """Corpus ids, each at its first rank, the query's own id left out (BEIR)."""
    seen, out = set(), []
    for d in ids:
        if d is not None and d != qid and d not in seen:
            seen.add(d)
            out.append(d)
    return out


# ---------------------------------------------------------------- engines

TOKEN = re.compile(r"[^\W_]+")  # letters and digits: what unicode61 and tantivy split on


def tokens(text):
    return TOKEN.findall(text)


class Fts5:
    """SQLite FTS5, porter over unicode61, title and text as two columns, bm25."""

    name = "SQLite FTS5 (porter)"

    def __init__(self, docs):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(cid UNINDEXED, title, text, tokenize='porter unicode61')")
        with self.db:
            self.db.executemany(
                "INSERT INTO docs(cid, title, text) VALUES (?, ?, ?)",
                ((d["_id"], d.get("title") or "", d.get("text") or "") for d in docs),
            )

    def search(self, text):
        terms = tokens(text)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.db.execute(
            "SELECT cid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, DEPTH)
        )
        return [r[0] for r in rows]


class Tantivy:
    """tantivy, the en_stem tokenizer on title and text, an OR of the query's words."""

    name = "tantivy (en_stem)"

    def __init__(self, docs):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("cid", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", tokenizer_name="en_stem")
        builder.add_text_field("text", tokenizer_name="en_stem")
        self.index = tantivy.Index(builder.build())
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        for d in docs:
            writer.add_document(tantivy.Document(cid=d["_id"], title=d.get("title") or "", text=d.get("text") or ""))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, text):
        # Lower-cased letters and digits only: nothing the query language reads as
        # syntax (AND, OR, NOT, quotes, colons) is left, so no escaping is needed.
        terms = [t.lower() for t in tokens(text)]
        if not terms:
            return []
        query = self.index.parse_query(" ".join(terms), ["title", "text"])
        hits = self.searcher.search(query, DEPTH).hits
        return [self.searcher.doc(addr)["cid"][0] for _, addr in hits]


class Backissue:
    """`backissue serve` over HTTP: GET /api/search, one mode."""

    def __init__(self, base_url, mode, story_to_doc, limits):
        self.mode, self.map, self.limits = mode, story_to_doc, limits
        self.name = f"backissue {mode}"
        u = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.truncated = 0

    def search(self, text):
        # A finished query, as `backissue eval` runs it: the trailing space keeps the
        # last word from being completed as a prefix. Copies are not collapsed: the
        # judgments are per document.
        q = text.strip()
        if len(q) >= self.limits["max_query_chars"]:
            q = q[: self.limits["max_query_chars"] - 1]
            self.truncated += 1
        q += " "
        ids, offset, page = [], 0, min(DEPTH, self.limits["max_limit"])
        while len(ids) < DEPTH and offset <= self.limits["max_offset"]:
            params = {"q": q, "mode": self.mode, "limit": min(page, DEPTH - len(ids)), "offset": offset, "collapse": "false"}
            answer = get_json(self.conn, "/api/search?" + urllib.parse.urlencode(params))
            hits = answer["hits"]
            ids += [h["id"] for h in hits]
            offset += len(hits)
            if len(hits) < params["limit"] or offset >= answer.get("total", 0):
                break
        return [self.map.get(i) for i in ids]


def get_json(conn, path):
    for attempt in range(3):
        try:
            conn.request("GET", path, headers={"Accept": "application/json"})
            r = conn.getresponse()
            body = r.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            if attempt == 2:
                raise
            continue
        if r.status == 503 and attempt < 2:  # busy: try again once it has settled
            time.sleep(0.5)
            continue
        if r.status != 200:
            sys.exit(f"beir: GET {path[:200]} answered {r.status}: {body[:300]!r}")
        return json.loads(body)


def wait_ready(base_url, timeout):
    u = urllib.parse.urlsplit(base_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    sys.exit(f"beir: {base_url}/readyz not ready after {timeout} s")


def search_limits(base_url):
    """The page-size cap, deepest offset and query-length cap, read from the OpenAPI
    document where it states them, else the values documented today."""
    limits = {"max_limit": 100, "max_offset": 10_000, "max_query_chars": 1000}
    u = urllib.parse.urlsplit(base_url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    spec = get_json(c, "/api/openapi.json")
    c.close()
    params = spec.get("paths", {}).get("/api/search", {}).get("get", {}).get("parameters", [])
    for p in params:
        schema, desc = p.get("schema", {}), p.get("description", "")
        if p.get("name") == "limit":
            m = re.search(r"0 to (\d+)", desc)
            limits["max_limit"] = int(schema.get("maximum") or (m and m.group(1)) or limits["max_limit"])
        elif p.get("name") == "offset":
            m = re.search(r"0 to (\d+)", desc)
            limits["max_offset"] = int(schema.get("maximum") or (m and m.group(1)) or limits["max_offset"])
        elif p.get("name") == "q":
            m = re.search(r"[Aa]t most (\d+) characters", desc)
            limits["max_query_chars"] = int(schema.get("maxLength") or (m and m.group(1)) or limits["max_query_chars"])
    return limits


# ---------------------------------------------------------------- commands


def pack(corpus, out, map_path):
    os.makedirs(out, exist_ok=True)
    docs = read_jsonl(corpus)
    mapping, day = {}, datetime.date(2020, 1, 3)
    for start in range(0, len(docs), 20):
        lines = ["← All posts", "", f"Research digest {start // 20 + 1}", "",
                 "Abstracts from the collection.", "", "Subscribe free All posts"]
        for r, d in enumerate(docs[start:start + 20], 1):
            lines += [f"#{r}", one_line(d.get("title")) or "(no title)", one_line(d.get("text")) or "(no text)",
                      "HealthcareGlobal", str(max(1, 99 - r))]
            mapping[f"{day.isoformat()}/top/{r}"] = str(d["_id"])
        with open(os.path.join(out, f"{day.isoformat()}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        day += datetime.timedelta(days=7)
    with open(map_path, "w", encoding="utf-8") as f:
        json.dump(mapping, f)
    print(f"{len(docs)} docs in {len(mapping) and (len(docs) + 19) // 20} issues")


def run_engine(engine, queries, qrels, log):
    rows, times = [], []
    for n, (qid, text) in enumerate(queries, 1):
        t0 = time.perf_counter()
        ids = engine.search(text)
        ms = (time.perf_counter() - t0) * 1000
        ranked = dedup(ids, qid)
        times.append(ms)
        rows.append({"qid": qid, "ndcg@10": ndcg(ranked, qrels[qid]), "recall@100": recall(ranked, qrels[qid]),
                     "ms": round(ms, 3), "ranked": ranked[:DEPTH]})
        if n % 200 == 0:
            log(f"  {engine.name}: {n}/{len(queries)} queries")
    return {
        "engine": engine.name,
        "ndcg@10": statistics.fmean(r["ndcg@10"] for r in rows),
        "recall@100": statistics.fmean(r["recall@100"] for r in rows),
        "p50_ms": statistics.median(times),
        "seconds": sum(times) / 1000,
        "queries": rows,
    }


def run(args):
    log = lambda msg: print(msg, file=sys.stderr, flush=True)
    split, qrels = read_qrels(args.dir, args.split)
    queries = judged_queries(args.dir, qrels, args.limit_queries)
    if not queries:
        sys.exit("beir: no judged query")
    docs = read_jsonl(os.path.join(args.dir, "corpus.jsonl"))
    for d in docs:
        d["_id"] = str(d["_id"])
    log(f"{len(docs)} documents, {len(queries)} judged queries (qrels/{split})")

    engines, build = [], {}
    if args.base_url:
        wait_ready(args.base_url, args.ready_timeout)
        limits = search_limits(args.base_url)
        log(f"server limits: page {limits['max_limit']}, offset {limits['max_offset']}, "
            f"query {limits['max_query_chars']} chars")
        with open(args.map, encoding="utf-8") as f:
            story_to_doc = {k: str(v) for k, v in json.load(f).items()}
        for mode in MODES:
            engine = Backissue(args.base_url, mode, story_to_doc, limits)
            for _, text in queries[:3]:  # warm up: the first query by meaning loads the model
                engine.search(text)
            engines.append(engine)
    for cls in (Fts5, Tantivy):
        t0 = time.perf_counter()
        engines.append(cls(docs))
        build[cls.name] = time.perf_counter() - t0
        log(f"{cls.name}: indexed in {build[cls.name]:.1f} s")

    results = []
    for engine in engines:
        r = run_engine(engine, queries, qrels, log)
        r["index_seconds"] = build.get(engine.name, args.index_seconds)
        if getattr(engine, "truncated", 0):
            r["queries_truncated"] = engine.truncated
        results.append(r)
        log(f"{engine.name}: {r['seconds']:.1f} s for {len(queries)} queries")

    title = f"{os.path.basename(os.path.abspath(args.dir))}, qrels/{split}: {len(queries)} queries, {len(docs)} documents"
    print(title)
    print()
    print(f"| {'engine':<22} | nDCG@10 | Recall@100 | p50 ms |")
    print(f"|{'-' * 24}|--------:|-----------:|-------:|")
    for r in results:
        print(f"| {r['engine']:<22} | {r['ndcg@10']:7.3f} | {r['recall@100']:10.3f} | {r['p50_ms']:6.2f} |")
    for r in results:
        if r.get("queries_truncated"):
            print(f"note: {r['engine']}: {r['queries_truncated']} queries cut to the server's length cap")

    if args.json:
        report = {
            "folder": os.path.abspath(args.dir), "qrels": split, "documents": len(docs),
            "queries": {qid: text for qid, text in queries},
            "relevant": {qid: qrels[qid] for qid, _ in queries},
            "engines": results,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f)
        log(f"per-query results in {args.json}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    pk = sub.add_parser("pack", help="write a BEIR corpus as issue files")
    pk.add_argument("corpus")
    pk.add_argument("out")
    pk.add_argument("map")
    r = sub.add_parser("run", help="score the engines")
    r.add_argument("dir")
    r.add_argument("--map", help="story id -> corpus id (JSON), with --base-url")
    r.add_argument("--base-url", help="a running `backissue serve`; without it only FTS5 and tantivy run")
    r.add_argument("--split", help="qrels/SPLIT.tsv (default: the only one, else test)")
    r.add_argument("--limit-queries", type=int, default=0, metavar="N", help="the first N judged queries only")
    r.add_argument("--json", metavar="FILE", help="write every engine's per-query results here")
    r.add_argument("--index-seconds", type=float, help="how long backissue took to index (for the JSON)")
    r.add_argument("--ready-timeout", type=float, default=120)
    a = p.parse_args()
    if a.command == "pack":
        pack(a.corpus, a.out, a.map)
    else:
        if a.base_url and not a.map:
            p.error("--base-url needs --map")
        run(a)


if __name__ == "__main__":
    main()
