"""Excel's A1 column letters: ``A`` is column 1, ``Z`` 26, ``AA`` 27, ``XFD`` 16,384.

Shared by the formula engine's reader and the monitoring importer's reader, which read cell
addresses independently of each other but must number columns alike.
"""

from __future__ import annotations

import functools

__all__ = ["column_letters", "column_number"]


@functools.cache
def column_number(letters: str) -> int:
    """``AA`` -> 27 (upper-case letters, checked by the caller)."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


@functools.cache
def column_letters(number: int) -> str:
    """27 -> ``AA``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
