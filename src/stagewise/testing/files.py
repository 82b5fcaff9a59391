"""Small files of each accepted type, made here rather than shipped, for tests of attachments."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

# A one-page PDF: enough for the content check, which reads how the file begins.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"\xff\xd9"
# An OLE compound file whose directory names a WordDocument stream, as a .doc's does.
DOC_BYTES = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + bytes(504)
    + "WordDocument".encode("utf-16-le")
    + bytes(64)
)
# The same container holding a workbook instead: an .xls, not a Word document.
XLS_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le")


def docx_bytes(parts: tuple[str, ...] = ("[Content_Types].xml", "word/document.xml")) -> bytes:
    """A zip package with the parts named (a Word document's by default)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for part in parts:
            package.writestr(part, "<xml/>")
    return buffer.getvalue()


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "speech-assessment.pdf") -> SimpleUploadedFile:
    return upload(name, PDF_BYTES, "application/pdf")
