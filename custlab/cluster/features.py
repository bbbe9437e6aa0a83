"""Clustering features from the per-customer table (COURSE.md M11, step 4: prepare the data).

:class:`CustomerFeatures` turns the skewed R, F, M columns (and any attribute
columns) into features on one scale, so that every feature weighs the same
in the distances of :class:`custlab.cluster.CustomerClusters`.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"recency_days": [1.0, 9.0, 99.0], "n_transactions": [1, 3, 7],
...                   "total_amount": [10.0, 30.0, 70.0]})
>>> CustomerFeatures().fit_transform(s).round(2)["total_amount"].tolist()
[-1.27, 0.09, 1.18]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from custlab.errors import DataError, plain
from custlab.segment._base import example, get_column, is_missing, numeric
from custlab.segment.rfm import RFM_COLUMNS

__all__ = ["DEFAULT_FEATURES", "CustomerFeatures"]

#: Default features: R, F, M columns of the per-customer summary.
DEFAULT_FEATURES: tuple[str, ...] = (RFM_COLUMNS["R"], RFM_COLUMNS["F"], RFM_COLUMNS["M"])

_TRANSFORMS = ("log", "rank", "none")


class CustomerFeatures(TransformerMixin, BaseEstimator):
    """Turn per-customer columns into clustering features (M11 step 4, data preparation).

    R, F and M are heavily right-skewed (a few customers buy very often and
    spend a lot); k-means on raw values would cut only along the largest
    amounts. Each numeric column is therefore transformed, then scaled:

    * ``"log"``: ``sign(x) * log(1 + |x|)`` (``log1p`` for the usual
      non-negative counts, days and amounts; the sign keeps net returns
      negative instead of failing);
    * ``"rank"``: the mid-rank empirical distribution function of the fitted
      data, ``(#{fit < x} + #{fit <= x}) / (2 n)`` in [0, 1]: uniform
      whatever the skew, ties share one value, and new customers are placed
      among the fitted ones;
    * ``"none"``: the raw value.

    With ``scale="standard"`` every transformed column is centred on its
    mean and divided by its standard deviation (a constant column is only
    centred), so each feature weighs the same. Categorical attributes (e.g.
    ``region``) are one-hot encoded, one 0/1 column per category seen in fit,
    multiplied by ``categorical_weight``.

    Parameters
    ----------
    columns : sequence of str
        Numeric columns of the per-customer table.
    transformation : {"log", "rank", "none"} or mapping column -> one of these
    scale : {"standard", "none"}
    categorical : sequence of str
        Attribute columns to one-hot encode.
    categorical_weight : float
        Value of a "yes" in a one-hot column.

    Attributes
    ----------
    transforms_ : dict
        The transform used for each numeric column.
    center_, scale_ : pandas.Series
        Centre and divisor of each transformed numeric column.
    categories_ : dict
        Column -> sorted list of categories seen in fit.
    feature_names_out_ : list of str
        Output columns: the numeric columns, then ``<column>=<category>``.

    Raises
    ------
    DataError
        A missing column, a non-numeric or infinite value, or a missing value
        (cluster with ``CustomerClusters(unknown=True)`` to give those
        customers an "unknown" label instead); in ``transform``, a category
        not seen in fit.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [1.0, 9.0, 99.0], "n_transactions": [1, 3, 7],
    ...                   "total_amount": [10.0, 30.0, 70.0], "region": ["east", "west", "east"]})
    >>> f = CustomerFeatures(transformation="rank", categorical=["region"]).fit(s)
    >>> f.get_feature_names_out().tolist()
    ['recency_days', 'n_transactions', 'total_amount', 'region=east', 'region=west']
    >>> f.transform(s)["region=west"].tolist()
    [0.0, 1.0, 0.0]
    """

    def __init__(
        self,
        columns: Sequence[str] = DEFAULT_FEATURES,
        transformation: str | Mapping[str, str] = "log",
        scale: str = "standard",
        categorical: Sequence[str] = (),
        categorical_weight: float = 1.0,
    ) -> None:
        self.columns = columns
        self.transformation = transformation
        self.scale = scale
        self.categorical = categorical
        self.categorical_weight = categorical_weight

    # -- checks

    def _transforms(self) -> dict[str, str]:
        columns = list(self.columns)
        if isinstance(self.transformation, Mapping):
            unknown_cols = sorted(set(self.transformation) - set(columns))
            if unknown_cols:
                raise ValueError(
                    f"transformation names columns {unknown_cols} that are not in columns={columns}"
                )
            chosen = {c: self.transformation.get(c, "none") for c in columns}
        else:
            chosen = {c: self.transformation for c in columns}
        for c, t in chosen.items():
            if t not in _TRANSFORMS:
                raise ValueError(f"transformation for {c!r} is {t!r}: choose one of {_TRANSFORMS}")
        if self.scale not in ("standard", "none"):
            raise ValueError(f"scale={self.scale!r}: choose 'standard' or 'none'")
        if not columns and not list(self.categorical):
            raise ValueError("no features: give at least one numeric or categorical column")
        return chosen

    def _read(
        self, X: Any
    ) -> tuple[np.ndarray, dict[str, pd.Series], pd.Series, dict[str, pd.Series]]:
        """Numeric matrix, categorical columns, any-missing mask and per-column masks."""
        if not isinstance(X, pd.DataFrame):
            raise TypeError("CustomerFeatures needs a pandas DataFrame with one row per customer")
        masks: dict[str, pd.Series] = {}
        numeric_values = []
        for col in self.columns:
            values, missing = numeric(X, col, unknown=True)
            numeric_values.append(values.to_numpy(dtype=float))
            masks[col] = missing
        cats: dict[str, pd.Series] = {}
        for col in self.categorical:
            s = get_column(X, col)
            cats[col] = s
            masks[col] = is_missing(s)
        matrix = np.column_stack(numeric_values) if numeric_values else np.empty((len(X), 0))
        any_missing = pd.Series(np.zeros(len(X), dtype=bool), index=X.index)
        for m in masks.values():
            any_missing |= m.to_numpy(dtype=bool)
        return matrix, cats, any_missing, masks

    def missing(self, X: pd.DataFrame) -> pd.Series:
        """Which customers lack a value in some feature column (after checking the columns).

        Examples
        --------
        >>> import pandas as pd
        >>> s = pd.DataFrame({"x": [1.0, None]})
        >>> CustomerFeatures(columns=["x"]).missing(s).tolist()
        [False, True]
        """
        return self._read(X)[2]

    @staticmethod
    def missing_error(X: pd.DataFrame, masks: Mapping[str, pd.Series]) -> DataError:
        """The DataError for customers with a missing feature (first offending column)."""
        for col, m in masks.items():
            if m.any():
                s = X[col]
                return DataError(
                    f"column {col!r}: {int(m.sum())} missing values; {example(s, m)}; fill them, or cluster "
                    f"with CustomerClusters(unknown=True) to give those customers an 'unknown' label"
                )
        raise AssertionError("missing_error called without missing values")

    # -- fit / transform

    def fit(self, X: pd.DataFrame, y: Any = None) -> CustomerFeatures:
        """Learn transforms, centres, scales and categories from ``X``; returns self."""
        transforms = self._transforms()
        matrix, cats, any_missing, masks = self._read(X)
        if any_missing.any():
            raise self.missing_error(X, masks)
        self.transforms_ = transforms
        self.sorted_ = {
            c: np.sort(matrix[:, j]) for j, c in enumerate(self.columns) if transforms[c] == "rank"
        }
        self._fit_scale(self._numeric(matrix))
        self.categories_ = {
            col: sorted(pd.unique(s.to_numpy(dtype=object)).tolist(), key=str)
            for col, s in cats.items()
        }
        names = list(self.columns)
        self.feature_names_out_ = names + [
            f"{col}={c}" for col, cs in self.categories_.items() for c in cs
        ]
        self.n_features_in_ = len(names) + len(self.categories_)
        return self

    def _fit_scale(self, transformed: np.ndarray) -> None:
        """Set :attr:`center_` and :attr:`scale_` of the transformed numeric columns."""
        names = list(self.columns)
        if self.scale == "standard" and transformed.shape[1]:
            center = transformed.mean(axis=0)
            spread = transformed.std(axis=0)
            # a constant column carries no information; dividing by 0 would make it NaN
            spread = np.where(spread > 0, spread, 1.0)
        else:
            center = np.zeros(transformed.shape[1])
            spread = np.ones(transformed.shape[1])
        self.center_ = pd.Series(center, index=names, dtype=float)
        self.scale_ = pd.Series(spread, index=names, dtype=float)

    def _numeric(self, matrix: np.ndarray) -> np.ndarray:
        out = np.empty_like(matrix, dtype=float)
        for j, col in enumerate(self.columns):
            x = matrix[:, j]
            how = self.transforms_[col]
            if how == "log":
                out[:, j] = np.sign(x) * np.log1p(np.abs(x))
            elif how == "rank":
                ref = self.sorted_[col]
                below = np.searchsorted(ref, x, side="left")
                at_or_below = np.searchsorted(ref, x, side="right")
                out[:, j] = (below + at_or_below) / (2.0 * len(ref))
            else:
                out[:, j] = x
        return out

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """The features of ``X``: a DataFrame aligned with ``X`` with :attr:`feature_names_out_`."""
        if not hasattr(self, "transforms_"):
            raise AttributeError("CustomerFeatures is not fitted yet; call fit first")
        matrix, cats, any_missing, masks = self._read(X)
        if any_missing.any():
            raise self.missing_error(X, masks)
        values = (self._numeric(matrix) - self.center_.to_numpy()) / self.scale_.to_numpy()
        blocks = [values]
        for col, categories in self.categories_.items():
            blocks.append(self._onehot(col, cats[col], categories))
        return pd.DataFrame(np.hstack(blocks), index=X.index, columns=self.feature_names_out_)

    def _onehot(self, col: str, s: pd.Series, categories: list[Any]) -> np.ndarray:
        """One column per category seen in fit, ``categorical_weight`` where the customer is in it."""
        codes = pd.Index(categories, dtype=object).get_indexer(s.to_numpy(dtype=object))
        if (codes < 0).any():
            bad = codes < 0
            raise DataError(
                f"column {col!r}: category {plain(s.to_numpy(dtype=object)[bad][0])} was not seen in fit "
                f"(known: {categories}); {example(s, bad)}"
            )
        onehot = np.zeros((len(s), len(categories)))
        onehot[np.arange(len(s)), codes] = float(self.categorical_weight)
        return onehot

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns."""
        return np.asarray(self.feature_names_out_, dtype=object)
