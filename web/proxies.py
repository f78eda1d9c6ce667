"""The client's address behind trusted reverse proxies (CAPITALLENS_TRUSTED_PROXIES).

Off by default: REMOTE_ADDR is the peer that connected, and X-Forwarded-For is ignored, because
anyone can send it. With trusted proxies set, a request whose peer is one of them takes its
client address from X-Forwarded-For, read from the right and skipping the trusted proxies, so
that a client cannot choose its own address by sending the header itself. The upload rate limit
(web/ratelimit.py) then counts each client behind the proxy apart.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

SETTING = "CAPITALLENS_TRUSTED_PROXIES"


def parse_networks(raw: str) -> tuple[Network, ...]:
    """``10.0.0.0/8, 127.0.0.1, ::1`` as networks; a ValueError names the setting."""
    networks = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(
                f"{SETTING} must list IP addresses or networks separated by commas, not {item!r}"
            ) from exc
    return tuple(networks)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(peer: str, forwarded_for: str | None, trusted: Iterable[Network]) -> str:
    """The address to treat as the client's."""
    trusted = tuple(trusted)

    def is_trusted(addr: Address | None) -> bool:
        return addr is not None and any(addr in network for network in trusted)

    if not is_trusted(_address(peer)) or not forwarded_for:
        return peer
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        addr = _address(hop)
        if addr is None:  # garbage from a proxy we trust: stop at the last address we believe
            return client
        client = str(addr)
        if not is_trusted(addr):
            return client
    return client


class TrustedProxies:
    """WSGI middleware: REMOTE_ADDR becomes the client's address; the peer's stays in
    ``capitallens.peer_addr``."""

    def __init__(self, app: Callable, trusted: Iterable[Network]):
        self.app = app
        self.trusted = tuple(trusted)

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR", "")
        environ["capitallens.peer_addr"] = peer
        environ["REMOTE_ADDR"] = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), self.trusted)
        return self.app(environ, start_response)
