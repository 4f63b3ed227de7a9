"""The frozen records (records.py) to and from JSON, checked against their declared field types.

The per-document cache keeps its entries in this form rather than as pickles: reading an entry
cannot run code, and an entry that is damaged, foreign or of another shape is refused as a whole
(`Malformed`) instead of surfacing as a wrong value somewhere later.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from pathlib import Path

from pipeline import records

#: the record classes an entry may contain, by name
CLASSES = {cls.__name__: cls for cls in vars(records).values()
           if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == records.__name__}


class Malformed(ValueError):
    """The JSON does not describe records of the declared shape."""


def encode(value):
    """A record (or a tuple of them) as plain JSON values: a record is an object with its class in
    "__record", a tuple a list, a path a string."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {"__record": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def decode(data, expected: type):
    """`data` (from `encode`) as an `expected` record, each field checked against its type."""
    return _reader(expected)(data, expected.__name__)


@cache
def _reader(kind):
    """A function (data, where) -> value that reads JSON data as `kind` or raises Malformed; built
    once per type, so that reading a document of a thousand claims does not consult typing each time."""
    origin = typing.get_origin(kind)
    if kind is type(None) or kind is None:
        return _null
    if origin in (typing.Union, types.UnionType):
        return _union(tuple(_reader(option) for option in typing.get_args(kind)), str(kind))
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(_reader(args[0]))
        return _fixed(tuple(_reader(a) for a in args))
    if kind is Path:
        return _path
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _record(kind)
    if kind in (str, int, float, bool):
        return _scalar(kind)
    raise TypeError(f"no JSON reader for fields of type {kind}")


def _null(data, where):
    if data is not None:
        raise Malformed(f"{where}: expected null")
    return None


def _path(data, where):
    if not isinstance(data, str):
        raise Malformed(f"{where}: expected a path")
    return Path(data)


def _scalar(kind):
    def read(data, where):
        if type(data) is not kind and not (kind is float and type(data) is int):
            raise Malformed(f"{where}: expected {kind.__name__}")
        return data
    return read


def _union(options, name):
    def read(data, where):
        for option in options:
            try:
                return option(data, where)
            except Malformed:
                continue
        raise Malformed(f"{where}: {type(data).__name__} fits none of {name}")
    return read


def _sequence(item):
    def read(data, where):
        if not isinstance(data, list):
            raise Malformed(f"{where}: expected a list")
        return tuple(item(v, where) for v in data)
    return read


def _fixed(items):
    def read(data, where):
        if not isinstance(data, list) or len(data) != len(items):
            raise Malformed(f"{where}: expected a list of {len(items)}")
        return tuple(item(v, where) for item, v in zip(items, data))
    return read


def _record(cls: type):
    if CLASSES.get(cls.__name__) is not cls:
        raise TypeError(f"{cls.__name__} is not a record")
    hints = typing.get_type_hints(cls)
    fields = [(f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
              for f in dataclasses.fields(cls)]
    allowed = {name for name, _ in fields} | {"__record"}
    readers: dict = {}

    def read(data, where):
        if not isinstance(data, dict) or data.get("__record") != cls.__name__:
            raise Malformed(f"{where}: expected a {cls.__name__} record")
        if not data.keys() <= allowed:
            raise Malformed(f"{where}: unknown field(s) {sorted(data.keys() - allowed)}")
        if not readers:  # built on first use: a record may contain itself only through other records
            readers.update({name: _reader(hints[name]) for name, _ in fields})
        values = {}
        for name, required in fields:
            if name in data:
                values[name] = readers[name](data[name], f"{where}.{name}")
            elif required:
                raise Malformed(f"{where}: missing field {name}")
        return cls(**values)
    return read
