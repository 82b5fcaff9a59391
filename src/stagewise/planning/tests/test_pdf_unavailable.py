"""Without Pango the platform still runs: the plan pages say why there is no PDF, the PDF address
explains it instead of failing, and the print-friendly page still prints the plan."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from stagewise import printing
from stagewise.audit.models import AuditAction, AuditEvent
from stagewise.printing import PdfUnavailableError, render_pdf
from stagewise.testing.plans import acting, finalised_plan

pytestmark = pytest.mark.django_db

NOT_AVAILABLE = "PDF copies are not available on this server: the Pango library is not installed."


@pytest.fixture
def without_pango(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This server as it is on a machine where Pango was never installed."""
    monkeypatch.setattr(printing, "missing_pdf_library", lambda: "Pango")
    yield


@pytest.fixture
def weasyprint_fails_to_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """The libraries are found, but importing WeasyPrint fails (as it would with a broken one)."""
    printing.missing_pdf_library.cache_clear()
    monkeypatch.setattr(printing, "missing_pdf_library", lambda: None)
    monkeypatch.delitem(sys.modules, "stagewise.weasyprint_rendering", raising=False)
    # A None entry makes `import weasyprint` raise ImportError, as a missing module would.
    monkeypatch.setitem(sys.modules, "weasyprint", None)


@pytest.fixture
def plan(teacher, learner):
    return finalised_plan(acting(teacher), learner, "individualised_educational_programme")


def urls(plan) -> dict[str, str]:
    ids = [plan.learner.public_id, plan.public_id]
    return {
        "plan": reverse("planning:detail", args=ids),
        "version": reverse("planning:version", args=[*ids, 1]),
        "print": reverse("planning:print", args=ids),
        "pdf": reverse("planning:pdf", args=ids),
    }


def test_the_plan_pages_say_why_there_is_no_pdf_and_offer_no_pdf_link(
    signed_in, plan, without_pango
):
    client = signed_in("teacher")
    for page in ("plan", "version"):
        response = client.get(urls(plan)[page])

        assert response.status_code == 200
        text = response.content.decode()
        assert NOT_AVAILABLE in text, page
        assert urls(plan)["pdf"] not in text, page
        assert urls(plan)["print"] in text, page


def test_the_family_sees_the_same_explanation(signed_in, plan, parent, without_pango):
    response = signed_in("parent").get(urls(plan)["plan"])

    assert response.status_code == 200
    assert NOT_AVAILABLE in response.content.decode()
    assert urls(plan)["pdf"] not in response.content.decode()


def test_the_explanation_is_in_welsh_on_a_welsh_page(signed_in, teacher, plan, without_pango):
    teacher.preferred_language = "cy"
    teacher.save(update_fields=["preferred_language"])

    text = signed_in("teacher").get(urls(plan)["plan"]).content.decode()

    with translation.override("cy"):
        reason = translation.gettext("the %(library)s library is not installed") % {
            "library": "Pango"
        }
    assert reason != "the Pango library is not installed"
    assert escape(reason) in text


def test_the_pdf_address_explains_and_links_to_the_print_page_instead_of_failing(
    signed_in, plan, without_pango
):
    response = signed_in("teacher").get(urls(plan)["pdf"], {"version": "1", "language": "cy"})

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert NOT_AVAILABLE in text
    assert f"{urls(plan)['print']}?version=1" in text
    # Nothing left the server, so no export is recorded.
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_print_friendly_page_still_works(signed_in, plan, without_pango):
    response = signed_in("teacher").get(urls(plan)["print"])

    assert response.status_code == 200
    assert plan.learner.display_name in response.content.decode()


def test_someone_outside_the_learners_circle_still_gets_not_found(
    signed_in, plan, outsider_teacher, without_pango
):
    assert signed_in("outsider_teacher").get(urls(plan)["pdf"]).status_code == 404


def test_a_failed_import_of_weasyprint_is_reported_not_raised(weasyprint_fails_to_import):
    with pytest.raises(PdfUnavailableError, match="WeasyPrint could not be loaded"):
        render_pdf(html='<html lang="en"><title>Plan</title><p>Plan</p></html>')


def test_the_pdf_address_explains_a_failed_import_too(signed_in, plan, weasyprint_fails_to_import):
    response = signed_in("teacher").get(urls(plan)["pdf"])

    assert response.status_code == 503
    assert "WeasyPrint could not be loaded" in response.content.decode()


def test_on_this_machine_every_library_is_found():
    """The probe finds what WeasyPrint itself loads; `make test` installs it (scripts/)."""
    printing.missing_pdf_library.cache_clear()

    assert printing.missing_pdf_library() is None
    assert printing.pdf_unavailable_reason() is None


def test_starting_the_platform_does_not_import_weasyprint(tmp_path):
    """`manage.py check` loads settings, every app, the admin and every URL: none of it needs
    WeasyPrint, so a machine without Pango starts, and no command pays for the import."""
    script = (
        "import sys\n"
        "import django\n"
        "from django.core.management import call_command\n"
        "django.setup()\n"
        "call_command('check')\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'weasyprint')\n"
        "assert not loaded, loaded\n"
    )
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(Path(printing.__file__).resolve().parents[1]),
        "DJANGO_SETTINGS_MODULE": "stagewise.settings",
        "STAGEWISE_ENVIRONMENT": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
