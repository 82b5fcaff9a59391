"""Printed documents as tagged, accessible PDFs, made on our own servers with nothing fetched.

A printed plan goes to families, schools and agencies, some of whom read it with a screen reader,
so every PDF is PDF/UA-1 (see `weasyprint_rendering`, which does the layout).

WeasyPrint is imported only when a PDF is made: loading it parses Pango's and HarfBuzz's C
declarations (seconds on every start-up otherwise) and fails on a machine without Pango. Without
those libraries the rest of the platform runs, the print-friendly page included, and the plan
pages say why PDFs are not offered (`pdf_unavailable_reason`).
"""

import ctypes
import ctypes.util
import functools
import importlib
from importlib.resources import files
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

# The shared libraries WeasyPrint opens when it is imported: the name a person would install, the
# usual file names (Linux, macOS), and the name the system's loader knows it by.
REQUIRED_LIBRARIES = (
    ("Pango", ("libpango-1.0.so.0", "libpango-1.0.dylib"), "pango-1.0"),
    ("Pango", ("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib"), "pangoft2-1.0"),
    ("HarfBuzz", ("libharfbuzz.so.0", "libharfbuzz.0.dylib"), "harfbuzz"),
    ("Fontconfig", ("libfontconfig.so.1", "libfontconfig.1.dylib"), "fontconfig"),
    ("GLib", ("libgobject-2.0.so.0", "libgobject-2.0.0.dylib"), "gobject-2.0"),
)


class RefusedURLError(ValueError):
    """A printed document named a URL we will not fetch."""


class PdfUnavailableError(RuntimeError):
    """This server cannot make PDFs; the message says what is missing, in the reader's language."""


def _opens(name: str | None) -> bool:
    if not name:
        return False
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def _library_loads(names: tuple[str, ...], loader_name: str) -> bool:
    # The usual names first: asking the loader (`ldconfig -p`) starts a process.
    return any(_opens(name) for name in names) or _opens(ctypes.util.find_library(loader_name))


@functools.cache
def missing_pdf_library() -> str | None:
    """The first library WeasyPrint needs that this machine lacks ("Pango"), or None.

    Checked by opening the libraries, which takes milliseconds, so that a plan page can decide
    whether to offer PDFs without importing WeasyPrint. Worked out once per process.
    """
    for library, names, loader_name in REQUIRED_LIBRARIES:
        if not _library_loads(names, loader_name):
            return library
    return None


def pdf_unavailable_reason() -> str | None:
    """Why this server cannot make PDFs, in the active language, or None when it can."""
    if (library := missing_pdf_library()) is None:
        return None
    return _("the %(library)s library is not installed") % {"library": library}


def _weasyprint_rendering() -> ModuleType:
    """The module that imports WeasyPrint, imported now; PdfUnavailableError if it cannot be."""
    if (reason := pdf_unavailable_reason()) is not None:
        raise PdfUnavailableError(reason)
    try:
        return importlib.import_module("stagewise.weasyprint_rendering")
    except (ImportError, OSError) as error:
        raise PdfUnavailableError(
            _("WeasyPrint could not be loaded (%(error)s)") % {"error": error}
        ) from error


def print_stylesheet() -> str:
    """The CSS for printed documents, for a template to inline in a `<style>` element of the PDF
    (the HTML print page links the same file, `stagewise/print.css`, as a static file)."""
    return (files("stagewise") / "static" / "stagewise" / "print.css").read_text(encoding="utf-8")


def render_pdf(*, html: str, base_url: str | None = None, title: str = "") -> bytes:
    """Render an HTML document to a tagged PDF/UA-1 PDF.

    The document must say its language (`<html lang="cy">`); the title is `title`, or the
    document's `<title>` when `title` is empty. Either missing raises ValueError: PDF/UA requires
    both. Resources outside our own files are refused (logged by WeasyPrint, not fetched), and
    files named by `<link rel="attachment">` are not embedded in the PDF. Raises
    PdfUnavailableError when this server lacks what WeasyPrint needs.
    """
    pdf: bytes = _weasyprint_rendering().render_pdf(html=html, base_url=base_url, title=title)
    return pdf


def report_pdf_response(
    request: "HttpRequest",
    *,
    pdf_template: str,
    page_template: str,
    context: dict[str, Any],
    title: str,
    file_name: str,
) -> "HttpResponse":
    """A report's PDF as a download; where this server cannot render PDFs, the report's page
    again with the reason (503), so the reader still has the report."""
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.template.loader import render_to_string
    from django.utils import translation

    language = translation.get_language() or "en"
    html = render_to_string(
        pdf_template,
        {**context, "language": language, "title": title, "print_css": print_stylesheet()},
        request=request,
    )
    try:
        pdf = render_pdf(html=html, base_url=request.build_absolute_uri("/"), title=title)
    except PdfUnavailableError as error:
        return render(
            request, page_template, {**context, "pdf_unavailable": str(error)}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
