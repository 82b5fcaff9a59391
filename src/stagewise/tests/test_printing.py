"""Printed documents are PDF/UA-1 PDFs: tagged, in the document's language, titled, and made
without fetching anything from the network."""

import io
import logging
import socket
from pathlib import Path

import pytest
from pypdf import PdfReader

from stagewise.printing import RefusedURLError, print_stylesheet, render_pdf
from stagewise.testing.pdf import pdf_metadata, pdf_text
from stagewise.weasyprint_rendering import LocalFetcher

STATIC_DIR = Path(__file__).resolve().parents[1] / "static" / "stagewise"


def document(*, lang: str, title: str, body: str, head: str = "") -> str:
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{print_stylesheet()}</style>
{head}
</head>
<body>{body}</body>
</html>"""


ENGLISH = document(
    lang="en",
    title="Individual development plan for Alex Morgan",
    body="""
<h1>Individual development plan</h1>
<section>
  <h2>What people like and admire about Alex</h2>
  <p>Alex is kind to younger pupils and loves building things.</p>
</section>
<section>
  <h2>Additional learning provision</h2>
  <table>
    <thead><tr><th scope="col">Provision</th><th scope="col">Who provides it</th></tr></thead>
    <tbody><tr><td>Daily reading support</td><td>Class teacher</td></tr></tbody>
  </table>
</section>
""",
)

WELSH = document(
    lang="cy",
    title="Cynllun datblygu unigol Siôn",
    body="""
<h1>Cynllun datblygu unigol</h1>
<section>
  <h2>Beth mae pobl yn ei hoffi am Siôn</h2>
  <p>Mae Siôn yn hoffi chwarae yn y dŵr ac mae'n byw mewn tŷ ger yr afon.</p>
  <p>Ŵyr Ŷ: ŵ a ŷ yn gyfan.</p>
</section>
""",
)


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to open a network connection during the test, each refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("tests refuse network access")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_an_english_plan_prints_its_headings_and_text() -> None:
    text = pdf_text(render_pdf(html=ENGLISH))

    assert "Individual development plan" in text
    assert "What people like and admire about Alex" in text
    assert "Alex is kind to younger pupils and loves building things." in text
    assert "Daily reading support" in text


def test_an_english_plan_is_a_tagged_pdf_ua_document_in_english_with_its_title() -> None:
    metadata = pdf_metadata(render_pdf(html=ENGLISH))

    assert metadata["language"] == "en"
    assert metadata["tagged"] is True
    assert metadata["has_structure_tree"] is True
    assert metadata["pdfua_part"] == 1
    assert metadata["title"] == "Individual development plan for Alex Morgan"
    assert metadata["display_title"] is True
    assert metadata["page_count"] == 1


def test_headings_and_tables_are_tagged_as_such_for_screen_readers() -> None:
    types = pdf_metadata(render_pdf(html=ENGLISH))["structure_types"]

    assert types.count("H1") == 1
    assert types.count("H2") == 2
    assert "P" in types
    assert {"Table", "TR", "TH", "TD"} <= set(types)


def test_a_welsh_plan_keeps_its_welsh_characters_and_is_in_welsh() -> None:
    pdf = render_pdf(html=WELSH)
    text = pdf_text(pdf)
    metadata = pdf_metadata(pdf)

    assert "Cynllun datblygu unigol" in text
    assert "Mae Siôn yn hoffi chwarae yn y dŵr ac mae'n byw mewn tŷ ger yr afon." in text
    assert "Ŵyr Ŷ: ŵ a ŷ yn gyfan." in text
    assert metadata["language"] == "cy"
    assert metadata["tagged"] is True
    assert metadata["has_structure_tree"] is True
    assert metadata["pdfua_part"] == 1
    assert metadata["title"] == "Cynllun datblygu unigol Siôn"


def test_the_title_argument_names_the_pdf_over_the_documents_title() -> None:
    pdf = render_pdf(html=WELSH, title="CDU Siôn, Medi 2026")

    assert pdf_metadata(pdf)["title"] == "CDU Siôn, Medi 2026"


def test_a_document_without_a_language_is_refused() -> None:
    html = ENGLISH.replace('<html lang="en">', "<html>")

    with pytest.raises(ValueError, match="language"):
        render_pdf(html=html)


def test_a_document_without_a_title_is_refused() -> None:
    html = ENGLISH.replace("<title>Individual development plan for Alex Morgan</title>", "")

    with pytest.raises(ValueError, match="title"):
        render_pdf(html=html)


def test_every_page_is_numbered_in_the_footer() -> None:
    long_body = "".join(
        f"<h2>Section {n}</h2><p>{'Words of the plan. ' * 60}</p>" for n in range(12)
    )
    pdf = render_pdf(html=document(lang="en", title="Long plan", body=long_body))
    pages = pdf_metadata(pdf)["page_count"]

    assert pages > 1
    text = pdf_text(pdf)
    for page in range(1, pages + 1):
        assert f"{page} / {pages}" in text


def test_a_template_can_put_the_page_number_into_its_own_words() -> None:
    footer = (
        "<style>@page { @bottom-right {"
        ' content: "Tudalen " counter(page) " o " counter(pages) } }</style>'
    )
    pdf = render_pdf(html=document(lang="cy", title="Cynllun", body="<p>Testun</p>", head=footer))

    assert "Tudalen 1 o 1" in pdf_text(pdf)


def test_a_remote_image_is_refused_without_touching_the_network(
    network_attempts: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    html = document(
        lang="en",
        title="Plan",
        body='<p>Before</p><img src="https://example.com/x.png" alt="A photo"><p>After</p>',
    )

    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = render_pdf(html=html)

    assert network_attempts == []
    assert "refused https://example.com/x.png" in caplog.text
    assert "Before" in pdf_text(pdf)
    assert "After" in pdf_text(pdf)


def test_a_remote_stylesheet_or_font_is_refused_without_touching_the_network(
    network_attempts: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    head = """<link rel="stylesheet" href="https://example.com/print.css">
<style>@font-face { font-family: Remote; src: url(https://example.com/remote.woff2) }
body { font-family: Remote, sans-serif }</style>"""
    html = document(lang="en", title="Plan", body="<p>Still printed</p>", head=head)

    # WeasyPrint reports a font it could not fetch only at DEBUG level.
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        pdf = render_pdf(html=html)

    assert network_attempts == []
    assert "refused https://example.com/print.css" in caplog.text
    assert "refused https://example.com/remote.woff2" in caplog.text
    assert "Still printed" in pdf_text(pdf)


def test_the_fetcher_serves_data_urls_and_our_static_files_and_refuses_everything_else() -> None:
    fetcher = LocalFetcher()

    assert fetcher("data:text/plain,hello").read() == b"hello"
    assert b"@page" in fetcher((STATIC_DIR / "print.css").as_uri()).read()
    for url in (
        "https://example.com/x.png",
        "http://127.0.0.1:8000/static/stagewise/print.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        (STATIC_DIR / ".." / ".." / ".." / ".." / "pyproject.toml").as_uri(),
        "file://example.com/share/x.png",
    ):
        with pytest.raises(RefusedURLError):
            fetcher(url)
    assert len(fetcher.refused) == 6


def test_a_template_may_name_an_installed_font_with_local(caplog: pytest.LogCaptureFixture) -> None:
    head = """<style>@font-face { font-family: Body; src: local("DejaVu Sans") }
body { font-family: Body }</style>"""
    html = document(lang="en", title="Plan", body="<p>In DejaVu Sans</p>", head=head)

    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        pdf = render_pdf(html=html)

    assert "refused" not in caplog.text
    assert "cannot be loaded" not in caplog.text
    assert "In DejaVu Sans" in pdf_text(pdf)


def test_a_local_static_image_is_printed_as_a_figure_with_its_alternative_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    html = document(lang="en", title="Plan", body='<img src="favicon.svg" alt="Stagewise logo">')

    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = render_pdf(html=html, base_url=STATIC_DIR.as_uri() + "/")

    assert "refused" not in caplog.text
    assert "Failed to load image" not in caplog.text
    assert "Figure" in pdf_metadata(pdf)["structure_types"]


def test_no_file_is_embedded_in_the_pdf_as_an_attachment() -> None:
    html = document(
        lang="en",
        title="Plan",
        body="<p>Plan</p>",
        head='<link rel="attachment" href="print.css" title="Stylesheet">',
    )

    pdf = render_pdf(html=html, base_url=STATIC_DIR.as_uri() + "/")

    assert PdfReader(io.BytesIO(pdf)).attachments == {}
