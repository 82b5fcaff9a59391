"""The `stagewise` console command: Django's management commands under the project's name.

A command may be written with hyphens too: `stagewise deadline-sweep` runs `deadline_sweep`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagewise.settings")
    from django.core.management import execute_from_command_line

    arguments = sys.argv[1:]
    if arguments and not arguments[0].startswith("-"):
        arguments[0] = arguments[0].replace("-", "_")
    execute_from_command_line(["stagewise", *arguments])
