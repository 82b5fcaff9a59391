"""Template tags for the plan pages' printing links."""

from django import template

from stagewise import printing

register = template.Library()


@register.simple_tag
def pdf_unavailable_reason() -> str | None:
    """Why this server cannot make PDFs, in the page's language, or None when it can."""
    return printing.pdf_unavailable_reason()
