"""The exit statuses of ``capitallens``, in one place.

====  ==================  ===================================================================
code  name                when
====  ==================  ===================================================================
0     OK                  the command did what it was asked
1     FAILED              a job failed, or another expected failure (a bad workbook, a job
                          that has already finished, a server that refused an upload, a
                          database with no tables yet)
2     USAGE               a bad option or argument, or a CAPITALLENS_* setting that does not
                          parse (click's own usage status)
3     DATABASE            the database cannot be reached
4     NOT_FOUND           no such model, job, API key or source file
5     CANCELLED           the followed job was cancelled
====  ==================  ===================================================================

The top-level ``--help`` prints the same table (``EPILOG``).
"""

from __future__ import annotations

OK = 0
FAILED = 1
USAGE = 2
DATABASE = 3
NOT_FOUND = 4
CANCELLED = 5

MEANINGS = {
    OK: "success",
    FAILED: "a job failed, or another expected failure",
    USAGE: "a bad option, argument or CAPITALLENS_* setting",
    DATABASE: "the database cannot be reached",
    NOT_FOUND: "no such model, job, API key or file",
    CANCELLED: "the job was cancelled",
}

# \b keeps click from re-wrapping the lines.
EPILOG = "Exit status:\n\n\b\n" + "\n".join(f"  {code}  {text}" for code, text in MEANINGS.items())
