"""Stagewise is not a GOV.UK service: its pages never name or load the GOV.UK typeface."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[4] / "scripts" / "build_frontend.py"


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_frontend", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_removes_the_typeface_and_its_font_files():
    css = (
        '@font-face{font-family:"GDS Transport";src:url(/assets/fonts/light.woff2)}'
        '.govuk-body{font-family:"GDS Transport",arial,sans-serif}'
        ".govuk-x{font-family:GDS Transport}"
    )

    built = load_build_script().without_typeface(css)

    assert "GDS Transport" not in built and "/assets/fonts" not in built
    assert ".govuk-body{font-family:arial,sans-serif}" in built
    assert ".govuk-x{font-family:arial,sans-serif}" in built


def test_pages_use_the_built_stylesheet(signed_in):
    content = signed_in("teacher").get("/").content.decode()

    assert "/static/frontend/govuk-frontend.min.css" in content
    assert "/static/govuk/govuk-frontend.min.css" not in content
