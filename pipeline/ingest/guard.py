"""What fetch may connect to, checked where the connection is made, and one deadline per request.

A name is resolved twice: once when fetch checks the url and again when the HTTP library connects.
A DNS answer that changes in between (rebinding) would pass the first check and reach an internal
address, so the address actually connected to is checked too, before a byte is sent. The sockets a
request uses are registered with its deadline, so a server that sends headers or body a byte at a
time (never tripping the read timeout) is cut off when the deadline passes.
"""

from __future__ import annotations

import ipaddress
import socket
import threading

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class RefusedAddress(Exception):
    """A connection reached an address fetch must not read from."""


def refused_ip(text: str) -> bool:
    """A private, loopback, link-local, reserved, multicast or unspecified address (IPv4-mapped
    IPv6 addresses are judged by their IPv4 part)."""
    ip = ipaddress.ip_address(text.split("%")[0])
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return bool(ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
                or ip.is_unspecified)


def refused_address(host: str) -> str | None:
    """The first address `host` resolves to that fetch must not reach, or None (a name that does
    not resolve is left to the request, which fails with its own message)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    for info in infos:
        address = str(info[4][0])
        if refused_ip(address):
            return address.split("%")[0]
    return None


class Deadline:
    """Shuts down every socket registered with it once `seconds` have passed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def start(self) -> Deadline:
        self._timer.start()
        return self

    def register(self, sock) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            late = self.expired.is_set()
        if late:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


class Policy(threading.local):
    """Per thread: whether internal addresses are allowed, and the deadline of the request in flight."""

    allow_private = False
    deadline: Deadline | None = None


POLICY = Policy()


class _Guarded:
    """Mixed into urllib3's connections: the peer is checked right after connecting (no proxy in
    between), and the socket joins the running request's deadline, reused connections included."""

    def _new_conn(self):
        sock = super()._new_conn()
        if not POLICY.allow_private and not getattr(self, "proxy", None):
            peer = str(sock.getpeername()[0])
            if refused_ip(peer):
                sock.close()
                raise RefusedAddress(f"{self.host} connected to {peer.split('%')[0]}, a private, loopback or "
                                     "link-local address: not fetched (give --allow-private to fetch from an "
                                     "internal network)")
        if POLICY.deadline is not None:
            POLICY.deadline.register(sock)
        return sock

    def getresponse(self, *args, **kwargs):
        if POLICY.deadline is not None:
            POLICY.deadline.register(self.sock)
        return super().getresponse(*args, **kwargs)


class GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    pass


class GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """requests' adapter with the guarded connections (mounted for http:// and https://)."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}
