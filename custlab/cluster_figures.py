"""Kept for old imports: ``custlab.cluster_figures`` is :mod:`custlab.cluster.figures`."""

import sys

from custlab.cluster import figures

sys.modules[__name__] = figures
