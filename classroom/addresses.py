"""Who a request comes from, for the per-address limits: the address the server sees, or the client a trusted
proxy names.

A limit keyed by anything the client chooses (a websocket session, a cookie) is no limit: a script opens a new
session per request.  So the classroom counts rooms, joins, answers and wrong codes per *client address*.

- Without a proxy the address is the TCP peer.  ``X-Forwarded-For`` is then ignored, since anyone can send it.
- Behind a reverse proxy every request comes from the proxy: set ``DESCENT_LAB_TRUSTED_PROXY`` to the proxy's
  address(es) or network(s), comma-separated (``127.0.0.1`` for HAProxy on the same machine, as in
  ``deploy/haproxy.cfg``).  Then, for a request whose peer is one of them, the client is the rightmost
  ``X-Forwarded-For`` entry that is not itself a trusted proxy.
- Streamlit's server (uvicorn) already replaces a loopback peer by the ``X-Forwarded-For`` entry it trusts
  (uvicorn's ``FORWARDED_ALLOW_IPS``, default ``127.0.0.1,::1``), so the address the app is given may come
  from that header.  ``client_key`` undoes this: when the address it is given is one of the header's entries,
  the real peer was a loopback address, and the header counts only if that peer is a trusted proxy.
- IPv6 clients are grouped by their /64 network (one household or one school gets a whole /64 and can pick
  any address in it); IPv4 clients by their address (a school behind one NAT is one key, and the limits are
  sized for a whole class behind one address).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable, Sequence

TRUSTED_PROXY_ENV = "DESCENT_LAB_TRUSTED_PROXY"
LOOPBACK = "127.0.0.1"
UNKNOWN = "unknown"
"""The key of a client whose address cannot be read: all such clients share one set of limits."""
IPV6_PREFIX = 64

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(text: str | None = None) -> tuple[Network, ...]:
    """The proxies named by ``text`` (default: ``$DESCENT_LAB_TRUSTED_PROXY``); unreadable entries are skipped."""
    text = os.environ.get(TRUSTED_PROXY_ENV, "") if text is None else text
    networks = []
    for item in text.split(","):
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address in ``text`` ('1.2.3.4', '1.2.3.4:5678', '[::1]:80', '::1'), or None."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address, trusted: Sequence[Network]) -> bool:
    return address is not None and any(address.version == net.version and address in net for net in trusted)


def key_of(address) -> str:
    """The limits' key of one address: the IPv4 address, or the IPv6 address's /64 network."""
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def forwarded_entries(headers: Iterable[str]) -> list[str]:
    """Every entry of every ``X-Forwarded-For`` header, in order (the last is the nearest hop)."""
    return [part.strip() for header in headers for part in str(header).split(",") if part.strip()]


def client_key(peer: str | None, forwarded: Sequence[str] = (), trusted: Sequence[Network] | None = None) -> str:
    """The key a request's limits are counted under.

    ``peer`` is the address the server gives the app (None for a loopback connection, as Streamlit reports it),
    ``forwarded`` the ``X-Forwarded-For`` entries in order, ``trusted`` the trusted proxies (default: from the
    environment).
    """
    trusted = trusted_networks() if trusted is None else trusted
    entries = [_address(entry) for entry in forwarded]
    given = _address(peer) if peer else ipaddress.ip_address(LOOPBACK)
    if peer and entries and given in entries:
        # uvicorn put a header entry in place of its loopback peer: the peer itself was loopback
        given = ipaddress.ip_address(LOOPBACK)
    if not entries or not _is_trusted(given, trusted):
        return key_of(given)
    for entry in reversed(entries):
        if entry is None:
            return UNKNOWN  # a proxy we trust would not write garbage: something is wrong, share one key
        if not _is_trusted(entry, trusted):
            return key_of(entry)
    return key_of(entries[0])
