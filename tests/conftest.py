"""Test set-up shared by the whole suite."""

from __future__ import annotations

import os
import tempfile
import warnings

# A private matplotlib config and font cache: a cache from another environment
# can hide the CJK font custlab registers (TRAPS.md). Set before matplotlib loads.
os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="custlab-mpl-"))
os.environ.setdefault("MPLBACKEND", "Agg")

# lifetimes (the reference implementation) predates pandas 3 and numpy 2.
warnings.filterwarnings("ignore", module="lifetimes")
