"""Typesetting on the certificate page: measuring text, wrapping it and shrinking it to fit
its box (long names, titles and URLs never overflow), and drawing centred lines and mixed-font
runs. fpdf2 sets text without shaping or kerning, so a line's width is the sum of its
characters' advance widths."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align

from .fonts import FONT_FILES, Font
from .page import MM_PER_PT

# (family, style) -> {character: advance width in mm per point of font size}, for the process
CHAR_WIDTHS: dict[tuple[str, str], dict[str, float]] = {}


@dataclass(frozen=True)
class Block:
    """Lines of one font, centred on the page, with a gap (mm) above them."""

    lines: tuple[str, ...]
    font: Font
    gap: float = 0.0

    @property
    def height(self) -> float:
        return self.gap + len(self.lines) * self.font.line_height


@dataclass(frozen=True)
class Run:
    text: str
    font: Font


@dataclass(frozen=True)
class Inline:
    """Runs of different fonts on one centred line (e.g. "Chứng nhận / This is to certify that")."""

    runs: tuple[Run, ...]

    @property
    def height(self) -> float:
        return max(r.font.line_height for r in self.runs)


@dataclass(frozen=True)
class Gap:
    height: float


Item = Block | Inline | Gap


class Canvas(FPDF):
    """An A4 page that measures, fits and draws the certificate's text."""

    def use(self, font: Font) -> None:
        # Register a face on first use only: every registered face is parsed, subset and
        # embedded, which is most of the rendering time.
        key = f"{font.family.lower()}{font.style}"
        if key not in self.fonts:
            self.add_font(font.family, font.style, FONT_FILES[(font.family, font.style)])
            # Subsetting keeps outlines as they are: without this, fontTools unpacks and
            # re-encodes every embedded glyph to recompute bounding boxes that cannot have
            # changed (a third of the rendering time).
            self.fonts[key].ttfont.recalcBBoxes = False
        self.set_font(font.family, font.style, font.size)
        self.set_text_color(*font.color)

    def width_of(self, text: str, font: Font) -> float:
        """Width of ``text`` in mm: the sum of its characters' advance widths.

        fpdf2 sets text without shaping or kerning, so widths add up; per-character widths
        (mm per point of font size) are cached per face for the whole process.
        """
        table = CHAR_WIDTHS.setdefault((font.family, font.style), {})
        missing = set(text).difference(table)
        if missing:
            self.use(font.sized(100))
            for ch in missing:
                table[ch] = self.get_string_width(ch) / 100
            self.use(font)
        return sum(table[ch] for ch in text) * font.size

    def wrap(self, text: str, font: Font, width: float) -> list[str]:
        """Greedy word-wrap into lines no wider than ``width`` mm (overlong words are split)."""
        space = self.width_of(" ", font)
        lines: list[str] = []
        line, line_w = "", 0.0
        for word in text.split(" "):
            word_w = self.width_of(word, font)
            if word_w > width:  # e.g. a URL: break it between characters
                if line:
                    lines.append(line)
                line, line_w = "", 0.0
                for ch in word:
                    ch_w = self.width_of(ch, font)
                    if line and line_w + ch_w > width:
                        lines.append(line)
                        line, line_w = "", 0.0
                    line, line_w = line + ch, line_w + ch_w
            elif not line:
                line, line_w = word, word_w
            elif line_w + space + word_w <= width:
                line, line_w = f"{line} {word}", line_w + space + word_w
            else:
                lines.append(line)
                line, line_w = word, word_w
        if line:
            lines.append(line)
        return lines

    def fit(
        self,
        text: str,
        font: Font,
        width: float,
        *,
        single_min: float,
        max_lines: int = 1,
        multi_min: float | None = None,
    ) -> tuple[Font, list[str]]:
        """Largest font size (down to a floor) at which ``text`` fits the box.

        One line is preferred: shrink from ``font.size`` to ``single_min`` first; then wrap
        to at most ``max_lines`` lines, shrinking down to ``multi_min``. If even that fails,
        the last line is cut with an ellipsis (a defensive fallback for absurd input).
        """
        if not text:
            return font, []
        full = self.width_of(text, font)
        if full <= width:
            return font, [text]
        size = math.floor(font.size * width / full * 2) / 2  # widths scale with the size
        if size >= single_min and self.width_of(text, font.sized(size)) <= width:
            return font.sized(size), [text]
        floor = multi_min if multi_min is not None else single_min
        size = font.size
        lines: list[str] = []
        f = font
        while size >= floor - 1e-9:
            f = font.sized(size)
            lines = self.wrap(text, f, width)
            if len(lines) <= max_lines:
                return f, lines
            size -= 0.5
        lines = lines[:max_lines]
        lines[-1] = self.ellipsize(lines[-1] + "…", f, width)
        return f, lines

    def ellipsize(self, text: str, font: Font, width: float) -> str:
        while len(text) > 1 and self.width_of(text, font) > width:
            text = text[:-2].rstrip() + "…"
        return text

    def draw_lines(self, lines: Sequence[str], font: Font, x: float, y: float, w: float) -> float:
        """Draw centred lines in the column [x, x + w]; return the y below them."""
        self.use(font)
        for line in lines:
            self.set_xy(x, y)
            self.cell(w, font.line_height, line, align=Align.C)
            y += font.line_height
        return y

    def runs_width(self, runs: Sequence[Run]) -> float:
        return sum(self.width_of(run.text, run.font) for run in runs)

    def draw_runs(self, runs: Sequence[Run], cx: float, y: float) -> float:
        """Draw mixed-font runs on one line centred on ``cx`` (aligned on a common baseline)."""
        line_h = max(r.font.line_height for r in runs)
        ascent = max(r.font.size for r in runs) * MM_PER_PT * 0.8
        x = cx - self.runs_width(runs) / 2
        for run in runs:
            self.use(run.font)
            self.text(x, y + (line_h - ascent) / 2 + ascent * 0.9, run.text)
            x += self.width_of(run.text, run.font)
        return y + line_h
