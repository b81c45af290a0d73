"""The certificate page's geometry and colours: A4 landscape, in millimetres."""

from __future__ import annotations

PAGE_W = 297.0  # A4 landscape, millimetres
PAGE_H = 210.0
MM_PER_PT = 25.4 / 72

INK = (27, 48, 79)  # deep navy: main text and outer border
ACCENT = (158, 124, 56)  # muted gold: inner border and rules
GREY = (96, 100, 108)  # English (secondary) lines
RED = (180, 28, 36)  # status note (e.g. revoked)

MARGIN_OUTER = 8.0
MARGIN_INNER = 11.5
CONTENT_X = 30.0
CONTENT_W = PAGE_W - 2 * CONTENT_X
MIDDLE_BOTTOM = 142.0  # the body must end above the QR / signature band
BAND_TOP = 146.0
BAND_BOTTOM = PAGE_H - MARGIN_INNER - 4.0
QR_X = 24.0
QR_SIZE = 31.0
SIGN_W = 104.0
SIGN_X = PAGE_W - 24.0 - SIGN_W
LOGO_X = MARGIN_INNER + 2.5  # the logo's box, left of CONTENT_X
LOGO_SIZE = CONTENT_X - LOGO_X - 1.5
