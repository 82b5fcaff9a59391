from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagewise.command_database import ensure_migrated
from stagewise.policy import SYSTEM
from stagewise.statutory.calendar_import import CalendarImportRefused, calendar_import


class Command(BaseCommand):
    help = (
        "School calendars. `calendar import FILE` loads a CSV with the columns "
        "authority,setting,academic_year,kind,first_day,last_day,description, all or nothing: "
        "any problem is reported by line number and nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="Load a calendar CSV file.")
        load.add_argument("file", help="The CSV file.")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated(self, migrate=True)
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text: save it as CSV UTF-8.") from None
        try:
            result = calendar_import(actor=SYSTEM, rows=text.splitlines())
        except CalendarImportRefused as refused:
            raise CommandError(
                f"Nothing was loaded from {path}; fix these and import it again:\n{refused}"
            ) from None
        self.stdout.write(
            f"Loaded {result.periods} periods into {result.groups} calendars from {path}."
        )
