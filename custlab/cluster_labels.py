"""Kept for old imports: ``custlab.cluster_labels`` is :mod:`custlab.cluster.labels`."""

import sys

from custlab.cluster import labels

sys.modules[__name__] = labels
