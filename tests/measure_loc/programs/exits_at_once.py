"""Exits with code 7 before doing any work: no samples, but the exit code must come through."""
raise SystemExit(7)
