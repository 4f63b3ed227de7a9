"""`claimtrace daemon start|stop|status`."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

import click

from pipeline.config import Settings
from pipeline.daemon.protocol import Channel, ProtocolError, runtime_dir, send, socket_path
from pipeline.errors import ClaimtraceError

START_SECONDS = 120.0


@click.group()
def daemon() -> None:
    """A warm process that keeps spaCy, the model and the corpus's cache loaded.

    While it runs, extract, decide, add, undo, link, export, query, search, report
    and schema run in a forked copy of it instead of starting cold: an edit or a
    decision then costs what it changes, not 2-3 s of loading. Output, exit status
    and Ctrl-C work as they do without it. It serves this copy of claimtrace only,
    over a socket in a folder private to you ($XDG_RUNTIME_DIR/claimtrace, else
    /tmp/claimtrace-UID; CLAIMTRACE_RUNTIME_DIR overrides), and restarts itself
    when the code changes. CLAIMTRACE_NO_DAEMON=1 runs a command cold.

    \b
    Examples:
      claimtrace daemon start
      claimtrace --corpus my-corpus --db my.db daemon start
      claimtrace daemon status
      claimtrace daemon stop
    """


def _ask(message: dict) -> dict | None:
    from pipeline.daemon.client import connect

    sock = connect()
    if sock is None:
        return None
    sock.settimeout(10)
    try:
        send(sock, message)
        return Channel(sock).read()
    except (OSError, EOFError, ProtocolError):
        return None
    finally:
        sock.close()


@daemon.command()
@click.option("--foreground", is_flag=True, help="Stay in the foreground (logs to stderr), e.g. under systemd.")
@click.pass_obj
def start(settings: Settings, foreground: bool) -> None:
    """Start the warm process for this corpus (the model serves any corpus; the
    cache and the gazetteer's pipeline held are this one's).

    \b
    Examples:
      claimtrace daemon start
      claimtrace --corpus my-corpus --db my.db daemon start --foreground
    """
    from pipeline.daemon.server import serve

    if foreground:
        try:
            serve(settings, ready=lambda pid: click.echo(f"warm process ready (pid {pid}) on {socket_path()}",
                                                         err=True))
        except ClaimtraceError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        return
    if _ask({"status": True}) is not None:
        click.echo("a warm process already runs for this copy of claimtrace (`claimtrace daemon status`)")
        return
    read, write = os.pipe()
    if os.fork() == 0:
        os.close(read)
        _detach_and_serve(settings, write)
    os.close(write)
    with os.fdopen(read) as pipe:
        said = pipe.read()
    if said.startswith("ready "):
        click.echo(f"warm process ready (pid {said.split()[1]}); stop it with `claimtrace daemon stop`")
        return
    click.echo(f"Error: the warm process did not start: {said.strip() or 'no reason given'} "
               f"(log: {_log_path()})", err=True)
    sys.exit(1)


def _log_path():
    return socket_path().with_suffix(".log")


def _detach_and_serve(settings: Settings, write: int) -> None:
    """In the first fork: a new session, a second fork, stdio to the log; tell the parent on `write`."""
    from pipeline.daemon.server import serve

    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        runtime_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
        log = os.open(_log_path(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)

        def ready(pid: int) -> None:
            os.write(write, f"ready {pid}\n".encode())
            os.close(write)

        serve(settings, ready=ready)
    except BaseException as exc:  # noqa: BLE001 - the parent prints why
        traceback.print_exc()
        try:
            os.write(write, (str(exc) or type(exc).__name__).encode())
        except OSError:
            pass
        os._exit(1)
    os._exit(0)


@daemon.command()
def stop() -> None:
    """Stop the warm process (commands it is running finish).

    \b
    Example:
      claimtrace daemon stop
    """
    said = _ask({"stop": True})
    if said is None:
        click.echo("no warm process runs for this copy of claimtrace")
        return
    pid = said.get("stopping")
    for _ in range(100):
        if not socket_path().exists():
            break
        time.sleep(0.05)
    click.echo(f"warm process stopped (pid {pid})")


@daemon.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def status(fmt: str) -> None:
    """Whether a warm process runs, for which corpus, how much it holds. Exits 3 when none runs.

    \b
    Examples:
      claimtrace daemon status
      claimtrace daemon status --format json
    """
    said = _ask({"status": True})
    if said is None or not isinstance(said.get("status"), dict):
        click.echo("no warm process runs for this copy of claimtrace", err=fmt == "json")
        sys.exit(3)
    if fmt == "json":
        click.echo(json.dumps(said["status"], ensure_ascii=False, indent=2))
        return
    for key, value in said["status"].items():
        click.echo(f"{key.replace('_', ' ')}: {value}")
