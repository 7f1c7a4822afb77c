from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jahesh.demo.data import DEMO_PASSWORD
from jahesh.demo.generator import GenerationRefused, StepResult, default_code, generate_province


def _positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = ("Build a synthetic province of any size (Persian names, plausible indicators and "
            "trajectories) for benchmarks and load tests. Never in production.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agencies", type=_positive, required=True,
                            help="How many executive agencies (at least 1).")
        parser.add_argument("--projects", type=_positive, required=True,
                            help="How many projects, shared out among the agencies' programmes.")
        parser.add_argument("--cases", type=_positive, default=None,
                            help="How many production obstacles and demands (default: in "
                                 "proportion to the projects, 100,000 at 6,000).")
        parser.add_argument("--seed", type=int, default=1403,
                            help="The same seed builds the same province (default 1403).")
        parser.add_argument("--code", default=None,
                            help="The new province's code (default synthetic-<N>-<M>).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Synthetic provinces, with their known password, are never "
                               "generated in production (JAHESH_ENV=production).")
        agencies, projects = options["agencies"], options["projects"]
        if agencies < 1:
            raise CommandError("--agencies must be at least 1.")
        code = options["code"] or default_code(agencies, projects)
        self.stdout.write(f"Generating province {code}: {agencies} agencies, {projects} projects, "
                          f"seed {options['seed']}.")
        try:
            result = generate_province(agencies=agencies, projects=projects,
                                       seed=options["seed"], code=code,
                                       cases=options["cases"], progress=self._step)
        except GenerationRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Built province {result.province.code} in {result.seconds:.1f} s."
        ))
        self.stdout.write(f"Logins: {code}.secretariat, {code}.hq, {code}.<agency>.reporter, "
                          f"{code}.<agency>.head (password: {DEMO_PASSWORD}).")

    def _step(self, step: StepResult) -> None:
        built = ", ".join(f"{n:,} {what}" for what, n in step.counts.items())
        self.stdout.write(f"  {step.name:<17} {step.seconds:6.2f} s  {built}")
