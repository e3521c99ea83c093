#!/usr/bin/env python3
"""How many of the trend lists' entries are topics, judged by a generated archive's
ground truth (`ground_truth.json` beside its issues).

An entry is a topic when, compared case-insensitively and with a final plural `s`
dropped, its text (or one of its folded variants) is
- an entity of the ground truth (organisation, product, person),
- a planted trend term,
- a sector or region the issues tag events with,
- an event kind of the ground truth (`outage`, `acquisition`, ...), or a phrase that
  ends in one (`grid outage`).

It reports, with the command that reproduces it:
- rising: the share of topics among the top 10 at ten weeks spread over the archive;
- rising: whether every planted rising trend is in the top 10 in the later half of
  its rise;
- bursts: which planted bursts are in the archive-wide top 10, and whether any entry
  lasts longer than 12 weeks.

Usage: python3 benches/topics.py --bin target/release/backissue --index I --corpus corpus
"""

import argparse
import json
import subprocess
import sys

SECTORS = ["Tech", "Healthcare", "Finance & Banking", "Manufacturing", "Education & EdTech", "Energy"]
REGIONS = ["Global", "US", "Japan", "South Korea", "India", "China", "Europe", "UK"]


def norm(text):
    text = " ".join(text.lower().split())
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


def cli(args, *rest):
    out = subprocess.run(
        [args.bin, "trends", *rest, "--index", args.index, "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/backissue")
    parser.add_argument("--index", required=True)
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument(
        "--weeks",
        default="2025-W10,2025-W20,2025-W30,2025-W40,2025-W50,2026-W05,2026-W15,2026-W25,2026-W35,2026-W45",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    truth = json.load(open(f"{args.corpus}/ground_truth.json"))
    entities = {norm(e["name"]) for e in truth["entities"]}
    terms = {norm(t["term"]) for t in truth["trends"]}
    kinds = {norm(e["kind"]) for e in truth["events"]}
    kinds |= {"layoff", "funding", "fundraise", "partnership", "benchmark", "ipo"}
    # Every sector and region the issues tag stories with, and every regional watch.
    tags = set(SECTORS + REGIONS)
    parsed = subprocess.run(
        [args.bin, "parse", args.corpus, "--json"], capture_output=True, text=True
    ).stdout
    for line in parsed.splitlines():
        issue = json.loads(line)
        for story in issue.get("top_stories", []):
            tags.update(story.get("sectors", []) + story.get("regions", []))
        for watch in issue.get("regional_watch", []) or []:
            if isinstance(watch, dict) and watch.get("region"):
                tags.add(watch["region"])
    facets = {norm(t) for t in tags if isinstance(t, str)}

    def is_topic(entry):
        texts = [entry["name"]] + entry.get("also", []) + entry.get("variants", [])
        for text in texts:
            n = norm(text)
            if n in entities or n in terms or n in facets or n in kinds:
                return True
            if n.split(" ")[-1] in kinds:
                return True
        return False

    good = total = 0
    rows = []
    for week in args.weeks.split(","):
        ranking = cli(args, "rising", "--week", week, "--limit", "10")
        topics = ranking["topics"][:10]
        ok = [t for t in topics if is_topic(t)]
        good += len(ok)
        total += len(topics)
        rows.append((week, len(ok), len(topics), [t["name"] for t in topics if not is_topic(t)]))
    print(f"rising: {good} of {total} top-10 entries are topics ({100 * good / max(total, 1):.0f}%)")
    for week, ok, n, bad in rows:
        print(f"  {week}: {ok}/{n}" + (f"  not topics: {bad}" if args.verbose and bad else ""))

    # Every planted rising trend in the top 10 in the later half of its rise.
    missed = []
    checked = 0
    for trend in truth["trends"]:
        if trend["shape"] != "rising":
            continue
        rising = trend.get("rising_weeks") or [w["date"] for w in trend["weekly"] if w["intensity"] > 0]
        for week in rising[len(rising) // 2 :]:
            checked += 1
            topics = cli(args, "rising", "--week", week, "--limit", "10")["topics"]
            shown = {norm(v) for t in topics for v in [t["name"]] + t.get("also", []) + t.get("variants", [])}
            if norm(trend["term"]) not in shown:
                missed.append((trend["term"], week))
    print(f"rising trends in the top 10 in the later half of their rise: {checked - len(missed)} of {checked} weeks")
    for term, week in missed[:20]:
        print(f"  missed: {term} at {week}")

    bursts = cli(args, "bursts", "--limit", "10")
    entries = bursts if isinstance(bursts, list) else bursts.get("bursts", bursts)
    planted = [t for t in truth["trends"] if t["shape"] == "burst"]
    shown = {norm(b["topic"]) for b in entries}
    shown |= {norm(v) for b in entries for v in b.get("variants", []) + b.get("also", [])}
    found = [t["term"] for t in planted if norm(t["term"]) in shown]
    long = [(b["topic"], b["weeks"]) for b in entries if b["weeks"] > 12]
    print(f"bursts: {len(found)} of {len(planted)} planted bursts in the top 10; entries over 12 weeks: {len(long)}")
    for b in entries:
        print(f"  {b['topic']}: {b['start']}..{b['end']} ({b['weeks']} weeks, {b['events']} events, weight {b['weight']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
