"""Standard output that survives a reader closing the pipe (``jbjr-budget begroting | head -2``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["pipe_safe_stdout"]


class _PipeSafe:
    """Wraps a text stream; once the reader has gone, further output is dropped and the work carries on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        """Write ``text`` unless the pipe was closed."""
        if not self.closed_pipe:
            try:
                return self.stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        """Flush unless the pipe was closed."""
        if not self.closed_pipe:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        """Point the descriptor at /dev/null, so the flush at interpreter exit cannot fail either."""
        self.closed_pipe = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # no real descriptor (a test's capture): nothing to redirect
            pass

    def __getattr__(self, name: str) -> object:
        """Everything else (``isatty``, ``encoding``, ...) from the wrapped stream."""
        return getattr(self.stream, name)


@contextmanager
def pipe_safe_stdout() -> Iterator[None]:
    """Replace ``sys.stdout`` by a pipe-safe wrapper for the duration of the block."""
    original = sys.stdout
    sys.stdout = _PipeSafe(original)
    try:
        yield
    finally:
        sys.stdout = original
