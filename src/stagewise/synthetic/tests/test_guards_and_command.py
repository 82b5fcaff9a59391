"""The generator refuses databases it must not touch, and the `synth` command drives it."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from stagewise.learners.models import Learner
from stagewise.synthetic.progress import ProgressBar
from stagewise.synthetic.services import SyntheticPopulationRefused, population_create
from stagewise.testing.factories import LearnerFactory

AS_OF = date(2026, 11, 20)


@pytest.mark.django_db
def test_refuses_a_database_with_real_learners_and_says_what_to_do() -> None:
    real = LearnerFactory.create()
    with pytest.raises(SyntheticPopulationRefused, match="--append"):
        population_create(nation="scotland", scale=0.001, seed=1, as_of=AS_OF)
    assert list(Learner.objects.all()) == [real]


@pytest.mark.django_db
def test_append_adds_synthetic_learners_beside_real_ones() -> None:
    real = LearnerFactory.create(candidate_number="123456789")
    report = population_create(nation="scotland", scale=0.001, seed=1, as_of=AS_OF, append=True)
    assert Learner.objects.count() == report.learners + 1
    assert Learner.objects.filter(pk=real.pk, candidate_number="123456789").exists()


@pytest.mark.django_db
def test_refuses_a_second_population_for_the_same_nation() -> None:
    population_create(nation="wales", scale=0.001, seed=1, as_of=AS_OF)
    count = Learner.objects.count()
    with pytest.raises(SyntheticPopulationRefused, match="fresh database"):
        population_create(nation="wales", scale=0.001, seed=2, as_of=AS_OF)
    assert Learner.objects.count() == count
    # Another nation is fine: its learners are synthetic too, so nothing counts as real.
    population_create(nation="scotland", scale=0.001, seed=1, as_of=AS_OF)
    assert Learner.objects.count() > count


@pytest.mark.django_db
@override_settings(PRODUCTION=True)
def test_refuses_production() -> None:
    with pytest.raises(SyntheticPopulationRefused, match="production"):
        population_create(nation="scotland", scale=0.001, seed=1, as_of=AS_OF)
    assert not Learner.objects.exists()


@pytest.mark.django_db
def test_the_command_writes_a_population_and_reports_it() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "synth",
        "--nation=wales",
        "--scale=0.002",
        "--seed=4",
        "--as-of=2026-11-20",
        stdout=out,
        stderr=err,
    )
    assert "Synthetic population written" in out.getvalue()
    assert Learner.objects.count() > 0
    assert "100%" in err.getvalue()


@pytest.mark.django_db
def test_the_command_explains_a_refusal() -> None:
    LearnerFactory.create()
    with pytest.raises(CommandError, match="not synthetic"):
        call_command("synth", "--scale=0.001", "--no-progress", stdout=io.StringIO())


def test_the_command_rejects_bad_arguments() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("synth", "--as-of=20/11/2026", stdout=io.StringIO())
    with pytest.raises(CommandError, match="above 0"):
        call_command("synth", "--scale=0", stdout=io.StringIO())


def test_the_progress_bar_reports_tenths_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(1000, "Scotland", stream)
    for _step in range(100):
        bar.advance(10)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("Scotland [") and "100%" in lines[-1]
