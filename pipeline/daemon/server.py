"""The warm process. It imports the command line and spaCy, builds the language pipeline for one
corpus's knowledge and decodes that database's cache entries, then waits on a Unix socket in a
folder private to the user. Each command that reaches it runs in a forked copy of it, with the
client's stdin, stdout, stderr, folder and environment, so it behaves as it would cold; the copy
sends the exit status back. One thread only (forking a threaded process is unsafe): a selector
watches the socket, the clients (a signal to forward, or a client gone: its command is stopped)
and the children (pidfds).

Input is checked before use: the peer must be this user (SO_PEERCRED), a message is at most 4 MB
of JSON of the declared shape, a command must be one the warm process runs. When the code it was
started from changes on disk, it refuses the command (the client runs it cold) and restarts.
"""

from __future__ import annotations

import importlib
import os
import selectors
import signal
import socket
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.daemon.protocol import (WARM_COMMANDS, Channel, ProtocolError, command_of, package_dir, peer_uid,
                                      private_dir, runtime_dir, send, socket_path)
from pipeline.errors import ClaimtraceError

#: what the commands a warm process runs import first (the rest comes with the language pipeline)
PRELOAD = ("pipeline.cli", "pipeline.curation.decide", "pipeline.extract", "pipeline.store.export",
           "pipeline.store.query", "pipeline.web.report")
REQUEST_SECONDS = 5.0  # a client has this long to send its command
MAX_ARGS = 10_000


def code_signature(folder: Path) -> tuple:
    """What the running code was loaded from: every source and knowledge file's size and time."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            st = path.stat()
            found.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(found)


def check_request(message: dict, fds: list[int]) -> tuple[list[str], str, dict[str, str]]:
    """argv, folder and environment of a command, or ProtocolError saying what is wrong."""
    argv, cwd, env = message.get("argv"), message.get("cwd"), message.get("env")
    if len(fds) != 3:
        raise ProtocolError("a command comes with its stdin, stdout and stderr")
    if not (isinstance(argv, list) and len(argv) <= MAX_ARGS
            and all(isinstance(a, str) and "\0" not in a for a in argv)):
        raise ProtocolError("argv must be a list of strings")
    if not (isinstance(cwd, str) and os.path.isabs(cwd) and "\0" not in cwd):
        raise ProtocolError("cwd must be an absolute path")
    if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) and k and "=" not in k
                                          and "\0" not in k + v for k, v in env.items())):
        raise ProtocolError("env must map names to strings")
    if command_of(argv) not in WARM_COMMANDS:
        raise ProtocolError(f"the warm process does not run {command_of(argv)!r}")
    return argv, cwd, env


def warm(settings: Settings):
    """Everything a command would load first, loaded once: the modules, the language pipeline for
    this corpus's knowledge (and the Russian one if the cache holds Russian documents), the cache."""
    for name in PRELOAD:
        importlib.import_module(name)
    from pipeline import stage
    from pipeline.cache import DocumentCache, knowledge_version
    from pipeline.knowledge import load_knowledge

    knowledge = load_knowledge(settings.annotations)
    parsers = stage.models(settings.model, knowledge, knowledge_version(settings.annotations))
    cache = DocumentCache(settings.db)
    cache.keep_warm()
    if any(r.language and r.language.value == "ru" for r in cache.warm_results()):
        parsers.russian()
    return cache


@dataclass
class Job:
    pid: int
    pidfd: int
    conn: socket.socket | None
    channel: Channel


class _Stop(Exception):
    def __init__(self, restart: bool) -> None:
        self.restart = restart


class Daemon:
    def __init__(self, settings: Settings, listener: socket.socket, cache, watched: Path | None = None) -> None:
        self.settings = settings
        self.listener = listener
        self.cache = cache
        self.watched = watched or package_dir()
        self.signature = code_signature(self.watched)
        self.selector = selectors.DefaultSelector()
        self.jobs: dict[int, Job] = {}
        self.started = time.time()
        self.served = 0

    def serve(self) -> bool:
        """Serve until stopped; True when the code changed and the process should restart."""
        self.selector.register(self.listener, selectors.EVENT_READ, ("listen", None))
        try:
            while True:
                for key, _ in self.selector.select():
                    kind, job = key.data
                    if kind == "listen":
                        self._accept()
                    elif kind == "client":
                        self._from_client(job)
                    else:
                        self._child_ended(job)
        except _Stop as stop:
            return stop.restart

    # --- a new connection ------------------------------------------------------------------------
    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        conn.settimeout(REQUEST_SECONDS)
        channel = Channel(conn)
        forked = False
        try:
            if peer_uid(conn) != os.getuid():
                raise ProtocolError("the client is another user")
            message = channel.read(with_fds=3)
            if message.get("status") is True:
                send(conn, {"status": self.status()})
            elif message.get("stop") is True:
                send(conn, {"stopping": os.getpid()})
                raise _Stop(restart=False)
            else:
                argv, cwd, env = check_request(message, channel.fds)
                if code_signature(self.watched) != self.signature:
                    send(conn, {"error": "the code changed since the warm process started; it restarts"})
                    raise _Stop(restart=True)
                self._fork(conn, channel, argv, cwd, env)
                forked = True
        except (OSError, EOFError, ProtocolError) as exc:
            try:
                send(conn, {"error": f"refused: {exc}"})
            except OSError:
                pass
        finally:
            for fd in channel.fds:
                os.close(fd)
            channel.fds.clear()
            if not forked:
                conn.close()

    def _fork(self, conn: socket.socket, channel: Channel, argv: list[str], cwd: str, env: dict[str, str]) -> None:
        pid = os.fork()
        if pid == 0:
            run_child(conn, channel.fds, argv, cwd, env, others=self._descriptors())
        job = Job(pid, os.pidfd_open(pid), conn, channel)
        self.jobs[pid] = job
        self.served += 1
        self.selector.register(conn, selectors.EVENT_READ, ("client", job))
        self.selector.register(job.pidfd, selectors.EVENT_READ, ("child", job))

    def _descriptors(self) -> list[int]:
        out = [self.listener.fileno(), self.selector.fileno()]
        for job in self.jobs.values():
            out.append(job.pidfd)
            if job.conn is not None:
                out.append(job.conn.fileno())
        return out

    # --- a running command -----------------------------------------------------------------------
    def _from_client(self, job: Job) -> None:
        try:
            message = job.channel.read()
        except (OSError, EOFError, ProtocolError):  # the client is gone: so is its command, as when cold
            self._signal(job, signal.SIGTERM)
            self._drop_client(job)
            return
        if message.get("signal") in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            self._signal(job, message["signal"])

    def _signal(self, job: Job, signum: int) -> None:
        try:
            os.killpg(job.pid, signum)  # the command and its worker processes (it leads its group)
        except OSError:
            pass

    def _drop_client(self, job: Job) -> None:
        if job.conn is not None:
            self.selector.unregister(job.conn)
            job.conn.close()
            job.conn = None

    def _child_ended(self, job: Job) -> None:
        _, status = os.waitpid(job.pid, 0)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        if job.conn is not None:
            try:  # the child sends its own status first; this covers a child that was killed
                send(job.conn, {"exit": code})
            except OSError:
                pass
        self._drop_client(job)
        self.selector.unregister(job.pidfd)
        os.close(job.pidfd)
        del self.jobs[job.pid]
        self.cache.keep_warm()  # the entries the command wrote, for the next one

    def status(self) -> dict:
        return {"pid": os.getpid(), "package": str(package_dir()), "corpus": str(self.settings.corpus),
                "db": str(self.settings.db), "annotations": str(self.settings.annotations),
                "cached_documents": len(self.cache.warm_results()), "running": len(self.jobs),
                "served": self.served, "up_seconds": round(time.time() - self.started)}


def run_child(conn: socket.socket, fds: list[int], argv: list[str], cwd: str, env: dict[str, str],
              others: list[int]) -> None:
    """In the forked copy: become the client's command, run it, send its status, exit."""
    code = 70
    try:
        os.setpgid(0, 0)
        for fd in others:
            os.close(fd)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1 if os.isatty(1) else -1)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = ["claimtrace", *argv]
        send(conn, {"pid": os.getpid()})
        code = _run_command(argv)
    except BaseException:  # noqa: BLE001 - whatever happens, the client gets a status
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        try:
            send(conn, {"exit": code})
        except OSError:
            pass
        os._exit(code)


def _run_command(argv: list[str]) -> int:
    from pipeline.cli import cli

    try:
        cli.main(args=argv, prog_name="claimtrace")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


# --- starting ------------------------------------------------------------------------------------

def listen() -> socket.socket:
    """This code's socket, in the private runtime folder; refused when one already answers there."""
    from pipeline.daemon.client import connect

    if private_dir(create=True) is None:
        raise ClaimtraceError(f"{runtime_dir()} is not private to you (another owner, or others may read or write "
                              "it); remove it, or set CLAIMTRACE_RUNTIME_DIR to a folder of your own")
    running = connect()
    if running is not None:
        running.close()
        raise ClaimtraceError("a warm process already runs for this copy of claimtrace (see `claimtrace daemon "
                              "status`; stop it with `claimtrace daemon stop`)")
    path = socket_path()
    path.unlink(missing_ok=True)  # left by a process that was killed: nothing answers on it
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(64)
    return listener


def _stop(*_) -> None:
    raise _Stop(restart=False)


def serve(settings: Settings, ready=None) -> None:
    """Warm up, listen, serve; `ready(pid)` is called once the socket answers. Restarts itself
    (the same command line, in the foreground) when its code changed."""
    cache = warm(settings)
    listener = listen()
    if ready is not None:
        ready(os.getpid())
    previous = signal.signal(signal.SIGTERM, _stop)
    restart = False
    try:
        restart = Daemon(settings, listener, cache).serve()
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        socket_path().unlink(missing_ok=True)
        listener.close()
    if restart:
        os.execv(sys.executable, [sys.executable, "-m", "pipeline.cli", "--corpus", str(settings.corpus),
                                  "--db", str(settings.db), "--annotations", str(settings.annotations),
                                  "daemon", "start", "--foreground"])
