from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagewise.synthetic.demo import DEMO_PASSWORD, build_demo_world


class Command(BaseCommand):
    help = "Load the deterministic demo world into an empty database and print its sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        try:
            world = build_demo_world(seed=seed)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Demo world loaded: {world.learners} learners."))
        self.stdout.write(f"\nSign in at http://127.0.0.1:8000/ with password {DEMO_PASSWORD}:")
        width = max(len(sign_in.email) for sign_in in world.sign_ins)
        for sign_in in world.sign_ins:
            self.stdout.write(f"  {sign_in.email.ljust(width)}  {sign_in.description}")
