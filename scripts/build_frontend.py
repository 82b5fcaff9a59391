#!/usr/bin/env python3
"""Prepare the front-end files Stagewise serves from the npm packages, into var/frontend.

Only GOV.UK services may use the GDS Transport typeface. This copies GOV.UK Frontend's stylesheet
without its @font-face rules and without the typeface's name in font lists, so pages use Arial and
the browser never asks for the font files. Beside it go the only scripts the pages load (GOV.UK
Frontend's bundle with its source map, and HTMX), so collectstatic copies and compresses a handful
of files rather than the packages' 900 (docs/adr/0030-production-build-and-operations.md). Run at
set-up (make install); the output is built, never committed.
"""

import re
import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GOVUK = PROJECT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
SOURCE = GOVUK / "govuk-frontend.min.css"
TARGET_DIR = PROJECT / "var" / "frontend"
TARGET = TARGET_DIR / "govuk-frontend.min.css"
# Served as they are published; the bundle's map is accurate because the bundle is not edited.
SCRIPTS = (
    GOVUK / "all.bundle.js",
    GOVUK / "all.bundle.js.map",
    PROJECT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js",
)

FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
TYPEFACE_IN_LIST = re.compile(r'font-family:\s*"?GDS Transport"?\s*,')
TYPEFACE_ALONE = re.compile(r'font-family:\s*"?GDS Transport"?\s*(?=[;}])')
SOURCE_MAP_COMMENT = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/\s*")


def without_typeface(css: str) -> str:
    css = FONT_FACE.sub("", css)
    css = TYPEFACE_IN_LIST.sub("font-family:", css)
    css = TYPEFACE_ALONE.sub("font-family:arial,sans-serif", css)
    # The package's source map describes the stylesheet before these edits, so it would mislead;
    # and collectstatic's manifest storage refuses a stylesheet whose map is not beside it.
    return SOURCE_MAP_COMMENT.sub("", css)


def main() -> int:
    missing = [str(path) for path in (SOURCE, *SCRIPTS) if not path.exists()]
    if missing:
        print(f"{', '.join(missing)} missing: run npm ci --ignore-scripts first.", file=sys.stderr)
        return 1
    css = without_typeface(SOURCE.read_text(encoding="utf-8"))
    if "GDS Transport" in css:
        print(
            "GDS Transport is still named in the stylesheet: update this script.", file=sys.stderr
        )
        return 1
    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(css, encoding="utf-8")
    for script in SCRIPTS:
        shutil.copyfile(script, TARGET_DIR / script.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
