"""The warm process (`claimtrace daemon`): commands handed to it behave as they do cold, and what
reaches its socket is checked (pipeline/daemon)."""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.daemon import protocol
from pipeline.daemon.protocol import Channel, command_of, send
from pipeline.daemon.server import Daemon, code_signature

from conftest import DATA, PAIR_MANIFEST, PAIR_REVIEW

CLI = str(Path(sys.executable).parent / "claimtrace")


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A corpus, its database, and a warm process for it in a private runtime folder."""
    root = tmp_path_factory.mktemp("warm")
    corpus = root / "corpus"
    corpus.mkdir()
    for f in (DATA / "corpus_pair").iterdir():
        shutil.copy(f, corpus / f.name)
    (corpus / "review.txt").write_text(PAIR_REVIEW, encoding="utf-8")
    (corpus / "manifest.toml").write_text(PAIR_MANIFEST, encoding="utf-8")
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "CLAIMTRACE_RUNTIME_DIR": str(runtime)}
    env.pop("CLAIMTRACE_NO_DAEMON", None)
    base = ["--corpus", str(corpus), "--db", str(root / "claims.db"), "--annotations", str(root / "notes")]
    cold = {**env, "CLAIMTRACE_NO_DAEMON": "1"}
    subprocess.run([CLI, *base, "extract", "--processes", "1"], env=cold, check=True, capture_output=True)
    proc = subprocess.Popen([CLI, *base, "daemon", "start", "--foreground"], env=env, stderr=subprocess.PIPE,
                            text=True)
    line = proc.stderr.readline()
    assert "ready" in line, line + proc.stderr.read()
    yield {"root": root, "base": base, "env": env, "cold": cold, "runtime": runtime}
    proc.terminate()
    proc.wait(30)


def status(warm) -> dict:
    done = subprocess.run([CLI, "daemon", "status", "--format", "json"], env=warm["env"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_command_handed_to_the_warm_process_gives_what_it_gives_cold(warm, tmp_path):
    before = status(warm)["served"]
    outputs = {}
    for name, env in (("warm", warm["env"]), ("cold", warm["cold"])):
        db = tmp_path / f"{name}.db"
        base = [*warm["base"][:2], "--db", str(db), *warm["base"][4:]]
        extract = subprocess.run([CLI, *base, "extract", "--processes", "1"], env=env, capture_output=True, text=True)
        claims = subprocess.run([CLI, *base, "export", "claims", "--format", "jsonl"], env=env, capture_output=True,
                                text=True)
        wrong = subprocess.run([CLI, *base, "decide", "0000000000000000", "accept"], env=env, capture_output=True,
                               text=True)
        outputs[name] = [extract.returncode, extract.stdout, claims.returncode, claims.stdout, claims.stderr,
                         wrong.returncode, wrong.stdout, wrong.stderr]
        outputs[name] = [o.replace(str(db), "DB") if isinstance(o, str) else o for o in outputs[name]]
    assert outputs["warm"] == outputs["cold"]
    assert outputs["warm"][2] == 0 and outputs["warm"][3].count("\n") > 3  # claims were exported
    assert outputs["warm"][5] != 0 and "0000000000000000" in outputs["warm"][7]
    assert status(warm)["served"] == before + 3  # and they did run in the warm process


def test_an_edit_is_seen_and_its_cache_entry_kept_for_the_next_command(warm):
    review = warm["root"] / "corpus" / "review.txt"
    review.write_text(review.read_text(encoding="utf-8") + "\nThe Kazakh side said it supports dialogue.\n",
                      encoding="utf-8")
    held = status(warm)["cached_documents"]
    done = subprocess.run([CLI, *warm["base"], "extract", "--processes", "1"], env=warm["env"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert "1 re-parsed" in done.stdout
    assert status(warm)["cached_documents"] == held  # the new entry replaced the pruned one


SLOW_SQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def _slow_query(warm) -> subprocess.Popen:
    proc = subprocess.Popen([CLI, *warm["base"], "query", SLOW_SQL, "--timeout", "60"], env=warm["env"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while status(warm)["running"] == 0:
        assert time.monotonic() < deadline and proc.poll() is None, "the query never started in the warm process"
        time.sleep(0.1)
    return proc


def test_ctrl_c_reaches_the_command_as_it_would_cold(warm):
    proc = _slow_query(warm)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 1 and "interrupted" in err.lower(), err


def test_a_client_that_is_killed_takes_its_command_with_it(warm):
    proc = _slow_query(warm)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while status(warm)["running"]:
        assert time.monotonic() < deadline, "the command went on after its client was killed"
        time.sleep(0.1)


def _raw(warm, payload: bytes, fds=()) -> dict | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(10)
    env_before = os.environ.get("CLAIMTRACE_RUNTIME_DIR")
    os.environ["CLAIMTRACE_RUNTIME_DIR"] = str(warm["runtime"])
    try:
        sock.connect(str(protocol.socket_path()))
    finally:
        os.environ["CLAIMTRACE_RUNTIME_DIR"] = env_before
    try:
        if fds:
            socket.send_fds(sock, [payload], list(fds))
        else:
            sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        return Channel(sock).read()
    except EOFError:
        return None
    finally:
        sock.close()


def frame(obj) -> bytes:
    data = json.dumps(obj).encode()
    return struct.pack(">I", len(data)) + data


@pytest.mark.parametrize("payload, with_fds", [
    (b"\x00\x00\x00\x05hello", True),  # not JSON
    (b"\xff\xff\xff\xff", True),  # a length past the limit
    (frame([1, 2]), True),  # not an object
    (frame({"argv": "extract", "cwd": "/", "env": {}}), True),  # argv a string
    (frame({"argv": ["extract"], "cwd": "relative", "env": {}}), True),
    (frame({"argv": ["extract"], "cwd": "/", "env": {"A=B": "x"}}), True),
    (frame({"argv": ["serve"], "cwd": "/", "env": {}}), True),  # a command it does not run
    (frame({"argv": ["extract"], "cwd": "/", "env": {}}), False),  # without its stdio
    (b"\x00\x00", False),  # cut short
])
def test_a_malformed_message_is_refused_and_the_warm_process_stays_up(warm, payload, with_fds):
    fds = (0, 1, 2) if with_fds else ()
    said = _raw(warm, payload, fds)
    assert said is None or "error" in said
    assert status(warm)["pid"]  # still answering


def test_the_subcommand_is_found_past_the_global_options():
    assert command_of(["--corpus", "x", "--db=y", "extract", "--force"]) == "extract"
    assert command_of(["--db", "extract", "query", "SELECT 1"]) == "query"
    assert command_of(["--help"]) is None and command_of([]) is None


def test_a_runtime_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("CLAIMTRACE_RUNTIME_DIR", str(shared))
    assert protocol.private_dir() is None
    from pipeline.daemon.client import handover

    (shared / protocol.socket_path().name).touch()
    assert handover(["extract"]) is None  # run cold
    done = subprocess.run([CLI, "--db", str(tmp_path / "x.db"), "daemon", "start", "--foreground"],
                          capture_output=True, text=True, env={**os.environ, "CLAIMTRACE_RUNTIME_DIR": str(shared)},
                          timeout=120)
    assert done.returncode == 1 and "not private" in done.stderr


def test_code_changed_on_disk_is_never_run_warm(tmp_path):
    """The warm process compares its code with the files on disk before each command; after a change
    it refuses (the client runs the command cold) and stops to restart."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "a.py").write_text("x = 1\n")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(tmp_path / "s.sock"))
    listener.listen(4)

    class NoCache:
        def keep_warm(self):
            return 0

        def warm_results(self):
            return []

    daemon = Daemon(Settings(), listener, NoCache(), watched=code)
    assert code_signature(code) == daemon.signature
    (code / "a.py").write_text("x = 2  # changed\n")
    said = []

    def client():
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(str(tmp_path / "s.sock"))
        send(sock, {"argv": ["extract"], "cwd": "/", "env": {}}, fds=(0, 1, 2))
        said.append(Channel(sock).read())
        sock.close()

    thread = threading.Thread(target=client)
    thread.start()
    assert daemon.serve() is True  # restart
    thread.join(10)
    listener.close()
    assert "code changed" in said[0]["error"]


def test_a_message_sent_whole_with_its_descriptors_sends_nothing_more(monkeypatch):
    """The warm process may read a request, answer and close before the client's send returns (it
    does when the code changed); a second, empty send would then fail with EPIPE."""
    import socket as socket_module

    from pipeline.daemon import protocol

    a, b = socket_module.socketpair(socket_module.AF_UNIX, socket_module.SOCK_STREAM)
    real = socket_module.send_fds

    def send_then_peer_closes(sock, buffers, fds):
        sent = real(sock, buffers, fds)
        channel = protocol.Channel(b)
        channel.read(with_fds=3)
        for fd in channel.fds:
            os.close(fd)
        b.close()
        return sent

    monkeypatch.setattr(protocol.socket, "send_fds", send_then_peer_closes)
    protocol.send(a, {"argv": ["extract"], "cwd": "/", "env": {}}, fds=(0, 1, 2))  # no BrokenPipeError
    a.close()
