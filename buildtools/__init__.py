"""Parts of build.py's work that have a job of their own (standard library only)."""
