"""A circuit breaker around the search engine.

Closed: every search asks the engine; `failures` failures (errors or timeouts) in a row
open it. Open: for `cool_off` seconds nothing asks the engine, the database answers at once.
Then one search (the probe) is let through while the others still go to the database: an
answer closes the breaker, a failure keeps it open for another cool-off.

It logs exactly one line when it opens and one when it closes: an outage is two lines in
the log, not a traceback per request. It is shared by the threads of a process (one per
process, as the backend is); each process of a server learns of an outage by itself."""

import logging
import threading
import time

logger = logging.getLogger("search")

CLOSED = "closed"
OPEN = "open"


class CircuitBreaker:
    def __init__(self, name, failures=3, cool_off=30.0, clock=time.monotonic):
        self.name = name
        self.threshold = max(1, int(failures))
        self.cool_off = float(cool_off)
        self.clock = clock
        self.state = CLOSED
        self.consecutive_failures = 0
        self.last_error = ""
        self._retry_at = 0.0
        self._probing = False
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """Whether this call may ask the engine. When it may, the caller reports the outcome
        with `succeeded`, `failed` or (for an error that says nothing of the engine)
        `release`."""
        with self._lock:
            if self.state == CLOSED:
                return True
            if self._probing or self.clock() < self._retry_at:
                return False
            self._probing = True
            return True

    def succeeded(self):
        with self._lock:
            self.consecutive_failures = 0
            self._probing = False
            if self.state == OPEN:
                self.state = CLOSED
                logger.info("search: %s answers again; the circuit breaker closed", self.name)

    def failed(self, error):
        with self._lock:
            self.consecutive_failures += 1
            self.last_error = str(error)
            if self.state == OPEN:
                # A failed probe: still open, for another cool-off, without a new log line.
                # (Otherwise a search let through before the breaker opened: nothing new.)
                if self._probing:
                    self._probing = False
                    self._retry_at = self.clock() + self.cool_off
            elif self.consecutive_failures >= self.threshold:
                self.state = OPEN
                self._retry_at = self.clock() + self.cool_off
                logger.warning(
                    "search: %s failed %d times in a row (last: %s); the circuit breaker "
                    "opened: the database answers, %s is tried again every %g s",
                    self.name,
                    self.consecutive_failures,
                    self.last_error,
                    self.name,
                    self.cool_off,
                )

    def release(self):
        with self._lock:
            self._probing = False

    @property
    def is_open(self):
        return self.state == OPEN
