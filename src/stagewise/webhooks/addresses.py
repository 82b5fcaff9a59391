"""Where a webhook may be sent (ADR 0054): an https address whose host is on the public
internet, never this network's own machines (a cloud's metadata service at 169.254.169.254, a
database on 10.0.0.5, the app server itself), which a subscription's address could otherwise
make Stagewise call. The address is checked when it is subscribed and again at every attempt,
and the attempt connects to the very address that was checked, so a name that resolves
elsewhere a moment later (DNS rebinding) cannot slip past. settings.WEBHOOKS_ALLOW_LOCAL (a test
or a demo only) allows http and local addresses."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class AddressRefused(ValueError):
    """The address cannot be sent to; the message says what to fix."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query, as sent in the request line
    address: str  # the checked IP address the connection goes to


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def target_of(url: str) -> Target:
    """The address checked and resolved; AddressRefused, saying what to fix, if it may not be
    sent to."""
    allow_local = settings.WEBHOOKS_ALLOW_LOCAL
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        raise AddressRefused(
            _("Enter a full web address, like https://example.org/hooks.")
        ) from None
    schemes = ("https", "http") if allow_local else ("https",)
    if parts.scheme not in schemes:
        raise AddressRefused(
            _("Enter an address that starts with https://, so that what is sent is encrypted.")
        )
    if not parts.hostname:
        raise AddressRefused(_("Enter a full web address, like https://example.org/hooks."))
    if parts.username or parts.password:
        raise AddressRefused(_("Enter the address without a user name or password in it."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(
            _("No server called %(host)s could be found. Check the address.")
            % {"host": parts.hostname}
        ) from None
    addresses = [str(info[4][0]) for info in found]
    if not allow_local and not all(_is_public(address) for address in addresses):
        raise AddressRefused(
            _("%(host)s is on a private or local network. Enter an address on the public internet.")
            % {"host": parts.hostname}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(
        scheme=parts.scheme, host=parts.hostname, port=port, path=path, address=addresses[0]
    )
