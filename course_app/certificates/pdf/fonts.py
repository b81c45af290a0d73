"""The faces the certificate is set in, and a font of one face at one size and colour.

Noto Serif / Noto Sans, subset to Latin + Vietnamese and shipped in ``course_app/fonts`` (see
``scripts/subset_fonts.sh``), so no system font is needed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from .page import INK, MM_PER_PT

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
SANS = "NotoSans"
SERIF = "NotoSerif"
# (family, style) -> file. The font files are parsed per document: fpdf2 subsets its
# fontTools object in place when it writes the PDF, so a parsed font cannot be shared.
FONT_FILES: dict[tuple[str, str], Path] = {
    (SANS, ""): FONT_DIR / "NotoSans-Regular.ttf",
    (SANS, "B"): FONT_DIR / "NotoSans-Bold.ttf",
    (SERIF, ""): FONT_DIR / "NotoSerif-Regular.ttf",
    (SERIF, "B"): FONT_DIR / "NotoSerif-Bold.ttf",
    (SERIF, "I"): FONT_DIR / "NotoSerif-Italic.ttf",
}


@dataclass(frozen=True)
class Font:
    family: str
    style: str
    size: float  # points
    color: tuple[int, int, int] = INK

    def sized(self, size: float) -> Font:
        return Font(self.family, self.style, size, self.color)

    @property
    def line_height(self) -> float:  # millimetres
        return self.size * MM_PER_PT * 1.28


def close_fonts(pdf: FPDF) -> None:
    """fpdf2 opens each TTF lazily and never closes it; close them so no file handle leaks."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()
