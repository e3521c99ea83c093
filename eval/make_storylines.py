#!/usr/bin/env python3
"""Regenerates the storyline queries (s01, s02, ...) of eval/queries.tsv and eval/qrels.txt
from corpus/ground_truth.json, leaving every other line as it is: the header comments, the
hand-written queries (h01, ...) and the reader questions (q01, ...). Only ids of the form
`s` + two digits are rewritten; the kept lines come first, the storyline lines after them.

For each storyline, the query is the title of the top story of its middle step
(step len//2); the relevant documents are the event documents of every OTHER step of
the storyline: stories (top, sector, regional) grade 2, resources grade 1. The query
step's own documents are not judged.

Run from the repository root: python3 eval/make_storylines.py
"""
import json


def title_of(doc_id):
    """The top story's title: the line after `#N` in its issue file."""
    issue, _, rank = doc_id.split("/")
    lines = open(f"corpus/{issue}.txt", encoding="utf-8").read().split("\n")
    return lines[lines.index(f"#{rank}") + 1]


def storylines():
    truth = json.load(open("corpus/ground_truth.json", encoding="utf-8"))
    queries, qrels = [], []
    for n, story in enumerate(truth["storylines"], 1):
        qid = f"s{n:02d}"
        steps = story["steps"]
        middle = steps[len(steps) // 2]
        top = next(d for d in middle["event_doc_ids"] if "/top/" in d)
        queries.append(f"{qid}\t{title_of(top)}")
        for step in steps:
            if step is middle:
                continue
            for doc in step["event_doc_ids"]:
                grade = 1 if doc.split("/")[1] in ("resource", "path", "insight") else 2
                qrels.append(f"{qid} 0 {doc} {grade}")
    return queries, qrels


def keep_others(path):
    """The file's lines that are not storyline lines (ids starting with `s`)."""
    lines = open(path, encoding="utf-8").read().splitlines()
    return [l for l in lines if not (l[:1] == "s" and l[1:3].isdigit())]


queries, qrels = storylines()
for path, generated in (("eval/queries.tsv", queries), ("eval/qrels.txt", qrels)):
    lines = keep_others(path) + generated
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
print(f"{len(queries)} storyline queries, {len(qrels)} judgments")
