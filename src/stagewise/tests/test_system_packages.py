"""scripts/system-packages: what `make test`, `make demo` and .ci/run do about missing system
packages. It installs them as root or through password-less sudo, and otherwise stops before
anything runs, with the one command to type.

Each test runs the script against stand-ins for id, sudo, dpkg-query and apt-get that record what
they were asked, so nothing is installed and the machine's own state does not matter.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]
SCRIPT = PROJECT / "scripts" / "system-packages"
BASH = shutil.which("bash") or "/bin/bash"
PDF_PACKAGES = [
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-dejavu-core",
    "fonts-liberation",
]


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str
    commands: list[str]


class Machine:
    """A stand-in Debian machine: which packages are installed, who we are, what sudo allows."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.log = root / "commands.log"
        self.log.touch()
        self.installed: set[str] = set()
        self.uid = 1000
        self.sudo_without_password = False
        self.apt_get_fails = False
        self.has_apt_get = True
        for tool in ("env", "true"):
            (self.bin / tool).symlink_to(shutil.which(tool) or f"/usr/bin/{tool}")

    def command(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!{BASH}\n{body}\n")
        path.chmod(0o755)

    def on_path(self, name: str) -> None:
        self.command(name, "exit 0")

    def run(self, *arguments: str) -> Run:
        log = self.log
        self.command("id", f'[ "$1" = -u ] && echo {self.uid}')
        self.command(
            "dpkg-query",
            f"for p in {' '.join(sorted(self.installed))}; do\n"
            '  [ "${@: -1}" = "$p" ] && { echo -n "install ok installed"; exit 0; }\n'
            "done\nexit 1",
        )
        if self.sudo_without_password:
            self.command("sudo", f'echo "sudo $*" >> {log}\n[ "$1" = -n ] && shift\nexec "$@"')
        else:
            self.command("sudo", f'echo "sudo $* (asks for a password)" >> {log}\nexit 1')
        if self.has_apt_get:
            status = 100 if self.apt_get_fails else 0
            self.command(
                "apt-get", f'echo "apt-get $* as $DEBIAN_FRONTEND" >> {log}\nexit {status}'
            )
        result = subprocess.run(
            [BASH, str(SCRIPT), *arguments],
            env={"PATH": str(self.bin)},
            capture_output=True,
            text=True,
            check=False,
        )
        commands = [line for line in self.log.read_text().splitlines() if line]
        self.log.write_text("")
        return Run(result.returncode, result.stdout, result.stderr, commands)


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_nothing_happens_when_everything_is_installed(machine):
    machine.installed = {"chromium", "gettext", *PDF_PACKAGES}

    run = machine.run("browser", "pdf", "messages")

    assert (run.status, run.stdout, run.stderr, run.commands) == (0, "", "", [])


def test_as_root_it_installs_only_what_is_missing_after_updating_the_lists(machine):
    machine.uid = 0
    machine.installed = {"chromium", "gettext", *PDF_PACKAGES} - {"libharfbuzz-subset0"}

    run = machine.run("browser", "pdf", "messages")

    assert run.status == 0, run.stderr
    assert run.commands == [
        "apt-get update -qq as noninteractive",
        "apt-get install -y -qq libharfbuzz-subset0 as noninteractive",
    ]
    assert "printed plans (PDFs)" in run.stdout


def test_without_root_it_uses_sudo_when_sudo_needs_no_password(machine):
    machine.sudo_without_password = True

    run = machine.run("browser")

    assert run.status == 0, run.stderr
    assert run.commands == [
        "sudo -n true",
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
        "apt-get update -qq as noninteractive",
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
        "apt-get install -y -qq chromium as noninteractive",
    ]


def test_when_it_cannot_install_it_stops_with_the_one_command_to_type(machine):
    machine.installed = {"gettext"}

    run = machine.run("browser", "pdf", "messages")

    assert run.status == 1
    assert "Stopped before running anything" in run.stderr
    assert "the browser tests, printed plans (PDFs)" in run.stderr
    assert f"    sudo apt-get install chromium {' '.join(PDF_PACKAGES)}\n" in run.stderr
    assert not [command for command in run.commands if "apt-get" in command]


def test_optional_packages_that_cannot_be_installed_are_a_note_not_a_stop(machine):
    run = machine.run("--optional", "pdf")

    assert run.status == 0
    assert "Carrying on without them" in run.stderr
    assert f"    sudo apt-get install {' '.join(PDF_PACKAGES)}\n" in run.stderr


def test_a_machine_without_apt_get_is_told_what_to_install(machine):
    machine.uid = 0
    machine.has_apt_get = False

    run = machine.run("messages")

    assert run.status == 1
    assert "no apt-get" in run.stderr
    assert "sudo apt-get install gettext" in run.stderr


def test_a_failed_installation_stops_and_says_so(machine):
    machine.uid = 0
    machine.apt_get_fails = True

    run = machine.run("browser")

    assert run.status == 1
    assert "apt-get could not install them" in run.stderr
    assert "sudo snap install chromium" in run.stderr


def test_a_dry_run_says_what_it_would_do_and_does_nothing(machine):
    machine.uid = 0
    machine.installed = set(PDF_PACKAGES)

    run = machine.run("--dry-run", "browser", "pdf")

    assert run.status == 0
    assert run.stdout.splitlines() == [
        "system packages missing: chromium",
        "would run: env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
        "would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
    ]
    assert run.commands == []


def test_a_browser_or_msgfmt_on_the_path_counts_as_installed(machine):
    machine.on_path("chromium")
    machine.on_path("msgfmt")

    run = machine.run("browser", "messages")

    assert (run.status, run.commands) == (0, [])


def test_an_unknown_purpose_is_refused_with_the_usage(machine):
    run = machine.run("fonts")

    assert run.status == 2
    assert "unknown purpose 'fonts'" in run.stderr
    assert "usage:" in run.stderr


def test_the_script_holds_the_only_list_of_packages():
    listed = subprocess.run(
        [BASH, str(SCRIPT), "--list", "browser", "pdf", "messages", "postgresql"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    ).stdout.split()

    assert listed == ["chromium", *PDF_PACKAGES, "gettext", "postgresql"]
    for caller in ("Makefile", ".ci/run"):
        text = (PROJECT / caller).read_text()
        assert "scripts/system-packages" in text, caller
        assert not [name for name in PDF_PACKAGES if name in text], caller
        assert "apt-get install" not in text, caller
