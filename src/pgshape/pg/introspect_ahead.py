"""Running the catalog queries one step ahead of the code that assembles their rows.

Turning rows into model objects is pure Python and takes about as long as the server takes to
run the queries. Run in turn, the server idles while Python assembles and Python idles while
the server works. :class:`ReadAhead` runs a fixed sequence of queries on a background thread, on
the same connection (so in the same transaction and snapshot), and hands each result over in
order: while the caller converts and assembles one result, the server computes the next, and
the thread waits for it without holding the GIL. The thread hands over executed cursors, not
rows, so that it sends the next query the moment a result is in. On 2,400 tables this saved
5-15 % on a busy two-core machine (see the Introspection section of benchmarks/README.md).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Result = TypeVar("Result")


class ReadAhead(Generic[Result]):
    """Runs ``run(name)`` for each of ``names`` in order on a thread; :meth:`next` hands over.

    The caller must ask for the results in the same order and call :meth:`close` in any case:
    it stops the thread, so the connection is free again. When the caller gives up early (an
    error, Ctrl-C), ``cancel`` is called to cut the query in flight short rather than wait for it.
    """

    def __init__(
        self, run: Callable[[str], Result], names: Sequence[str], *, cancel: Callable[[], None]
    ) -> None:
        self._query = run
        self._cancel = cancel
        self._names = tuple(names)
        self._results: queue.SimpleQueue[Result | BaseException] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._taken = 0
        self._thread = threading.Thread(target=self._run, name="pgshape-introspect", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for name in self._names:
            if self._stop.is_set():
                return
            try:
                result = self._query(name)
            except BaseException as error:  # re-raised in the caller's thread by next()
                self._results.put(error)
                return
            self._results.put(result)

    def next(self, name: str) -> Result:
        expected = self._names[self._taken] if self._taken < len(self._names) else None
        if name != expected:  # pragma: no cover - a programming error in the caller's order
            raise RuntimeError(f"introspection asked for {name!r} where {expected!r} comes next")
        self._taken += 1
        result = self._results.get()
        if isinstance(result, BaseException):
            raise result
        return result

    def close(self) -> None:
        self._stop.set()
        if self._taken < len(self._names) and self._thread.is_alive():
            self._cancel()
        self._thread.join()
