#!/usr/bin/env python3
"""Write crates/engine/data/lexicon.tsv from WordNet 3.0's index files.

    apt-get install wordnet-base          # Debian's package of Princeton WordNet 3.0
    python3 scripts/wordnet_lexicon.py /usr/share/wordnet > crates/engine/data/lexicon.tsv

One line per single-word lemma (letters, `-` and `'` only): the lemma, then for noun,
verb, adjective and adverb how often its senses were tagged in WordNet's semantic
concordance plus one when the lemma has that part of speech at all (0 when it has
not). Then the irregular forms of the `*.exc` files, `=FORM<TAB>POS<TAB>LEMMA`.
`trends::lexicon` reads it to tell nouns and adjectives from verbs and adverbs, so
topic phrases are noun phrases. WordNet is general English, not fitted to any
archive; see LICENSE-WordNet for its licence.
"""
import os
import re
import sys

WORD = re.compile(r"^[a-z][a-z'-]*$")


def main(folder):
    counts = {}
    for column, pos in enumerate(["noun", "verb", "adj", "adv"]):
        with open(os.path.join(folder, f"index.{pos}"), encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.split()
                lemma = parts[0]
                if not WORD.match(lemma):
                    continue
                pointers = int(parts[3])
                tagged = int(parts[5 + pointers])
                counts.setdefault(lemma, [0, 0, 0, 0])[column] = tagged + 1
    print("# lemma<TAB>noun<TAB>verb<TAB>adj<TAB>adv (tagged senses + 1; 0: not that part"
          " of speech), then =form<TAB>pos<TAB>lemma; from WordNet 3.0"
          " (scripts/wordnet_lexicon.py); see LICENSE-WordNet")
    for lemma in sorted(counts):
        print(lemma + "\t" + "\t".join(str(c) for c in counts[lemma]))
    for pos in ["noun", "verb", "adj"]:
        with open(os.path.join(folder, f"{pos}.exc"), encoding="latin-1") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and WORD.match(parts[0]) and WORD.match(parts[1]):
                    print(f"={parts[0]}\t{pos[0]}\t{parts[1]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
