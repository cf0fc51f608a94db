"""The screens' background worker: newest job wins, errors come back as one line, the thread survives."""

from __future__ import annotations

import threading
import time

from edge_app.errors import EdgeOCRError
from edge_app.worker import LatestJob


def test_jobs_submitted_while_busy_are_replaced_not_queued():
    done: list[int] = []
    gate = threading.Event()
    worker = LatestJob()
    worker.submit(lambda: gate.wait(5) and 0, done.append, print)
    time.sleep(0.05)
    for i in range(1, 6):
        worker.submit(lambda i=i: i, done.append, print)
    gate.set()
    deadline = time.monotonic() + 5
    while worker.busy and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done == [0, 5] and worker.dropped == 4


def test_errors_are_delivered_as_messages_and_the_worker_keeps_going():
    got: list[str] = []
    worker = LatestJob()

    def bad():
        raise EdgeOCRError("model 'x' is missing")

    def bug():
        raise ZeroDivisionError("division by zero")

    for job in (bad, bug, lambda: "fine"):
        event = threading.Event()
        worker.submit(job, lambda v, e=event: (got.append(v), e.set()), lambda m, e=event: (got.append(m), e.set()))
        assert event.wait(5)
    assert got == ["model 'x' is missing", "unexpected ZeroDivisionError: division by zero", "fine"]
