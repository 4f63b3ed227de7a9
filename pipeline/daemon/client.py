"""Hand a command to the warm process, when one runs for this copy of the code. Standard library
only: this runs before the command line is imported."""

from __future__ import annotations

import os
import signal
import socket
import sys

from pipeline.daemon.protocol import WARM_COMMANDS, Channel, ProtocolError, command_of, private_dir, send, socket_path

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def connect() -> socket.socket | None:
    """A connection to this code's warm process, or None (none runs, or its folder is not private)."""
    if private_dir() is None:
        return None
    path = socket_path()
    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:  # a socket file left by a process that was killed
        sock.close()
        return None
    return sock


def handover(argv: list[str]) -> int | None:
    """The command's exit status after the warm process ran it, or None: run it here instead."""
    if os.environ.get("CLAIMTRACE_NO_DAEMON") or command_of(argv) not in WARM_COMMANDS:
        return None
    sock = connect()
    if sock is None:
        return None
    channel = Channel(sock)
    try:
        send(sock, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}, fds=(0, 1, 2))
        first = channel.read()
    except (OSError, EOFError, ProtocolError):
        sock.close()
        return None
    if "pid" not in first:  # refused: e.g. the code changed and the warm process restarts
        print(f"Note: {first.get('error', 'the warm process refused the command')}; running it without the warm "
              "process", file=sys.stderr)
        sock.close()
        return None
    return _wait(sock, channel)


def _wait(sock: socket.socket, channel: Channel) -> int:
    """Forward the signals a terminal sends (Ctrl-C) to the command and wait for its status."""
    def forward(signum, _frame):
        try:
            send(sock, {"signal": int(signum)})
        except OSError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    try:
        while True:
            message = channel.read()
            if isinstance(message.get("exit"), int):
                return message["exit"]
    except (OSError, EOFError, ProtocolError) as exc:
        print(f"Error: the warm process stopped before the command ended ({exc}); run it again, or with "
              "CLAIMTRACE_NO_DAEMON=1", file=sys.stderr)
        return 1
    finally:
        sock.close()
