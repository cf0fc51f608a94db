"""Write ``models/lexicon_en.txt``: the 20,000 most frequent English words with their counts per
billion words, from the wordfreq package (its data is CC BY-SA 4.0; see the README).

    pip install wordfreq && python scripts/make_lexicon.py

Words are lowercase letters with at most one inner apostrophe ("don't"); the handwriting reader's
training text and its default lexicon both come from this one file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

WORD = re.compile(r"^[a-z]+('[a-z]+)?$")


def main(out: str = "models/lexicon_en.txt", size: int = 20_000) -> None:
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list("en", size * 3) if WORD.match(w) and (len(w) > 1 or w in "ai")][:size]
    lines = [f"{w}\t{max(1, round(word_frequency(w, 'en') * 1e9))}" for w in words]
    tmp = Path(out).with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out}: {len(lines)} words")


if __name__ == "__main__":
    main(*sys.argv[1:2])
