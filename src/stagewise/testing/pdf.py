"""Reading PDFs in tests: their text, to search for phrases, and what accessibility needs."""

import io
import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

PDFUA_NAMESPACE = "http://www.aiim.org/pdfua/ns/id/"


def pdf_text(pdf: bytes) -> str:
    """All the text of every page, one line per page, whitespace within a page collapsed to single
    spaces, so a test can look for a phrase however its lines were broken."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = (page.extract_text() or "" for page in reader.pages)
    lines = (re.sub(r"\s+", " ", page).strip() for page in pages)
    return "\n".join(lines)


def pdf_metadata(pdf: bytes) -> dict[str, Any]:
    """What the PDF says about itself: language, tagging, structure tree (and the types of its
    elements in document order, e.g. ["H1", "P", "Table", ...]), title, whether viewers show
    the title rather than the file name, page count and the PDF/UA part it claims (None when it
    claims none)."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.root_object
    mark_info = _dictionary(catalog, "/MarkInfo")
    language = catalog.get("/Lang")
    info = reader.metadata
    return {
        "language": str(language) if language is not None else None,
        "tagged": bool(mark_info.get("/Marked", False)),
        "has_structure_tree": "/StructTreeRoot" in catalog,
        "structure_types": _structure_types(catalog),
        "title": info.title if info is not None else None,
        "display_title": _displays_title(catalog),
        "page_count": len(reader.pages),
        "pdfua_part": _pdfua_part(reader),
    }


def _dictionary(parent: DictionaryObject, key: str) -> DictionaryObject:
    """The dictionary at `key`, or an empty one when there is none."""
    value = parent.get(key)
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _structure_types(catalog: DictionaryObject) -> list[str]:
    types: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                types.append(str(node["/S"]).removeprefix("/"))
            if "/K" in node:
                walk(node["/K"])

    walk(_dictionary(catalog, "/StructTreeRoot").get("/K", ArrayObject()))
    return types


def _displays_title(catalog: DictionaryObject) -> bool:
    return bool(_dictionary(catalog, "/ViewerPreferences").get("/DisplayDocTitle", False))


def _pdfua_part(reader: PdfReader) -> int | None:
    xmp = reader.xmp_metadata
    if xmp is None:
        return None
    for node in xmp.get_element("", PDFUA_NAMESPACE, "part"):
        if node.nodeType == node.ATTRIBUTE_NODE:
            return int(node.value)
        return int(
            "".join(child.data for child in node.childNodes if child.nodeType == child.TEXT_NODE)
        )
    return None
