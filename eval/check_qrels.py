#!/usr/bin/env python3
"""Checks eval/queries.tsv and eval/qrels.txt against corpus/ (standard library only).

- every judged document id exists in the corpus: the issues are split into documents
  with the ids crates/engine/src/document.rs gives them (`2026-03-27/top/2`,
  `2026-03-27/finance-banking/1`, `2026-03-27/insight/4`, `2026-03-27/resource/7`,
  `2026-03-27/path/beginner`, `2026-03-27/path/all-2`, `2026-03-27/uae-watch/3`,
  `2026-03-27/energy/signal`, `2026-03-27/uae-watch/signal`);
- the split agrees with corpus/ground_truth.json: every document id of its events exists
  (a check of this script's own parsing);
- every judged query is in queries.tsv, and no query id or (query, document) pair repeats;
- every grade is 1, 2 or 3;
- every reader question (q..) has at least one grade-3 judgment; hand-written queries
  (h..) without one are listed as notes (a few were judged 2 at most on purpose, e.g. a
  person only quoted in stories), and storyline queries (s..) are judged 2 and 1 by
  design: see eval/README.md;
- every query has at least one judgment.

Run from the repository root: python3 eval/check_qrels.py [--corpus corpus]
Exit status 0 when all checks pass, 1 otherwise.
"""
import os
import re
import sys

SECTORS = ["Tech", "Healthcare", "Finance & Banking", "Manufacturing",
           "Education & EdTech", "Energy"]
LEVELS = {"beginner": "beginner", "intermediate": "intermediate",
          "advanced": "advanced", "all": "all"}


def slug(text):
    """crates/issue/src/id.rs `slug`: `Finance & Banking` -> `finance-banking`."""
    out, pending = [], False
    for c in text:
        if c.isascii() and c.isalnum():
            if pending and out:
                out.append("-")
            pending = False
            out.append(c.lower())
        elif c in "&-_/." or c.isspace():
            pending = True
        elif not c.isascii() and c.isalnum():
            if pending and out:
                out.append("-")
            pending = False
            out.append(c.lower())
    return "".join(out) or "x"


def is_rank(line):
    return re.fullmatch(r"#\d+", line) is not None


def is_minute(line):
    return re.fullmatch(r"~\d+ ?min", line) is not None


def is_url(line):
    return re.fullmatch(r"https?://\S+", line) is not None


def is_source(line):
    return line.startswith("Source: ") and line[len("Source: "):].strip() != ""


def resource_header(line):
    level, _, kind = line.partition(" ")
    return (level.lower() in LEVELS and kind[:1].isupper() and kind.isalpha())


def path_header(line):
    level, sep, _ = line.partition(" ")
    return bool(sep) and level.lower() in LEVELS


def step_line(line):
    number, sep, _ = line.partition(". ")
    return bool(sep) and number.isdigit() and len(number) <= 3


def watch_header(line):
    if not line.endswith(" AI WATCH"):
        return None
    name = line[: -len(" AI WATCH")].strip()
    if any(c.isalpha() for c in name) and not any(c.islower() for c in name):
        return name
    return None


def structural(line):
    return (is_rank(line) or is_minute(line) or line == "Hidden Signal" or line.startswith("Source: ")
            or is_url(line) or resource_header(line) or line.startswith("After this:")
            or step_line(line) or watch_header(line) is not None)


def looks_like_paragraph(line):
    return line.rstrip("\"'”’)").endswith((".", "!", "?", "…")) or len(line) > 160


def split_issue(issue_id, text):
    """The documents of one issue as dicts (id, section, title, body, sector, region)."""
    raw = text.replace("\r\n", "\n").split("\n")
    start = next(i for i, l in enumerate(raw) if l.strip() == "Subscribe free All posts") + 1
    lines = [l.strip() for l in raw[start:] if l.strip()]
    at = lambda i: lines[i] if i < len(lines) else None
    docs, pos = [], 0

    def add(doc_id, section, title, body, **facets):
        docs.append(dict(id=f"{issue_id}/{doc_id}", section=section, title=title,
                         body=body, issue=issue_id, **facets))

    while at(pos) is not None and is_rank(at(pos)):
        add(f"top/{at(pos)[1:]}", "top", at(pos + 1), at(pos + 2), tags=at(pos + 3))
        pos += 5
    n = 0
    while at(pos + 2) is not None and is_minute(at(pos + 2)):
        n += 1
        add(f"insight/{n}", "insight", at(pos), at(pos + 1))
        pos += 3

    def at_brief():
        name = at(pos)
        if name is None or structural(name):
            return False
        if name in SECTORS:
            return True
        if len(name) > 60 or looks_like_paragraph(name):
            return False
        sources, i = 0, pos + 1
        while at(i) is not None:
            line = at(i)
            if line == "Hidden Signal":
                return sources > 0
            if is_source(line):
                sources += 1
            elif structural(line) or line in SECTORS:
                return False
            i += 1
        return False

    def stories(i, is_end):
        found = []
        while True:
            third_is_source = at(i + 2) is not None and is_source(at(i + 2))
            if not third_is_source and at(i) is not None and is_end(at(i)):
                return found, i
            if not third_is_source:
                raise ValueError(f"{issue_id}: expected a story at {at(i)!r}")
            found.append((at(i), at(i + 1), at(i + 2)[len("Source: "):]))
            i += 3

    while at_brief():
        sector = at(pos)
        i = pos + 2
        while at(i) is not None and not at(i).startswith("Source: ") and at(i) != "Hidden Signal":
            i += 1
        found, end = stories(i - 2, lambda l: l == "Hidden Signal")
        for n, (title, body, source) in enumerate(found, 1):
            add(f"{slug(sector)}/{n}", "sector", title, body, sector=sector, source=source)
        add(f"{slug(sector)}/signal", "signal", f"{sector} Hidden Signal", at(end + 1), sector=sector)
        pos = end + 2
    n = 0
    while at(pos) is not None and resource_header(at(pos)) and not (at(pos + 1) and step_line(at(pos + 1))):
        n += 1
        level, _, kind = at(pos).partition(" ")
        add(f"resource/{n}", "resource", at(pos + 1), at(pos + 2), level=level, kind=kind, url=at(pos + 3))
        pos += 4
    seen = {}
    while at(pos) is not None and path_header(at(pos)) and at(pos + 1) and step_line(at(pos + 1)):
        level, _, title = at(pos).partition(" ")
        level = LEVELS[level.lower()]
        seen[level] = seen.get(level, 0) + 1
        i, steps = pos + 1, []
        while at(i) is not None and step_line(at(i)):
            steps.append(at(i))
            i += 3
        steps.append(at(i))  # After this: ...
        suffix = "" if seen[level] == 1 else f"-{seen[level]}"
        add(f"path/{level}{suffix}", "path", title.strip(), "\n".join(steps), level=level)
        pos = i + 1
    caps = at(pos) and watch_header(at(pos))
    if caps:
        def signal(line):
            return line.endswith(" Signal") and line[: -len(" Signal")].upper() == caps.upper()
        found, end = stories(pos + 2, signal)
        region = at(end)[: -len(" Signal")]
        for n, (title, body, source) in enumerate(found, 1):
            add(f"{slug(region)}-watch/{n}", "regional", title, body, region=region, source=source)
        add(f"{slug(region)}-watch/signal", "signal", f"{region} Signal", at(end + 1), region=region)
    return docs


def load_corpus(corpus="corpus"):
    """Every document of the corpus, by id."""
    docs = {}
    for name in sorted(os.listdir(corpus)):
        m = re.match(r"(\d{4}-\d{2}-\d{2}).*\.txt$", name)
        if not m:
            continue
        text = open(os.path.join(corpus, name), encoding="utf-8").read()
        for doc in split_issue(m.group(1), text):
            docs[doc["id"]] = doc
    return docs


def main():
    corpus = sys.argv[sys.argv.index("--corpus") + 1] if "--corpus" in sys.argv else "corpus"
    docs = load_corpus(corpus)
    errors = []
    truth = os.path.join(corpus, "ground_truth.json")
    if os.path.exists(truth):
        import json
        for event in json.load(open(truth, encoding="utf-8")).get("events", []):
            for doc in event["doc_ids"]:
                if doc not in docs:
                    errors.append(f"ground_truth.json: event document {doc} not found by the split")
    queries = {}
    for n, line in enumerate(open("eval/queries.tsv", encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        qid, sep, text = line.partition("\t")
        if not sep or not text.strip():
            errors.append(f"queries.tsv:{n}: expected QID<TAB>query, found {line!r}")
        elif qid in queries:
            errors.append(f"queries.tsv:{n}: query {qid} appears twice")
        queries[qid] = text
    judged, grade3, pairs = {}, set(), set()
    for n, line in enumerate(open("eval/qrels.txt", encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 4 or parts[1] != "0":
            errors.append(f"qrels.txt:{n}: expected `QID 0 DOCID GRADE`, found {line!r}")
            continue
        qid, _, doc, grade = parts
        if qid not in queries:
            errors.append(f"qrels.txt:{n}: query {qid} is not in queries.tsv")
        if doc not in docs:
            errors.append(f"qrels.txt:{n}: document {doc} is not in {corpus}/")
        if grade not in ("1", "2", "3"):
            errors.append(f"qrels.txt:{n}: grade {grade} is not 1, 2 or 3")
        if (qid, doc) in pairs:
            errors.append(f"qrels.txt:{n}: {qid} judges {doc} twice")
        pairs.add((qid, doc))
        judged[qid] = judged.get(qid, 0) + 1
        if grade == "3":
            grade3.add(qid)
    notes = []
    for qid in queries:
        if qid not in judged:
            errors.append(f"query {qid} has no judgments")
        elif qid[:1] == "q" and qid not in grade3:
            errors.append(f"query {qid} has no grade-3 document")
        elif qid[:1] == "h" and qid not in grade3:
            notes.append(qid)
    for e in errors:
        print(e)
    if notes:
        print(f"note: hand-written queries without a grade-3 document: {', '.join(notes)}")
    print(f"{len(docs)} documents in {corpus}/, {len(queries)} queries, "
          f"{sum(judged.values())} judgments: {'OK' if not errors else f'{len(errors)} problems'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
