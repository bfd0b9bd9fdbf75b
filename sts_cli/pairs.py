"""Two small non-negative numbers (a line and column, an offset and length) kept as one int.

One int costs far less than a tuple of two, and the objects kept for the cross-object rules
hold several such pairs each. Its own module so that the records a cached run reads
(`engine.CheckedObject`) can unpack them without importing the checking pipeline.
"""

from __future__ import annotations

_WIDE = 1 << 32


def pack_pair(pair: tuple[int, int]) -> int | tuple[int, int]:
    """One number for `pair`, or the pair itself when a part does not fit."""
    first, second = pair
    return first * _WIDE + second if first >= 0 and 0 <= second < _WIDE else pair


def unpack_pair(packed: int | tuple[int, int]) -> tuple[int, int]:
    return packed if isinstance(packed, tuple) else divmod(packed, _WIDE)
