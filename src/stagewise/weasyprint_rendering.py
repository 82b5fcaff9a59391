"""The half of printing that imports WeasyPrint, so it is loaded only when a PDF is made: call it
through `stagewise.printing.render_pdf`, which says what is missing when it cannot be loaded.

A printed plan goes to families, schools and agencies, some of whom read it with a screen reader,
so every PDF is PDF/UA-1: tagged (headings, paragraphs, lists and tables in a structure tree),
with the document's language from `<html lang>` and its title shown in the viewer's title bar.

Rendering never touches the network. WeasyPrint would otherwise fetch any URL a template names
(an image, a stylesheet, a font), which would let a template make the server request remote
content or leak that a record was printed. `LocalFetcher` serves `data:` URLs and files inside our
own package, our static folders and the system font folders, and refuses everything else, local
files elsewhere included; fonts come from those installed on the machine (DejaVu, Liberation).
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from stagewise.printing import RefusedURLError

PDF_VARIANT = "pdf/ua-1"


class LocalFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to `data:` URLs and our own files: never the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not self._allows(url):
            self.refused.append(url)
            raise RefusedURLError(
                f"Printed documents use only data: URLs and local static files; refused {url}"
            )
        return super().fetch(url, headers)

    def _allows(self, url: str) -> bool:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(parts.path)).resolve()
        return any(path.is_relative_to(root) for root in _readable_roots())


# Where Debian keeps installed fonts: CSS `src: local("DejaVu Sans")` resolves to a file there.
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def _readable_roots() -> list[Path]:
    """Folders a printed document may read from: the package (templates, app static files),
    the static folders settings name, collected static files and the installed fonts."""
    roots = [Path(__file__).resolve().parent, *SYSTEM_FONT_DIRS]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        location = entry[1] if isinstance(entry, tuple | list) else entry
        roots.append(Path(location).resolve())
    if static_root := getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(static_root).resolve())
    return roots


def render_pdf(*, html: str, base_url: str | None = None, title: str = "") -> bytes:
    """Render an HTML document to a tagged PDF/UA-1 PDF (see `stagewise.printing.render_pdf`)."""
    fetcher = LocalFetcher()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT
    )
    metadata = document.metadata
    if not metadata.lang:
        raise ValueError('A printed document needs its language: <html lang="en"> or "cy".')
    if title:
        metadata.title = title
    if not metadata.title:
        raise ValueError("A printed document needs a title: pass title= or include <title>.")
    metadata.attachments = []
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
