"""Which `Host` (and `Origin`) a local web server answers: the names it is served under, nothing
else. A page served to any Host can be read by another site through DNS rebinding (a name of the
attacker's that resolves to 127.0.0.1), token included; checking the header closes that door.
Used by `claimtrace serve` and, through its plugin, by `claimtrace browse`. No web framework here:
a plain ASGI wrapper."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
WILDCARDS = ("0.0.0.0", "::")


def is_loopback(host: str) -> bool:
    """True for an address only this machine reaches (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str, extra: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """The names a server bound to `bind` answers to: 127.0.0.1 and localhost on loopback; else the
    address itself and the names given (`--allowed-host`); a wildcard address (0.0.0.0, ::) adds the
    machine's host name and the loopback names."""
    bind = bind.strip("[]").lower()
    names = [bind]
    if bind in ("127.0.0.1", "localhost"):
        names += LOOPBACK_NAMES
    elif bind == "::1":
        names.append("localhost")
    elif bind in WILDCARDS:
        names += [socket.gethostname().lower(), *LOOPBACK_NAMES, "::1"]
    names += [n.strip().strip("[]").lower() for n in extra if n.strip()]
    return tuple(dict.fromkeys(names))


def split_host(value: str) -> tuple[str, int | None] | None:
    """'name', 'name:port', '[v6]' or '[v6]:port' as (name, port); None for anything else."""
    value = value.strip().lower()
    if value.startswith("["):
        name, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else None
    elif value.count(":") == 1:
        name, port = value.split(":")
    elif ":" in value:
        return None  # a bare IPv6 address: a Host header brackets it
    else:
        name, port = value, None
    if not name or (port is not None and not (port.isdigit() and 0 < int(port) < 65536)):
        return None
    return name, int(port) if port is not None else None


def host_allowed(value: str | None, names: tuple[str, ...], port: int | None) -> bool:
    """The Host header names one of `names`, with no port or with `port` (None: any port)."""
    parsed = split_host(value) if value else None
    if parsed is None:
        return False
    name, given = parsed
    return name in names and (given is None or port is None or given == port)


def origin_allowed(value: str, names: tuple[str, ...], port: int | None) -> bool:
    """An Origin header ('http://name:port') names one of `names` (`null` and other schemes do not)."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and not parts.path and host_allowed(parts.netloc, names, port)


def header(scope: dict, name: bytes) -> str | None:
    """One request header of an ASGI scope, as text (None when absent or given twice)."""
    found = [v for k, v in scope.get("headers", []) if k.lower() == name]
    return found[0].decode("latin-1") if len(found) == 1 else None


def refusal(names: tuple[str, ...], port: int | None, hint: str) -> str:
    where = ", ".join(n if ":" not in n else f"[{n}]" for n in names)
    return f"refused: unknown Host; this server answers only as {where}" + (f" (port {port})" if port else "") \
        + f"; {hint}\n"


def guard(app, names: tuple[str, ...], port: int | None = None, hint: str = "open it by one of those names"):
    """`app` behind the Host check: any other Host gets 400 and a short text (`hint`: what to do),
    never the page."""

    async def checked(scope, receive, send):
        if scope["type"] in ("http", "websocket") and not host_allowed(header(scope, b"host"), names, port):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            body = refusal(names, port, hint).encode("utf-8")
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return checked
