#!/usr/bin/env python3
"""Write crates/engine/data/abbreviations.tsv from WordNet 3.0's nouns.

    apt-get install wordnet-base          # Debian's package of Princeton WordNet 3.0
    python3 scripts/wordnet_abbreviations.py /usr/share/wordnet/data.noun \
        > crates/engine/data/abbreviations.tsv

Each noun synset that has an abbreviation among its lemmas (2 to 6 characters,
letters, digits or `&`, at least two of them capitals: `CEO`, `IPO`, `GPU`) gives
one line per abbreviation: the abbreviation, a tab, then the synset's lemmas of
two or more words separated by `|` (`chief executive officer`). Search matches an
abbreviation also as these phrases, and each phrase also as its abbreviation.
WordNet is a general English thesaurus, not fitted to any archive; see
LICENSE-WordNet beside the output for its licence.
"""
import re
import sys
from collections import OrderedDict

ABBREVIATION = re.compile(r"^[A-Za-z0-9&]{2,6}$")


def is_abbreviation(lemma):
    return bool(ABBREVIATION.match(lemma)) and sum(c.isupper() for c in lemma) >= 2


def main(path):
    table = OrderedDict()
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            parts = line.split()
            count = int(parts[3], 16)
            lemmas = [re.sub(r"\(.*\)$", "", parts[4 + 2 * i]) for i in range(count)]
            abbreviations = [l for l in lemmas if is_abbreviation(l)]
            phrases = [l.replace("_", " ").lower() for l in lemmas if "_" in l]
            for abbreviation in abbreviations:
                for phrase in phrases:
                    table.setdefault(abbreviation.lower(), [])
                    if phrase not in table[abbreviation.lower()]:
                        table[abbreviation.lower()].append(phrase)
    print("# abbreviation<TAB>phrase|phrase…, from WordNet 3.0 nouns "
          "(scripts/wordnet_abbreviations.py); see LICENSE-WordNet")
    for abbreviation in sorted(table):
        print(f"{abbreviation}\t{'|'.join(table[abbreviation])}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet/data.noun")
