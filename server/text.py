"""Text folding for search: Vietnamese names without diacritics, case or extra spaces."""

from __future__ import annotations

import unicodedata

# đ/Đ is a separate letter, not d plus a combining mark, so NFD leaves it alone.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics, with single spaces:
    ``fold("  Nguyễn Văn  Đức") == "nguyen van duc"``."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())
