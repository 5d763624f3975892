"""Worker processes end with the indexing run that started them, however it ends.

Workers inherit the index's write lock (an flock shared across fork). Killed alone, a run's main
process would leave its workers waiting on it forever, holding the lock, and every later run
would fail with a LockError. Linux's parent-death signal kills them with it instead.
"""

import ctypes
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
