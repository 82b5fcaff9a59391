"""Every string of the interface has a Welsh translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
MSGFMT = shutil.which("msgfmt") or "msgfmt"
IGNORED = ["synthetic/*", "testing/*", "tests/*", "*/tests/*"]

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext is needed to extract strings"
)


def test_the_welsh_catalogue_translates_every_string_in_the_code(tmp_path):
    copy = tmp_path / "stagewise"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    ignore = [argument for pattern in IGNORED for argument in ("--ignore", pattern)]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--locale",
            "cy",
            "--no-obsolete",
            *ignore,
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "stagewise.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(PACKAGE.parent),
        },
    )
    catalogue = copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"

    result = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
