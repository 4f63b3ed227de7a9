"""Datasette plugin for `claimtrace browse` (loaded with --plugins-dir): the database followed across
rebuilds (`extract` replaces the file; Datasette would keep reading the old one), and the saved
queries' parameters matched as the CLI matches them (a country code in any case or a name, an actor
by any name form), and requests under any Host but 127.0.0.1 or localhost refused."""

from __future__ import annotations

import os

from datasette import hookimpl


@hookimpl
def prepare_connection(conn, database, datasette):
    from pipeline.store.queries import match_actor, match_country

    db = datasette.databases.get(database)
    path = getattr(db, "path", None)

    def country(value):
        return match_country(value) if value else value

    def actor(value):
        return match_actor(path, value) if value and path else value

    conn.create_function("claimtrace_country", 1, country)
    conn.create_function("claimtrace_actor", 1, actor)


@hookimpl
def asgi_wrapper(datasette):
    """Answer only as 127.0.0.1 or localhost (any port; the server is bound to 127.0.0.1): another
    Host is a 400, never a page (DNS rebinding). Then follow a replaced database file."""
    from pipeline.web.hosts import LOOPBACK_NAMES, guard

    seen: dict[str, tuple[int, int]] = {}

    def wrap(app):
        async def follow(scope, receive, send):
            if scope.get("type") == "http":
                _reopen_replaced(datasette, seen)
            await app(scope, receive, send)

        return guard(follow, LOOPBACK_NAMES, None, hint="open it by the address `claimtrace browse` printed")

    return wrap


def _followed(datasette, path: str, generation: tuple):
    """A Database whose connections belong to one file: Datasette keeps one connection per thread
    under the database's name, which would go on reading the replaced file; these are kept under
    the file's identity and reopened when it changes."""
    import asyncio

    from datasette.database import Database, connections

    class Followed(Database):
        async def execute_fn(self, fn):
            if self.ds.executor is None:
                return await super().execute_fn(fn)
            key = f"claimtrace-followed:{self.name}"

            def in_thread():
                held = getattr(connections, key, None)
                if held is None or held[0] != generation:
                    if held is not None:
                        held[1].close()
                    conn = self.connect()
                    self.ds._prepare_connection(conn, self.name)
                    held = (generation, conn)
                    setattr(connections, key, held)
                return fn(held[1])

            return await asyncio.get_event_loop().run_in_executor(self.ds.executor, in_thread)

    return Followed(datasette, path=path, is_mutable=True)


def _reopen_replaced(datasette, seen: dict) -> None:
    """A database whose file was replaced since the last request (another inode) is opened anew."""
    for name, db in list(datasette.databases.items()):
        path = getattr(db, "path", None)
        if not path or getattr(db, "is_memory", False):
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue  # mid-rename: the next request sees the new file
        key = (st.st_dev, st.st_ino)
        if seen.setdefault(name, key) != key:
            seen[name] = key
            datasette.remove_database(name)
            datasette.add_database(_followed(datasette, path, key), name=name)
