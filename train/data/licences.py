"""The licence of every data source the trainers draw on, stated once; manifests carry them."""

from __future__ import annotations

LICENCES = {
    "fonts": "faces from Debian font packages (scripts/install_fonts.sh), rendered, not shipped: each under its "
    "package's free licence (SIL OFL, GPL with the font exception, Apache 2.0 and the like; "
    "/usr/share/doc/<package>/copyright)",
    "mnist": "MNIST (LeCun, Cortes, Burges): CC BY-SA 3.0",
    "handwritten-chars": "handwritten-chars: a public dataset from an MIT-licensed repository",
    "words": "English words and frequencies from wordfreq's data (CC BY-SA 4.0), models/lexicon_en.txt",
    "prose": "Debian packages fortunes (fortune-mod's collection, see its copyright file) and dict-devil "
    "(Bierce, The Devil's Dictionary, 1911: public domain)",
    "plate-photos": "plate-photos: Open Images photos (CC BY 2.0, each by its author) with licence-plate boxes "
    "(CC BY 4.0)",
}


def licences(*sources: str | None) -> dict[str, str]:
    """The licences of ``sources`` (keys of :data:`LICENCES`; None, for a source a run did without, is
    skipped), for a manifest entry's ``data``."""
    return {s: LICENCES[s] for s in sources if s is not None}
