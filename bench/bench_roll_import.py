"""Roll imports (issue 17 part 1, ADR 0052): a secondary school's export and an authority's,
checked (the dry run) and imported (the real run), then the same files again.

    .venv/bin/python bench/bench_roll_import.py [--pupils 2000] [--authority-pupils 70000]
                                               [--database stagewise_roll_import_bench]

Drops and re-creates the PostgreSQL database (postgres@127.0.0.1:5432) and migrates it. Makes
Glasgow's schools (one secondary school with a head teacher, 35 more for the authority file,
each with a class teacher), writes a generic census export of `--pupils` pupils for the school
(each with a contact and the class teacher), checks it and imports it as the head teacher, then
does both again with the same file (which must change nothing). Then the same for the authority:
an export of `--authority-pupils` pupils across its schools, by the authority's officer. The
import runs as the task runs it (STAGEWISE_TASKS_BACKEND=immediate: in the request's place).
Prints each step's seconds and what it found.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_synth import recreate_database, setup_django

HEADER = (
    "Candidate Number,Legal Forename,Legal Surname,Preferred Forename,Date of Birth,Sex,"
    "Year Group,School Reference,Date of Entry,Contact Name,Contact Relationship,"
    "Contact Email,Contact Telephone,Class Teacher Email,Ethnicity,Free School Meals"
)
FORENAMES = ["Ailsa", "Rory", "Isla", "Callum", "Eilidh", "Finlay", "Skye", "Lewis", "Morag"]
SURNAMES = ["Campbell", "MacLeod", "Fraser", "Morrison", "Grant", "Reid", "Scott", "Ross"]


def export(pupils: int, first_number: int, schools: list[tuple[str, str]]) -> bytes:
    """`schools`: (reference, class teacher's email); pupils shared between them in turn."""
    lines = [HEADER]
    for n in range(pupils):
        reference, teacher = schools[n % len(schools)]
        year = 2008 + n % 6
        forename, surname = FORENAMES[n % len(FORENAMES)], SURNAMES[n % len(SURNAMES)]
        lines.append(
            f"{first_number + n:09d},{forename},{surname}{n},,{1 + n % 28:02d}/"
            f"{1 + n % 12:02d}/{year},{'FM'[n % 2]},S{1 + n % 6},{reference},18/08/2025,"
            f"Parent {surname}{n},MUM,parent{n}@example.org,07700 900{n % 1000:03d},"
            f"{teacher},White Scottish,No"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pupils", type=int, default=2_000)
    parser.add_argument("--authority-pupils", type=int, default=70_000)
    parser.add_argument("--database", default="stagewise_roll_import_bench")
    arguments = parser.parse_args()
    os.environ["STAGEWISE_TASKS_BACKEND"] = "immediate"
    recreate_database(arguments.database)
    setup_django(arguments.database)

    from django.core.management import call_command

    from stagewise.accounts.actors import actors_for
    from stagewise.accounts.models import User
    from stagewise.organisations.models import LocalAuthority, Membership, Role, Setting
    from stagewise.roll_imports.models import ColumnMapping
    from stagewise.roll_imports.services import roll_import_check, roll_import_start

    call_command("migrate", verbosity=0)
    glasgow = LocalAuthority.objects.get(name="Glasgow City")
    mapping = ColumnMapping.objects.get(name="Generic census export")

    def person(email: str, role: str, **place: object) -> User:
        user = User.objects.create_user(email=email, password=None, full_name=email.split("@")[0])
        Membership.objects.create(user=user, role=role, **place)
        return user

    schools = []
    for n in range(36):
        setting = Setting.objects.create(
            authority=glasgow,
            name=f"Bench Secondary {n}",
            setting_type="secondary",
            reference_number=f"84{n:05d}",
        )
        teacher = f"teacher{n}@bench.example.org"
        person(teacher, Role.CLASS_TEACHER, setting=setting)
        schools.append((setting, teacher))
    head = actors_for(person("head@bench.example.org", Role.HEAD_TEACHER, setting=schools[0][0]))[0]
    officer = actors_for(
        person("officer@bench.example.org", Role.LOCAL_AUTHORITY_OFFICER, authority=glasgow)
    )[0]

    def run(label: str, actor: object, content: bytes) -> None:
        began = time.perf_counter()
        checked = roll_import_check(
            actor=actor, mapping=mapping, file_name=f"{label}.csv", content=content
        )
        checked_in = time.perf_counter() - began
        began = time.perf_counter()
        roll_import_start(actor=actor, roll_import=checked, leavers_to_end=[])
        checked.refresh_from_db()
        imported_in = time.perf_counter() - began
        print(
            f"{label}: {checked.lines_total:,} lines ({len(content) / 1e6:.1f} MB); "
            f"dry run {checked_in:.1f} s {checked.report['counts']}; "
            f"real run {imported_in:.1f} s {checked.status} {checked.report.get('saved')}"
        )

    school = [(schools[0][0].reference_number, schools[0][1])]
    school_file = export(arguments.pupils, 900_000_000, school)
    run("school, first import", head, school_file)
    run("school, same file again", head, school_file)
    others = [(setting.reference_number, teacher) for setting, teacher in schools[1:]]
    authority_file = export(arguments.authority_pupils, 910_000_000, others)
    run("authority, first import", officer, authority_file)
    run("authority, same file again", officer, authority_file)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
