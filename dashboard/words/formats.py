"""How numbers read, wherever they are shown: on a tile, in the board pack, in a download."""

from __future__ import annotations

NO_CHANGE = "no change"


def change(difference: float, *, decimals: int = 0, unit: str = "") -> str:
    """A change from one figure to another: "+5", "-3", "+1.5 points", or "no change" (never "+0",
    which reads as a rise)."""
    rounded = round(float(difference), decimals)
    return NO_CHANGE if rounded == 0 else f"{rounded:+,.{decimals}f}{unit}"
