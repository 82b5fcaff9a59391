"""Every form that sends (POST) carries a one-time submission key, so that no form can be saved
twice (ADR 0041). A form added without {% submission_key %} fails here."""

import re
from pathlib import Path

from django.conf import settings

PACKAGE_DIR: Path = settings.PACKAGE_DIR
FORM = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.DOTALL | re.IGNORECASE)
POSTS = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)
# htmx requests that write must be sent by a keyed form (or carry the key themselves).
HTMX_WRITE = re.compile(r"\bhx-(post|put|patch|delete)\b", re.IGNORECASE)
KEY = "{% submission_key %}"


def templates() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("**/templates/**/*.html"))


def test_there_are_forms_to_check():
    assert sum(len(POSTS.findall(path.read_text())) for path in templates()) > 60


def test_every_post_form_carries_a_submission_key():
    missing = [
        f"{path.relative_to(PACKAGE_DIR)}: <form{form['attributes']}>"
        for path in templates()
        for form in FORM.finditer(path.read_text())
        if POSTS.search(form["attributes"]) and KEY not in form["body"]
    ]

    assert not missing, "POST forms without {% submission_key %}:\n" + "\n".join(missing)


def test_every_htmx_write_is_sent_by_a_keyed_form():
    loose = []
    for path in templates():
        text = path.read_text()
        keyed_forms = [
            form.span()
            for form in FORM.finditer(text)
            if POSTS.search(form["attributes"]) and KEY in form["body"]
        ]
        for write in HTMX_WRITE.finditer(text):
            inside = any(start <= write.start() < end for start, end in keyed_forms)
            if not inside and "submission_key" not in text[write.start() : write.start() + 300]:
                loose.append(f"{path.relative_to(PACKAGE_DIR)}: {write.group(0)}")

    assert not loose, "htmx writes without a submission key:\n" + "\n".join(loose)
