"""A production deployment builds from a fresh clone: collectstatic with production settings
succeeds, and every static file a template names is in the manifest (a name missing there is a
500 on every page in production, and never in development)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_DIR: Path = settings.PROJECT_DIR

# Compression (brotli and gzip over every file) is WhiteNoise's own and takes ten seconds or more
# on a busy machine; the manifest is ours to break, so the test builds it without compressing.
COLLECTSTATIC_WITHOUT_COMPRESSION = """
import logging
import django
from whitenoise.compress import Compressor
Compressor.should_compress = lambda self, filename: False
django.setup()
from django.core.management import call_command
call_command("collectstatic", "--noinput", verbosity=0)
logging.getLogger("stagewise").warning("Searched %s", "/learners/?name=Ailsa+Campbell")
"""


def production_environment(static_root: Path) -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("STAGEWISE_") and name != "DATABASE_URL"
    }
    return inherited | {
        "DJANGO_SETTINGS_MODULE": "stagewise.settings",
        "PYTHONPATH": str(PROJECT_DIR / "src"),
        "STAGEWISE_ENVIRONMENT": "production",
        "STAGEWISE_SECRET_KEY": "production-build-test-" + "k" * 50,
        "STAGEWISE_ALLOWED_HOSTS": "stagewise.example",
        "STAGEWISE_EMAIL_HOST": "smtp.stagewise.example",
        "STAGEWISE_DEFAULT_FROM_EMAIL": "no-reply@stagewise.example",
        "STAGEWISE_STATIC_ROOT": str(static_root),
        # Never opened: collectstatic needs no database.
        "DATABASE_URL": f"sqlite:///{static_root.parent / 'unused.sqlite3'}",
    }


@pytest.fixture(scope="module")
def production_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    static_root = tmp_path_factory.mktemp("production") / "static"
    finished = subprocess.run(
        [sys.executable, "-c", COLLECTSTATIC_WITHOUT_COMPRESSION],
        env=production_environment(static_root),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return static_root, finished


@pytest.fixture(scope="module")
def manifest(production_build) -> dict[str, str]:
    static_root, finished = production_build
    assert finished.returncode == 0, finished.stderr
    return json.loads((static_root / "staticfiles.json").read_text())["paths"]


def test_collectstatic_with_production_settings_hashes_the_govuk_stylesheet_and_scripts(
    production_build, manifest
):
    static_root, _finished = production_build
    for name in ("frontend/govuk-frontend.min.css", "frontend/all.bundle.js"):
        assert name in manifest
        assert (static_root / manifest[name]).is_file()
    bundle = (static_root / manifest["frontend/all.bundle.js"]).read_text()
    assert f"sourceMappingURL={Path(manifest['frontend/all.bundle.js.map']).name}" in bundle


def test_every_static_file_a_template_names_is_in_the_manifest(manifest):
    named = {
        match.group(1)
        for template in (PROJECT_DIR / "src" / "stagewise").rglob("*.html")
        for match in re.finditer(r"{%\s*static\s+['\"]([^'\"]+)['\"]", template.read_text())
    }

    assert named, "no {% static %} found: the pattern above is out of date"
    assert sorted(named - manifest.keys()) == []


def test_production_logs_are_json_lines_without_query_strings(production_build):
    _static_root, finished = production_build
    line = json.loads(finished.stderr.strip().splitlines()[-1])

    assert line["level"] == "WARNING" and line["logger"] == "stagewise"
    assert line["message"] == "Searched /learners/?[redacted]"
    assert "time" in line
