"""Where the warm process listens and what goes over its socket. The command-line launcher imports
this before anything else, so it uses the standard library only.

A message is a 4-byte big-endian length and that many bytes of JSON (an object). A command's first
message carries the client's stdin, stdout and stderr as file descriptors (SCM_RIGHTS).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import struct
from pathlib import Path

HEADER = struct.Struct(">I")
MAX_MESSAGE = 4 * 1024 * 1024
#: the commands a warm process runs; all others (serve, review, fetch, bench, daemon ...) start cold
WARM_COMMANDS = frozenset({"extract", "decide", "add", "undo", "link", "export", "query", "search", "report",
                           "schema"})
#: options of the command group that take a value and may come before the command
GLOBAL_OPTIONS = ("--corpus", "--db", "--annotations")


class ProtocolError(Exception):
    """A message that is not what the other side may send."""


def runtime_dir() -> Path:
    if os.environ.get("CLAIMTRACE_RUNTIME_DIR"):
        return Path(os.environ["CLAIMTRACE_RUNTIME_DIR"])
    if os.environ.get("XDG_RUNTIME_DIR"):
        return Path(os.environ["XDG_RUNTIME_DIR"]) / "claimtrace"
    return Path(f"/tmp/claimtrace-{os.getuid()}")


def package_dir() -> Path:
    return Path(__file__).resolve().parent.parent


def socket_path() -> Path:
    """One warm process per installed copy of the code (two checkouts never share one)."""
    tag = hashlib.sha256(str(package_dir()).encode()).hexdigest()[:12]
    return runtime_dir() / f"daemon-{tag}.sock"


def private_dir(create: bool = False) -> Path | None:
    """The runtime folder when it is this user's alone (made so when `create`), else None: a socket
    in a folder others can write to could be someone else's."""
    folder = runtime_dir()
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return folder


def command_of(argv: list[str]) -> str | None:
    """The subcommand of a command line, or None when an option we do not know comes first
    (--help, --version: those start cold)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_OPTIONS:
            i += 2
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS:
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def peer_uid(sock: socket.socket) -> int:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def send(sock: socket.socket, message: dict, fds: tuple[int, ...] = ()) -> None:
    data = json.dumps(message, ensure_ascii=False).encode()
    frame = HEADER.pack(len(data)) + data
    sent = socket.send_fds(sock, [frame], list(fds)) if fds else 0
    if sent < len(frame):  # never a send of nothing: the other side may have answered and closed (EPIPE)
        sock.sendall(frame[sent:])


class Channel:
    """Reads whole messages from a stream socket (and the descriptors the first one carries)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []

    def _fill(self, with_fds: int) -> None:
        if with_fds and not self.fds:
            data, fds, _flags, _addr = socket.recv_fds(self.sock, 65536, with_fds)
            self.fds.extend(fds)
        else:
            data = self.sock.recv(65536)
        if not data:
            raise EOFError("the other side closed the connection")
        self.buffer.extend(data)

    def read(self, with_fds: int = 0) -> dict:
        while len(self.buffer) < HEADER.size:
            self._fill(with_fds)
        (size,) = HEADER.unpack_from(self.buffer)
        if size > MAX_MESSAGE:
            raise ProtocolError(f"a message of {size} bytes (at most {MAX_MESSAGE})")
        while len(self.buffer) < HEADER.size + size:
            self._fill(with_fds)
        data = bytes(self.buffer[HEADER.size:HEADER.size + size])
        del self.buffer[:HEADER.size + size]
        try:
            message = json.loads(data)
        except ValueError as exc:
            raise ProtocolError(f"not JSON ({exc})") from None
        if not isinstance(message, dict):
            raise ProtocolError("not a JSON object")
        return message
