"""`stagewise synth` as the README shows it, on a database nobody has migrated yet: it migrates
first and says so, or, asked not to, says exactly what to run."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

import stagewise

# These run the command on a SQLite file of their own, whatever database the suite is on: the
# same work in both passes of CI, so they run in the SQLite pass only.
pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="runs on a SQLite file of its own; once, in the SQLite pass",
)

PACKAGE_PARENT = Path(stagewise.__file__).resolve().parents[1]


def run_stagewise(database: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The `stagewise` console command, in a development environment pointed at `database`."""
    command = shutil.which("stagewise", path=str(Path(sys.executable).parent))
    assert command is not None, "the stagewise console script is installed with the package"
    return subprocess.run(
        [command, *arguments],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(PACKAGE_PARENT),
            "STAGEWISE_ENVIRONMENT": "development",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def test_synth_on_a_new_database_migrates_it_first_and_writes_the_population(tmp_path):
    database = tmp_path / "new.sqlite3"

    result = run_stagewise(database, "synth", "--scale=0.0005", "--seed=3", "--no-progress")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "migrations not yet applied: applying them first" in result.stdout
    assert "Synthetic population written" in result.stdout
    assert {"learners_learner", "stagewise_cache"} <= tables(database)
    with sqlite3.connect(database) as connection:
        (learners,) = connection.execute("SELECT count(*) FROM learners_learner").fetchone()
    assert learners > 0


def test_asked_not_to_migrate_it_says_what_to_run_and_writes_nothing(tmp_path):
    database = tmp_path / "new.sqlite3"

    result = run_stagewise(database, "synth", "--scale=0.0005", "--no-migrate", "--no-progress")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "migrations not yet applied" in result.stderr
    assert "Run `stagewise migrate` (or `manage.py migrate`), then run this again." in (
        result.stderr
    )
    assert "learners_learner" not in tables(database)
