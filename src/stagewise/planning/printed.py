"""Printed plans, rendered once: a finalised version's PDF is made on the task queue, in each
language and for each audience, and stored through Django's storage API; a download serves the
stored copy, and renders and stores it when there is none yet (docs/adr/0034).

Nothing here checks access: it is called by the PDF view after its checks, and by the task and
the backfill command, which hand no file to anyone.
"""

import functools
import hashlib
import importlib.metadata
import logging
import re
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stagewise.planning.documents import PlanDocument
from stagewise.planning.models import (
    Plan,
    PlanVersion,
    PrintedAudience,
    PrintedPlan,
    printed_copies_storage,
)
from stagewise.planning.selectors import version_document
from stagewise.printing import print_stylesheet, render_pdf

logger = logging.getLogger(__name__)

# Every plan offers its PDF in both languages (planning/includes/pdf_links.html).
PRINTED_LANGUAGES = ("en", "cy")
PRINTED_PLAN_TEMPLATE = "planning/plan_pdf.html"
# Raise when the code that lays out a printed plan changes in a way the templates, stylesheet and
# WeasyPrint version do not show (a new context value, say): every stored copy is then stale.
PRINTED_PLAN_LAYOUT = "1"
_INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def printed_language(requested: str | None) -> str:
    return requested if requested in PRINTED_LANGUAGES else "en"


def print_context(
    learner: object, plan: Plan, document: PlanDocument, version: PlanVersion | None, family: bool
) -> dict:
    return {
        "learner": learner,
        "plan": plan,
        "document": document,
        "version": version,
        "family": family,
        "is_draft": version is None and plan.is_editable,
    }


def printed_plan_filename(document: PlanDocument, number: int, language: str) -> str:
    return f"plan-{document.plan_type_key}-v{number}-{language}.pdf"


def printed_plan_render(
    *,
    learner: object,
    plan: Plan,
    document: PlanDocument,
    version: PlanVersion | None,
    family: bool,
    language: str,
) -> bytes:
    """The PDF of `document` in `language`. Rendered without a request, so a copy made by the
    task is the same as one made for a download. PdfUnavailableError when this server cannot."""
    with translation.override(language):
        context = print_context(learner, plan, document, version, family)
        context["language"] = language
        context["print_css"] = print_stylesheet()
        html = render_to_string(PRINTED_PLAN_TEMPLATE, context)
        title = _("%(plan_type)s for %(learner)s") % {
            "plan_type": document.display_type_name,
            "learner": document.learner.name,
        }
    return render_pdf(html=html, base_url=f"{settings.SITE_URL}/", title=title)


def _template_sources(name: str, seen: set[str]) -> list[str]:
    if name in seen:
        return []
    seen.add(name)
    source: str = get_template(name).template.source  # type: ignore[attr-defined]
    sources = [source]
    for included in _INCLUDE.findall(source):
        sources.extend(_template_sources(included, seen))
    return sources


@functools.cache
def printed_plan_rendering() -> str:
    """What made a stored copy: the layout number, WeasyPrint's version and a digest of the
    templates (with everything they include) and the print stylesheet. A stored copy made by
    anything else is treated as missing. Worked out once per process."""
    digest = hashlib.sha256()
    for source in [*_template_sources(PRINTED_PLAN_TEMPLATE, set()), print_stylesheet()]:
        digest.update(source.encode())
        digest.update(b"\0")
    weasyprint = importlib.metadata.version("weasyprint")
    return f"{PRINTED_PLAN_LAYOUT}/weasyprint-{weasyprint}/{digest.hexdigest()[:16]}"


def _audience(family: bool) -> str:
    return PrintedAudience.FAMILY if family else PrintedAudience.STAFF


def printed_plan_read(*, version: PlanVersion, language: str, family: bool) -> bytes | None:
    """The stored copy's bytes, or None when there is none made by today's rendering, or its
    file is missing or damaged (then it is made again)."""
    stored = PrintedPlan.objects.filter(
        version=version,
        language=language,
        audience=_audience(family),
        rendering=printed_plan_rendering(),
    ).first()
    if stored is None:
        return None
    try:
        with stored.file.open("rb") as file:
            pdf: bytes = file.read()
    except Exception:  # A store's own errors (S3's ClientError) as well as OSError.
        logger.warning("Stored printed plan %s could not be read", stored.pk, exc_info=True)
        return None
    if hashlib.sha256(pdf).hexdigest() != stored.checksum:
        logger.warning("Stored printed plan %s does not match its checksum", stored.pk)
        return None
    return pdf


def printed_plan_store(
    *, version: PlanVersion, language: str, family: bool, pdf: bytes
) -> PrintedPlan:
    """Stores `pdf` as the copy of `version` in `language` for the audience, replacing a stale
    one (whose file is deleted once the replacement commits)."""
    storage = printed_copies_storage()
    name = storage.save(f"printed-plans/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    try:
        with transaction.atomic():
            # One writer at a time per version: a download and the task may race.
            PlanVersion.objects.select_for_update().filter(pk=version.pk).first()
            stored = PrintedPlan.objects.filter(
                version=version, language=language, audience=_audience(family)
            ).first()
            replaced = stored.file.name if stored else None
            stored = stored or PrintedPlan(
                version=version, language=language, audience=_audience(family)
            )
            stored.file.name = name
            stored.rendering = printed_plan_rendering()
            stored.rendered_at = timezone.now()
            stored.checksum = hashlib.sha256(pdf).hexdigest()
            stored.size = len(pdf)
            stored.save()
    except BaseException:
        storage.delete(name)
        raise
    if replaced:
        transaction.on_commit(lambda: storage.delete(replaced), robust=True)
    return stored


def printed_plan_copy(*, version: PlanVersion, language: str, family: bool) -> bytes:
    """The PDF of a finalised version: the stored copy, or one rendered and stored now."""
    pdf = printed_plan_read(version=version, language=language, family=family)
    if pdf is None:
        pdf = _render_and_store(version=version, language=language, family=family)
    return pdf


def _render_and_store(*, version: PlanVersion, language: str, family: bool) -> bytes:
    document = version_document(version)
    pdf = printed_plan_render(
        learner=version.plan.learner,
        plan=version.plan,
        document=document.for_family() if family else document,
        version=version,
        family=family,
        language=language,
    )
    printed_plan_store(version=version, language=language, family=family, pdf=pdf)
    return pdf


def printed_plans_store(version: PlanVersion) -> int:
    """Makes every copy of `version` that is missing or stale; how many were made."""
    made = 0
    for language in PRINTED_LANGUAGES:
        for family in (False, True):
            if printed_plan_read(version=version, language=language, family=family) is None:
                _render_and_store(version=version, language=language, family=family)
                made += 1
    return made


def printed_plans_missing() -> list[int]:
    """The finalised versions lacking a current copy in some language or for some audience."""
    complete = (
        PrintedPlan.objects.filter(rendering=printed_plan_rendering())
        .values("version_id")
        .annotate(copies=Count("pk"))
        .filter(copies=len(PRINTED_LANGUAGES) * len(PrintedAudience))
        .values("version_id")
    )
    return list(
        PlanVersion.objects.exclude(pk__in=complete).order_by("pk").values_list("pk", flat=True)
    )
