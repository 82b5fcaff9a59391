from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from stagewise.command_database import ensure_migrated
from stagewise.organisations.models import LocalAuthority, Setting
from stagewise.statutory.calendar import CalendarNotLoaded
from stagewise.statutory.models import StatutoryTimescale
from stagewise.statutory.selectors import DeadlineRefused, deadline_for, timescale_in_force

# Exit statuses: 2 the question is wrong (unknown rule, authority, setting or a bad date);
# 3 the question is right but a calendar it needs is not loaded, so no date is guessed.
WRONG_QUESTION = 2
CALENDAR_NEEDED = 3


class Command(BaseCommand):
    help = (
        "Statutory clocks: --list prints every rule key with its citation; --rule KEY --start "
        "YYYY-MM-DD [--authority NAME] [--setting NAME] prints when that clock falls due. For a "
        "rule that counts back (leaving school), --start is the event it counts back from. "
        "Exits 3 with the reason when the school calendar does not reach the date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="Every rule key and its citation.")
        parser.add_argument("--rule", help="A rule key, like scotland.agency_help.")
        parser.add_argument("--start", help="The day the clock starts (YYYY-MM-DD).")
        parser.add_argument("--authority", help="The local authority, as Stagewise names it.")
        parser.add_argument("--setting", help="The school, as Stagewise names it.")

    def handle(self, *args: Any, **options: Any) -> None:
        # The answer goes to standard output alone, so notices about the database go to stderr.
        ensure_migrated(self, migrate=True, notices=self.stderr)
        if options["list"]:
            self._list()
            return
        if not options["rule"] or not options["start"]:
            raise CommandError(
                "Give --list, or --rule KEY and --start YYYY-MM-DD.", returncode=WRONG_QUESTION
            )
        try:
            start = date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError(
                f"Give --start as YYYY-MM-DD, like 2025-09-15, not {options['start']!r}.",
                returncode=WRONG_QUESTION,
            ) from None
        authority = self._authority(options["authority"])
        setting = self._setting(options["setting"], authority)
        try:
            due = deadline_for(
                rule_key=options["rule"], start=start, setting=setting, authority=authority
            )
        except DeadlineRefused as refused:
            raise CommandError(str(refused), returncode=WRONG_QUESTION) from None
        except CalendarNotLoaded as not_loaded:
            raise CommandError(not_loaded.message, returncode=CALENDAR_NEEDED) from None
        place = setting.authority if setting is not None else authority
        rule = timescale_in_force(options["rule"], start)
        if place is not None and place.nation_id != rule.nation_id:
            # Counting on another nation's calendar is useful for checking the arithmetic, but
            # no such clock runs in Stagewise: say so beside the date.
            self.stderr.write(
                f"Note: {rule.key} is a rule of {rule.nation.name}; {place.name} is in "
                f"{place.nation.name}. Counted on its calendar as asked."
            )
        self.stdout.write(due.isoformat())

    def _list(self) -> None:
        today = date.today()
        keys = StatutoryTimescale.objects.order_by("key").values_list("key", flat=True).distinct()
        for key in keys:
            # The citation of the version in force for a clock started today.
            # A rule not yet in force shows its first version.
            try:
                rule = timescale_in_force(key, today)
            except DeadlineRefused:
                rule = StatutoryTimescale.objects.filter(key=key).earliest("effective_from")
            self.stdout.write(f"{rule.key}\t{rule.citation}")

    def _authority(self, name: str | None) -> LocalAuthority | None:
        if not name:
            return None
        authority = LocalAuthority.objects.filter(
            Q(name__iexact=name) | Q(name_cy__iexact=name) | Q(code=name)
        ).first()
        if authority is None:
            raise CommandError(
                f"No local authority is called {name!r}: use the name shown in Stagewise, "
                "like Cardiff or Glasgow City.",
                returncode=WRONG_QUESTION,
            )
        return authority

    def _setting(self, name: str | None, authority: LocalAuthority | None) -> Setting | None:
        if not name:
            return None
        settings = Setting.objects.filter(Q(name__iexact=name) | Q(name_cy__iexact=name))
        if authority is not None:
            settings = settings.filter(authority=authority)
        found = list(settings.select_related("authority")[:2])
        if not found:
            raise CommandError(
                f"No setting is called {name!r}"
                + (f" in {authority.name}" if authority is not None else "")
                + ": use the name shown in Stagewise.",
                returncode=WRONG_QUESTION,
            )
        if len(found) > 1:
            raise CommandError(
                f"More than one setting is called {name!r}: give --authority too.",
                returncode=WRONG_QUESTION,
            )
        return found[0]
