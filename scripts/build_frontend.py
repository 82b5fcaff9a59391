#!/usr/bin/env python3
"""Prepare GOV.UK Frontend's precompiled stylesheet for a service that is not on GOV.UK.

Only GOV.UK services may use the GDS Transport typeface. This copies the stylesheet from the npm
package without its @font-face rules and without the typeface's name in font lists, so pages use
Arial and the browser never asks for the font files. Run at set-up (make install); the output is
built, never committed.
"""

import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SOURCE = PROJECT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.css"
TARGET = PROJECT / "var" / "frontend" / "govuk-frontend.min.css"

FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
TYPEFACE_IN_LIST = re.compile(r'font-family:\s*"?GDS Transport"?\s*,')
TYPEFACE_ALONE = re.compile(r'font-family:\s*"?GDS Transport"?\s*(?=[;}])')


def without_typeface(css: str) -> str:
    css = FONT_FACE.sub("", css)
    css = TYPEFACE_IN_LIST.sub("font-family:", css)
    return TYPEFACE_ALONE.sub("font-family:arial,sans-serif", css)


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: run npm ci --ignore-scripts first.", file=sys.stderr)
        return 1
    css = without_typeface(SOURCE.read_text(encoding="utf-8"))
    if "GDS Transport" in css:
        print(
            "GDS Transport is still named in the stylesheet: update this script.", file=sys.stderr
        )
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(css, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
