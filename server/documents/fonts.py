"""The TrueType fonts embedded in every PDF. Nothing is downloaded: the fonts come from the
system (Debian's fonts-dejavu) or from Kivy's package data, both covering Vietnamese."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from shared.errors import ErrorCode, RasoatError

REGULAR = "RasoatSans"
BOLD = "RasoatSans-Bold"


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path


def _kivy_fonts() -> Path | None:
    spec = importlib.util.find_spec("kivy")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "data" / "fonts"


def candidates() -> list[FontFiles]:
    """Return the font pairs to try, best first."""
    system = Path("/usr/share/fonts/truetype/dejavu")
    found = [FontFiles(system / "DejaVuSans.ttf", system / "DejaVuSans-Bold.ttf")]
    kivy = _kivy_fonts()
    if kivy is not None:
        found += [
            FontFiles(kivy / "Roboto-Regular.ttf", kivy / "Roboto-Bold.ttf"),
            FontFiles(kivy / "DejaVuSans.ttf", kivy / "DejaVuSans.ttf"),
        ]
    return found


@cache
def register() -> FontFiles:
    """Register the first complete font pair with reportlab and return it; raise
    INTERNAL_ERROR when no font with Vietnamese letters is installed."""
    for pair in candidates():
        if pair.regular.is_file() and pair.bold.is_file():
            pdfmetrics.registerFont(TTFont(REGULAR, str(pair.regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(pair.bold)))
            for name in (REGULAR, BOLD):
                pdfmetrics.registerFontFamily(
                    name, normal=name, bold=BOLD, italic=name, boldItalic=BOLD
                )
            return pair
    raise RasoatError(ErrorCode.INTERNAL_ERROR, problem="no Vietnamese font (fonts-dejavu)")
