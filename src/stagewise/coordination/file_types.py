"""What an uploaded file is, read from its content: a name says nothing a person cannot change.

Accepted: PDF, Word (.docx, and the older .doc), PNG and JPEG. Each is known by how its bytes
begin, and the two Word formats by what is inside them as well: a .docx is a zip package holding
[Content_Types].xml and word/document.xml (read from the zip's directory, nothing is unpacked);
a .doc is an OLE compound file with a WordDocument stream (which a spreadsheet or a presentation
in the same container lacks). A file's name must end as its content says it is.
"""

import re
import unicodedata
import zipfile
from typing import IO

from stagewise.coordination.models import AttachmentType

PDF_SIGNATURE = b"%PDF-"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# The name of a Word binary document's main stream, as an OLE directory entry spells it.
WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")
WORD_PACKAGE_PARTS = frozenset({"[Content_Types].xml", "word/document.xml"})

# The endings a file of each type may have (the first one also names the stored copy).
SUFFIXES: dict[str, tuple[str, ...]] = {
    AttachmentType.PDF: (".pdf",),
    AttachmentType.DOCX: (".docx",),
    AttachmentType.DOC: (".doc",),
    AttachmentType.PNG: (".png",),
    AttachmentType.JPEG: (".jpg", ".jpeg"),
}
STORED_SUFFIX = {content_type: suffixes[0] for content_type, suffixes in SUFFIXES.items()}
SUFFIX_TYPES = {
    suffix: content_type for content_type, suffixes in SUFFIXES.items() for suffix in suffixes
}
ACCEPTED_SUFFIXES = tuple(SUFFIX_TYPES)

MAX_NAME_LENGTH = 150
_CHUNK = 1024 * 1024
# Characters Windows refuses in a file name, which a download's name must not carry either.
_UNSAFE = re.compile(r'[<>:"/\\|?*]')


def detect_type(file: IO[bytes]) -> str | None:
    """The AttachmentType the content is, or None for anything else. Leaves the file at its
    start."""
    file.seek(0)
    head = file.read(len(OLE_SIGNATURE))
    file.seek(0)
    try:
        if head.startswith(PDF_SIGNATURE):
            return AttachmentType.PDF
        if head.startswith(PNG_SIGNATURE):
            return AttachmentType.PNG
        if head.startswith(JPEG_SIGNATURE):
            return AttachmentType.JPEG
        if head.startswith(OLE_SIGNATURE):
            return AttachmentType.DOC if _contains(file, WORD_STREAM_NAME) else None
        if head.startswith(ZIP_SIGNATURE):
            return AttachmentType.DOCX if _is_word_package(file) else None
        return None
    finally:
        file.seek(0)


def _contains(file: IO[bytes], needle: bytes) -> bool:
    """Whether the bytes appear anywhere in the file, read a chunk at a time."""
    file.seek(0)
    tail = b""
    while chunk := file.read(_CHUNK):
        if needle in tail + chunk:
            return True
        tail = chunk[-(len(needle) - 1) :]
    return False


def _is_word_package(file: IO[bytes]) -> bool:
    file.seek(0)
    try:
        # Only the zip's directory is read: no part is decompressed, so a zip bomb costs nothing.
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
    except Exception:
        # Whatever a malformed zip raises, it is not a Word document.
        return False
    return names >= WORD_PACKAGE_PARTS


def clean_name(name: str) -> str:
    """The uploader's file name made safe to show and to offer as a download's name: no folders,
    no control or invisible characters (a right-to-left override can make "exe.pdf" read as
    "fdp.exe"), none Windows refuses, at most MAX_NAME_LENGTH characters with its ending kept.
    Empty if nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_visible(char) for char in name)
    name = _UNSAFE.sub("", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) < 10:
            name = stem[: MAX_NAME_LENGTH - len(suffix) - 1].rstrip(" .") + "." + suffix
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" .")
    return name


def _visible(char: str) -> str:
    category = unicodedata.category(char)[0]
    if char.isspace() or category == "Z":  # tabs, line breaks, every kind of space
        return " "
    if category == "C":  # control, format (invisible), private use, unassigned
        return ""
    return char


def name_suffix(name: str) -> str:
    """The name's ending, in lower case ("" for none): ".pdf", ".docx"."""
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""
