"""How many cores this process may use: the default of `--jobs`.

Its own module so that reading the option does not import the worker pool and the whole
checking pipeline behind it (a run answered from the cache needs neither).
"""

from __future__ import annotations

import os


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        return max(1, os.cpu_count() or 1)
