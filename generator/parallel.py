"""Work shared out to forked processes, one per core.

Forked workers read what the parent built (the content, the model) without it being copied or
pickled; only what they return is pickled back. Used by load (parsing) and layout (pages).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def shares(items: int, per_share: int) -> int:
    """How many workers `items` pieces of work are worth: one per `per_share`, at most one per core."""
    return max(1, min(cores(), items // per_share))


def pool(workers: int):
    """A pool of forked workers (a context manager); they see the module state set before it is made."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=die_with, initargs=(os.getpid(),))


def die_with(parent: int) -> None:
    """This process (a worker forked by `parent`) ends when `parent` does, even killed (SIGKILL): left alone it
    would finish its share into a folder no build will publish, holding the build's lock (pipeline) while
    the next build waits for it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: such a worker ends once it finds the build gone
        return
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def counter():
    """A number the parent and its forked workers share (made before the fork), with its lock."""
    return multiprocessing.get_context("fork").Value("i", 0)
