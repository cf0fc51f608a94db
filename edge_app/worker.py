"""One background thread that runs the newest job only: what the app's screens use to stay responsive.

    worker = LatestJob()
    worker.submit(lambda: reader.read(image), on_done, on_error)

A job submitted while another runs waits in a one-job slot; a newer submission replaces it (the
older one is dropped, never queued). ``on_done(value)`` or ``on_error(message)`` is called with the
outcome through ``deliver`` (the UI passes one that hops back to its own thread). Only an
:class:`EdgeOCRError` is a user-facing message; any other exception is reported as one line too,
so a bug in a job never kills the thread or the app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .errors import EdgeOCRError

Deliver = Callable[[Callable[[], None]], None]


class LatestJob:
    """A single worker thread with a one-slot, newest-wins queue."""

    def __init__(self, deliver: Deliver | None = None, name: str = "job"):
        self.deliver: Deliver = deliver or (lambda call: call())
        self._cv = threading.Condition()
        self._next: tuple | None = None
        self._busy = False
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        """True while a job runs or waits."""
        with self._cv:
            return self._busy or self._next is not None

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[str], None]) -> None:
        """Run ``job`` when the thread is free, replacing a job that is still waiting."""
        with self._cv:
            if self._next is not None:
                self.dropped += 1
            self._next = (job, on_done, on_error)
            self._cv.notify()

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._next is None:
                    self._cv.wait()
                job, on_done, on_error = self._next
                self._next, self._busy = None, True
            try:
                value = job()
            except EdgeOCRError as exc:
                msg = str(exc)
                self.deliver(lambda m=msg, f=on_error: f(m))
            except Exception as exc:  # a bug must not kill the worker: report it in one line
                msg = f"unexpected {type(exc).__name__}: {exc}"
                self.deliver(lambda m=msg, f=on_error: f(m))
            else:
                self.deliver(lambda v=value, f=on_done: f(v))
            finally:
                with self._cv:
                    self._busy = False
