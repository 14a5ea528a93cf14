"""Text helpers shared by importers and search."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Letters that NFKD does not decompose into base letter + combining mark.
_SPECIAL = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})


def normalize_search(text: str | None) -> str:
    """Lower-case, strip accents, turn hyphens/apostrophes/punctuation into single spaces.

    >>> normalize_search("Saint-Étienne")
    'saint etienne'
    >>> normalize_search("L'Haÿ-les-Roses")
    'l hay les roses'
    """
    if not text:
        return ""
    text = text.lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", stripped).strip()
