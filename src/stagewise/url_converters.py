"""Path converters shared by the URL configurations."""

from django.urls import register_converter


class PublicIdConverter:
    """A record's public id (a UUID) in any of its usual spellings: hex digits in either case, with
    or without hyphens. The view receives the text as typed, so that
    `CanonicalRecordIdMiddleware` can send other spellings to the one canonical address."""

    regex = "[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(PublicIdConverter, "public_id")
