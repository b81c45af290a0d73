#!/usr/bin/env bash
# Rebuild the bundled Noto fonts (Latin + full Vietnamese) from Debian's fonts-noto-core.
#
#   apt-get install -y fonts-noto-core      # source fonts + licence (Debian 12)
#   scripts/subset_fonts.sh                 # from the repository root
#
# Writes:
#   course_app/fonts/*.ttf          TrueType subsets embedded by the PDF renderer (course_app/certificates/pdf)
#   course_app/static/fonts/*.woff2 WOFF2 subsets for the web UI
#   OFL.txt next to each set (the SIL Open Font License 1.1 text from the Debian package)
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=${NOTO_DIR:-/usr/share/fonts/truetype/noto}
COPYRIGHT=${NOTO_COPYRIGHT:-/usr/share/doc/fonts-noto-core/copyright}
PYFTSUBSET=${PYFTSUBSET:-.venv/bin/pyftsubset}
TTF_OUT=course_app/fonts
WEB_OUT=course_app/static/fonts
FACES="NotoSans-Regular NotoSans-Bold NotoSerif-Regular NotoSerif-Bold NotoSerif-Italic"

# Basic Latin, Latin-1 Supplement, Latin Extended-A/B, combining diacritics,
# Latin Extended Additional (all precomposed Vietnamese letters), general punctuation,
# currency symbols (₫ U+20AB, € U+20AC), plus № ™ − and the dotted circle for marks.
UNICODES="U+0020-007E,U+00A0-00FF,U+0100-017F,U+0180-024F,U+0300-036F,U+1E00-1EFF,\
U+2000-206F,U+20A0-20CF,U+2116,U+2122,U+2212,U+25CC"

# Web fonts keep the OpenType features the browser uses for Vietnamese (stacked marks) and for
# good typography.
FEATURES="kern,liga,clig,calt,ccmp,locl,mark,mkmk,case,lnum,tnum,onum,pnum,frac,sups,subs"

mkdir -p "$TTF_OUT" "$WEB_OUT"

for face in $FACES; do
  # PDF: fpdf2 places precomposed (NFC) glyphs without OpenType shaping and drops the layout
  # tables when it embeds a font; hinting is irrelevant in print. Leaving them out makes the
  # files smaller and the PDF faster to write.
  "$PYFTSUBSET" "$SRC/$face.ttf" \
    --unicodes="$UNICODES" --layout-features='' \
    --no-hinting --drop-tables+=DSIG,GDEF,GPOS,GSUB --name-IDs='*' --name-languages='*' \
    --output-file="$TTF_OUT/$face.ttf"
  # Web: keep hinting (helps small sizes on Windows), WOFF2-compressed with Brotli.
  "$PYFTSUBSET" "$SRC/$face.ttf" \
    --unicodes="$UNICODES" --layout-features="$FEATURES" \
    --drop-tables+=DSIG --name-IDs='*' --name-languages='*' \
    --flavor=woff2 --output-file="$WEB_OUT/$face.woff2"
done

# Licence: the copyright notice of the fonts plus the OFL 1.1 text, taken from the Debian
# copyright file (de-indented; a lone "." marks a blank line in that format).
{
  echo "Noto Sans and Noto Serif (subsets), from Debian package fonts-noto-core."
  echo "Copyright 2010, 2012-2020 Google Inc."
  echo "Copyright 2015-2020 Google LLC."
  echo
  echo "This Font Software is licensed under the SIL Open Font License, Version 1.1."
  echo "Subset to Latin and Vietnamese with fontTools pyftsubset (scripts/subset_fonts.sh)."
  echo
  echo "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007"
  echo
  # The licence text is the stand-alone "License: OFL-1.1" paragraph (after a blank line).
  awk '
    /^License: OFL-1.1$/ && prev == "" { body = 1; prev = $0; next }
    { prev = $0 }
    body && /^[^ ]/ { body = 0 }
    body { line = substr($0, 2); if (line == ".") line = ""; print line }
  ' "$COPYRIGHT"
} > "$TTF_OUT/OFL.txt"
cp "$TTF_OUT/OFL.txt" "$WEB_OUT/OFL.txt"

ls -l "$TTF_OUT" "$WEB_OUT"
