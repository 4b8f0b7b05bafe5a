"""A bundle's JSON, read as a stream and more strictly than :mod:`json` reads it.

A call of two million scores is a few hundred megabytes of text. It is read a piece at a time
(about a megabyte), and the one list that grows that long, ``scores``, is handed on in batches of
parsed entries, so that neither the text nor the parsed document is ever held whole.

Where :mod:`json` is lax, this reader refuses and names the place: a key given twice in one object
(``json`` silently keeps the last one, so a second ``"scores": []`` would drop every score), nesting
deeper than any bundle needs (``json`` recurses until Python's limit), and integers too long for
Python to read.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from typing import BinaryIO

PIECE = 1 << 20  # characters read ahead
MAX_DEPTH = 20  # a bundle's data is 5 levels deep at most
LONGEST_STRING = 1 << 24  # beyond this, an unterminated string is not waited for any longer
STREAMED = "scores"
_SPACE = re.compile(r"[ \t\n\r]*")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")

TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (a bundle's data is at most 5 levels deep)"
TOO_LONG = "holds a number too long to read"


class Malformed(Exception):
    """Text that is not JSON at all (or not a JSON object): nothing more can be read from it."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(problem)


def key_part(key: str) -> str:
    """A key as a path shows it: plain keys as they are, any other quoted, escaped and cut short."""
    if _PLAIN_KEY.fullmatch(key):
        return key
    shown = repr(key[:40])
    return shown + ("…" if len(key) > 40 else "")


def join(path: str, key: str) -> str:
    return f"{path}.{key_part(key)}" if path else key_part(key)


class _Twice(dict):
    """An object in which a key was given more than once (the last value kept, as :mod:`json` does)."""

    def __init__(self, pairs: list[tuple[str, object]]):
        super().__init__(pairs)
        seen: set[str] = set()
        self.twice = list(dict.fromkeys(k for k, _ in pairs if k in seen or seen.add(k)))


def _objects(pairs: list) -> dict:
    d = dict(pairs)
    return d if len(d) == len(pairs) else _Twice(pairs)


class LongNumber:
    """An integer written with more digits than Python reads (4,300): refused by any field's type."""

    def __init__(self, text: str):
        self.digits = len(text.lstrip("-"))


def _integer(text: str) -> int | LongNumber:
    return int(text) if len(text) <= 4300 else LongNumber(text)


_DECODER = json.JSONDecoder(object_pairs_hook=_objects, parse_int=_integer)


def structure_problems(value: object, path: str, depth: int) -> list[str]:
    """Keys given twice and nesting beyond :data:`MAX_DEPTH` in a parsed value (``depth`` is its level)."""
    problems = []
    stack = [(value, path, depth)]
    while stack:
        v, where, level = stack.pop()
        if level > MAX_DEPTH:
            problems.append(f"{where}: {TOO_DEEP}")
            continue
        if isinstance(v, LongNumber):
            problems.append(f"{where}: a number of {v.digits:,} digits is too long to be read")
            continue
        if isinstance(v, dict):
            if type(v) is _Twice:
                problems += [f"{join(where, k)}: this key is given twice in one object; give each key once"
                             for k in v.twice]
            children = [(x, join(where, k)) for k, x in v.items()]
        elif isinstance(v, list):
            children = [(x, f"{where}[{i}]") for i, x in enumerate(v)]
        else:
            continue
        stack += [(x, p, level + 1) for x, p in reversed(children) if isinstance(x, dict | list | LongNumber)]
    return problems


def twice_problems(items: list, path: str, start: int) -> list[str]:
    """Keys given twice in the entries of a streamed list (entries are flat: anything nested in one
    is refused by its type anyway)."""
    return [f"{path}[{start + i}].{key_part(k)}: this key is given twice in one object; give each key once"
            for i, x in enumerate(items) if type(x) is _Twice for k in x.twice]


class _Text:
    """The file's text from ``pos`` on, decoded a piece at a time."""

    def __init__(self, f: BinaryIO):
        self.f = f
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines = 0  # line breaks in the text already dropped
        self.dropped = 0  # characters already dropped
        self.bytes_read = 0

    def more(self, need: int) -> None:
        """Have at least ``need`` characters after ``pos`` (fewer only at the end of the file)."""
        while not self.eof and len(self.buf) - self.pos < need:
            data = self.f.read(max(PIECE, need))
            try:
                text = self.decoder.decode(data, final=not data)
            except UnicodeDecodeError as e:
                at = self.bytes_read + e.start + 1
                raise Malformed(f"(bundle): not valid JSON: not UTF-8 text (byte {at:,})") from None
            self.bytes_read += len(data)
            self.eof = not data
            if self.pos:
                self.lines += self.buf.count("\n", 0, self.pos)
                self.dropped += self.pos
                self.buf = self.buf[self.pos :]
                self.pos = 0
            self.buf += text

    def invalid(self, at: int, message: str) -> Malformed:
        line = self.lines + self.buf.count("\n", 0, at) + 1
        column = at - self.buf.rfind("\n", 0, at)
        return Malformed(f"(bundle): not valid JSON: line {line} column {column}: {message}")

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos : self.pos + 1]
            self.more(1)

    def expect(self, chars: str, message: str) -> str:
        ch = self.peek()
        if not ch or ch not in chars:
            raise self.invalid(self.pos, message)
        self.pos += 1
        return ch

    def value(self, path: str, *, text: bool = True) -> tuple[object, str | None]:
        """The next JSON value, parsed, and (with ``text``) its text as written."""
        self.peek()
        need = PIECE
        while True:
            self.more(need)
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as e:
                if self.eof or self._settled(e):
                    raise self.invalid(e.pos, e.msg) from None
                need = 2 * max(need, len(self.buf) - self.pos)
                continue
            except RecursionError:
                raise Malformed(f"{path}: {TOO_DEEP}") from None
            except ValueError:
                raise Malformed(f"{path}: {TOO_LONG}") from None
            if end == len(self.buf) and not self.eof:  # a number may go on in the next piece
                need = 2 * max(need, len(self.buf) - self.pos)
                continue
            written = self.buf[self.pos : end] if text else None
            self.pos = end
            return value, written

    def _settled(self, e: json.JSONDecodeError) -> bool:
        """Whether more text could not change this error (it lies well before the end of what is read)."""
        if e.msg.startswith("Unterminated string"):
            return len(self.buf) - e.pos > LONGEST_STRING
        return e.pos < len(self.buf) - 16

    def batch(self) -> tuple[list | None, int]:
        """As many whole entries of a list as the text read holds, parsed at once, and where they end.

        The cut is made after a ``},``; if that pair lies inside a string or a nested object, the
        text up to it is not a list of whole values and fails to parse, so a success is exact.
        """
        cut = self.buf.rfind("},", self.pos)
        for _ in range(3):
            if cut < 0:
                break
            try:
                return _DECODER.decode("[" + self.buf[self.pos : cut + 1] + "]"), cut + 2
            except json.JSONDecodeError as e:  # the entries before the failure are whole: cut before it
                cut = self.buf.rfind("},", self.pos, min(cut, self.pos + e.pos - 1))
            except (RecursionError, ValueError):
                break
        return None, self.pos


def read(f: BinaryIO, on_streamed: Callable[[list, int], None]) -> tuple[dict[str, str], list[str]]:
    """Read a bundle's top-level object.

    Returns the JSON text of each top-level value but ``scores`` (which goes, when it is a list, to
    ``on_streamed(entries, index_of_the_first)`` in batches) and the problems of structure found
    (keys given twice, nesting too deep). Raises :class:`Malformed` when the text is not a JSON object.
    """
    t = _Text(f)
    t.more(PIECE)
    if t.peek() != "{":
        t.value("(bundle)", text=False)
        raise Malformed("(bundle): a bundle is a JSON object")
    t.pos += 1
    head: dict[str, str] = {}
    problems: list[str] = []
    seen: set[str] = set()
    if t.peek() == "}":
        t.pos += 1
    else:
        while True:
            if t.peek() != '"':
                raise t.invalid(t.pos, "Expecting property name enclosed in double quotes")
            key, _ = t.value("(bundle)", text=False)
            t.expect(":", "Expecting ':' delimiter")
            path = join("", key)
            if key in seen:
                problems.append(f"{path}: this key is given twice in the bundle; give each key once")
            seen.add(key)
            if key == STREAMED and t.peek() == "[":
                _stream(t, path, on_streamed)
            else:
                value, head[key] = t.value(path)
                if isinstance(value, dict | list | LongNumber):
                    problems += structure_problems(value, path, 2)
            if t.expect(",}", "Expecting ',' delimiter") == "}":
                break
    if t.peek():
        raise t.invalid(t.pos, "Extra data")
    return head, problems


def _stream(t: _Text, path: str, on_items: Callable[[list, int], None]) -> None:
    """A list's entries to ``on_items`` in batches: many at once where it can, else one by one."""
    t.pos += 1
    index = 0
    if t.peek() == "]":
        t.pos += 1
        return
    pending: list = []
    slow_until = 0  # after a batch fails, a piece of text is read entry by entry

    def flush() -> None:
        nonlocal index, pending
        if pending:
            on_items(pending, index)
            index += len(pending)
            pending = []

    while True:
        t.more(PIECE)
        if t.dropped + t.pos >= slow_until:
            flush()
            items, end = t.batch()
            if items is not None:
                on_items(items, index)
                index += len(items)
                t.pos = end
                continue
            slow_until = t.dropped + t.pos + PIECE
        value, _ = t.value(f"{path}[{index + len(pending)}]", text=False)
        pending.append(value)
        last = t.expect(",]", "Expecting ',' delimiter") == "]"
        if last or len(pending) >= 1000:
            flush()
        if last:
            return
