"""claimtrace: attributed claims from reviews and official readouts."""

__version__ = "0.1.0"
