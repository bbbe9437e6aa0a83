"""Shared machinery of the CLV models.

Input checks, merging of identical rows, maximum likelihood on log-parameters
with analytic derivatives, Hessian-based standard errors, the ``summary()``
table and JSON persistence. The models (:mod:`custlab.clv.betageo`,
:mod:`custlab.clv.gammagamma`) supply only their likelihood.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import warnings
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import optimize

from custlab.errors import DataError

# Two-sided 95% normal quantile, used for the intervals in summary().
_Z95 = 1.959963984540054

# Distinct rows above which a first fit on a systematic subsample provides the
# starting values: Newton's method then needs only a few passes over all rows.
_SUBSAMPLE_ROWS = 40_000

# A log-parameter with a larger standard error is not identified: its 95%
# interval would span a factor of more than e^40.
_MAX_SE_LOG = 10.0
# Parameters beyond exp(+-25) have run off towards a limit of the model.
_MAX_ABS_LOG = 25.0
# Curvature of the log-likelihood below this fraction of the largest marks a flat ridge.
_FLAT_CURVATURE = 1e-7


class ConvergenceError(RuntimeError):
    """The likelihood maximisation did not reach a proper maximum.

    Raised instead of returning NaN or meaningless parameters. The message says
    what went wrong and what to try.

    Examples
    --------
    >>> from custlab.clv import ConvergenceError
    >>> issubclass(ConvergenceError, RuntimeError)
    True
    """


class IdentificationWarning(UserWarning):
    """The fit converged, but some parameters are not identified by the data.

    The likelihood rises towards a limit of the model (for BG/NBD, e.g.
    ``a, b -> infinity`` with ``a/(a+b)`` fixed: the same dropout probability for
    everyone). Predictions stay valid; the parameters' values do not mean much.
    """


# --------------------------------------------------------------------------- input checks
def _row_label(index: pd.Index | None, position: int) -> str:
    if index is None:
        return f"row {position}"
    return f"row {position} (index {index[position]!r})"


def as_column(values: Any, name: str, n: int | None = None) -> tuple[np.ndarray, pd.Index | None]:
    """Convert one input column to float64, raising DataError for what cannot be used.

    Returns the array and the pandas index it came with (None for plain arrays).
    """
    index = values.index if isinstance(values, (pd.Series, pd.DataFrame)) else None
    if isinstance(values, pd.DataFrame):
        raise DataError(
            f"column {name!r}: expected one column (a Series or array), got a DataFrame"
        )
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as err:
        sample = pd.Series(np.asarray(values, dtype=object)).head(3).tolist()
        raise DataError(
            f"column {name!r}: values are not numeric ({err}); first values: {sample}"
        ) from None
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise DataError(
            f"column {name!r}: expected a one-dimensional column, got shape {arr.shape}"
        )
    if n is not None and arr.shape[0] != n:
        raise DataError(f"column {name!r}: has {arr.shape[0]} rows but the other columns have {n}")
    if arr.shape[0] == 0:
        raise DataError(f"column {name!r}: no rows: there are no customers to fit")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"column {name!r}: {int(bad.sum())} missing or infinite values; "
            f"e.g. {_row_label(index, i)}: {name}={arr[i]}"
        )
    return arr, index


def fail_where(
    mask: np.ndarray,
    message: str,
    name: str,
    values: np.ndarray,
    index: pd.Index | None,
    others: dict[str, np.ndarray] | None = None,
) -> None:
    """Raise DataError naming the column, the problem and the first offending row."""
    if not mask.any():
        return
    i = int(np.flatnonzero(mask)[0])
    shown = {name: values[i], **{k: v[i] for k, v in (others or {}).items()}}
    desc = ", ".join(f"{k}={v:g}" for k, v in shown.items())
    raise DataError(
        f"column {name!r}: {int(mask.sum())} {message}; e.g. {_row_label(index, i)}: {desc}"
    )


def check_weights(weights: Any, n: int, index: pd.Index | None) -> np.ndarray:
    """Weights: finite, non-negative, not all zero. None means one per row."""
    if weights is None:
        return np.ones(n)
    w, _ = as_column(weights, "weights", n)
    fail_where(w < 0, "negative weights", "weights", w, index)
    if not (w > 0).any():
        raise DataError("column 'weights': all weights are zero: there are no customers to fit")
    return w


# --------------------------------------------------------------------------- merging rows
def _mix(bits: np.ndarray) -> np.ndarray:
    # splitmix64 finaliser: a cheap, well-spread 64-bit hash of each float's bits.
    with np.errstate(over="ignore"):
        z = bits * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def merge_rows(
    columns: list[np.ndarray], weights: np.ndarray
) -> tuple[list[np.ndarray], np.ndarray, str]:
    """Merge identical rows, adding up their weights.

    The likelihood of a data set is a weighted sum over distinct rows, so fitting
    on the merged rows gives the same optimum at a cost that grows with distinct
    rows rather than customers. Rows are ordered by a 64-bit hash of their values
    and neighbours compared exactly, so a hash collision can only leave two equal
    rows unmerged (harmless), never merge different rows. Rows of weight zero are
    dropped (they contribute nothing).

    Returns
    -------
    columns, weights, fingerprint
        The merged rows, their weights and a SHA-256 fingerprint of the data
        (of the sorted row hashes and weights: the same for any row order).
    """
    keep = weights > 0
    if not keep.all():
        columns = [c[keep] for c in columns]
        weights = weights[keep]
    n = weights.shape[0]
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k, col in enumerate(columns):
            # +0.0 turns -0.0 into 0.0 so that equal values have equal bits.
            h = _mix(h ^ ((col + 0.0).view(np.uint64) + np.uint64(k)))
    order = np.argsort(h.view(np.int64), kind="quicksort")
    sorted_cols = [c[order] for c in columns]
    same = np.ones(n - 1, dtype=bool)
    for c in sorted_cols:
        same &= c[1:] == c[:-1]
    starts = np.flatnonzero(np.concatenate([[True], ~same]))
    if np.all(weights == 1.0):
        merged_w = np.diff(np.append(starts, n)).astype(np.float64)
    else:
        merged_w = np.add.reduceat(weights[order], starts)
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(h[order][starts]).tobytes())
    digest.update(np.ascontiguousarray(merged_w, dtype="<f8").tobytes())
    return [c[starts] for c in sorted_cols], merged_w, digest.hexdigest()


def distinct_rows(columns: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of equal-length 1-d columns and each row's position among them.

    Predictions for many customers repeat a few histories (tenures, patterns):
    evaluate ``f(*distinct)`` once per distinct row, then ``result[inverse]``.
    Hash-based (pandas), in order of first appearance.
    """
    keys = pd.DataFrame({str(i): c for i, c in enumerate(columns)})
    inverse = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    first = np.unique(inverse, return_index=True)[1]
    return [c[first] for c in columns], inverse


def chunks(n: int, size: int = 16_384):
    """Slices covering ``range(n)`` in blocks small enough to stay in the CPU cache."""
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """Inner product without BLAS: BLAS may start threads for long vectors,
    which costs more than it saves on a busy machine for these short chunks."""
    return np.einsum("i,i->", a, b)


# --------------------------------------------------------------------------- output shape
def like_input(values: np.ndarray, index: pd.Index | None, name: str) -> Any:
    """Return a Series on the input's index when the input was a pandas object."""
    if index is not None and values.ndim == 1 and values.shape[0] == len(index):
        return pd.Series(values, index=index, name=name)
    return values


def first_index(*values: Any) -> pd.Index | None:
    for v in values:
        if isinstance(v, pd.Series):
            return v.index
    return None


# --------------------------------------------------------------------------- fitting
class LogLikelihood:
    """A model's total log-likelihood with analytic derivatives.

    Subclasses implement ``derivatives(theta)`` returning the total
    log-likelihood, its gradient and Hessian with respect to the natural
    parameters ``theta`` (all positive). This class turns them into the
    derivatives with respect to ``log(theta)``, which the optimiser uses.
    """

    total_weight: float = 1.0

    def derivatives(
        self, theta: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray]:  # pragma: no cover
        raise NotImplementedError

    def subsample(self, step: int) -> LogLikelihood:  # pragma: no cover
        raise NotImplementedError

    def on_log_scale(self, phi: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        theta = np.exp(phi)
        ll, g, h = self.derivatives(theta)
        g_phi = theta * g
        h_phi = h * np.outer(theta, theta) + np.diag(g_phi)
        return ll, g_phi, h_phi


def _newton_fit(lik: LogLikelihood, phi0: np.ndarray, max_iter: int, tol: float):
    """Maximise on log-parameters with scipy's exact trust-region Newton method."""
    scale = lik.total_weight
    cache: dict[bytes, tuple[float, np.ndarray, np.ndarray]] = {}

    def evaluate(phi: np.ndarray):
        key = phi.tobytes()
        if key not in cache:
            cache.clear()
            with np.errstate(all="ignore"):
                ll, g, h = lik.on_log_scale(phi)
            if not (np.isfinite(ll) and np.all(np.isfinite(g)) and np.all(np.isfinite(h))):
                # Outside the region the data can support: steer the trust region back.
                ll, g, h = -np.inf, np.zeros_like(phi), np.zeros((phi.size, phi.size))
            cache[key] = (ll, g, h)
        return cache[key]

    def fun(phi):
        ll, g, _ = evaluate(phi)
        return (np.inf if not np.isfinite(ll) else -ll / scale), -g / scale

    def hess(phi):
        return -evaluate(phi)[2] / scale

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = optimize.minimize(
            fun,
            phi0,
            jac=True,
            hess=hess,
            method="trust-exact",
            options={"maxiter": max_iter, "gtol": tol},
        )
    res.final = (
        evaluate(np.asarray(res.x, dtype=np.float64)) if np.all(np.isfinite(res.x)) else None
    )
    return res


class FittedModel:
    """Base class: maximum likelihood on log-parameters, summary and JSON I/O.

    Parameters
    ----------
    max_iter : int
        Maximum number of Newton (trust-region) iterations.
    tol : float
        Convergence tolerance on the gradient of the mean log-likelihood with
        respect to the log-parameters.
    """

    _param_names: tuple[str, ...] = ()
    _kind: str = ""

    def __init__(self, max_iter: int = 200, tol: float = 1e-8):
        self.max_iter = max_iter
        self.tol = tol

    # -- to be provided by subclasses
    def _start(self, lik: LogLikelihood) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _advice(self) -> str:  # pragma: no cover
        return ""

    # -- fitting
    def _fit_rows(
        self,
        columns: list[np.ndarray],
        weights: np.ndarray,
        likelihood: Any,
        initial_params: dict[str, float] | None,
    ) -> list[np.ndarray]:
        """Merge identical rows, maximise ``likelihood(*columns, weights)``, record the data.

        Sets ``n_customers_``, ``n_rows_`` and ``data_hash_``; returns the merged
        columns (for a model's own summaries of its data).
        """
        columns, w, fingerprint = merge_rows(columns, weights)
        lik = likelihood(*columns, w)
        self._maximise(lik, initial_params)
        self.n_customers_ = float(lik.total_weight)
        self.n_rows_ = int(lik.n_rows)
        self.data_hash_ = fingerprint
        return columns

    def _maximise(self, lik: LogLikelihood, initial_params: dict[str, float] | None) -> None:
        if initial_params is not None:
            missing = set(self._param_names) - set(initial_params)
            if missing:
                raise ValueError(f"initial_params lacks {sorted(missing)}")
            phi0 = np.log([float(initial_params[k]) for k in self._param_names])
        else:
            phi0 = self._start(lik)
            if lik.n_rows > 2 * _SUBSAMPLE_ROWS:
                # Cheap warm start on every k-th distinct row; the full data then
                # need only the last few (quadratically convergent) Newton steps.
                sub = lik.subsample(int(lik.n_rows // _SUBSAMPLE_ROWS))
                pre = _newton_fit(sub, phi0, self.max_iter, 1e-6)
                if np.all(np.isfinite(pre.x)) and np.all(np.abs(pre.x) < 30):
                    phi0 = pre.x
        res = _newton_fit(lik, phi0, self.max_iter, self.tol)
        phi = np.asarray(res.x, dtype=np.float64)
        self._check_optimum(lik, phi, res)

    def _check_optimum(self, lik: LogLikelihood, phi: np.ndarray, res: Any) -> None:
        names = self._param_names
        ll, g, h = res.final if res.final is not None else (np.nan, None, None)
        problems, vague_note, cov = [], "", None
        if not np.isfinite(ll) or not np.all(np.isfinite(g)) or not np.all(np.isfinite(h)):
            problems.append("the log-likelihood or its derivatives are not finite at the end point")
        else:
            # Far out on a ridge the likelihood is flat: a looser gradient test, and
            # the curvature may be numerically zero in the ridge's direction.
            far = np.abs(phi) > _MAX_ABS_LOG
            grad_mean = np.max(np.abs(g)) / lik.total_weight
            if grad_mean > (1e-3 if far.any() else max(1e3 * self.tol, 1e-5)):
                problems.append(
                    f"the gradient is not zero at the end point (largest |gradient| per customer "
                    f"{grad_mean:.2g} after {res.nit} iterations: {res.message})"
                )
            eigval, eigvec = np.linalg.eigh(-h)
            # A curvature this small against the largest is a flat ridge: the likelihood
            # rises towards a limit of the model in that direction (or has reached it).
            ridge = abs(eigval.min()) <= _FLAT_CURVATURE * max(float(eigval.max()), 1.0)
            if eigval.min() > 0 and not ridge:
                cov = np.linalg.inv(-h)
            elif far.any() or ridge:
                floor = 1e-12 * max(float(eigval.max()), 1.0)
                cov = (eigvec / np.maximum(eigval, floor)) @ eigvec.T
            else:
                problems.append(
                    "the Hessian is not negative definite: the end point is not a proper "
                    "maximum, or the parameters are not identified by these data"
                )
            if cov is not None:
                se_log = np.sqrt(np.diag(cov))
                vague = (se_log > _MAX_SE_LOG) | far
                if ridge and not vague.any():
                    vague = np.abs(eigvec[:, 0]) > 0.1
                if lik.n_rows < len(names):
                    # however many customers, fewer distinct histories than parameters
                    # cannot pin every parameter down
                    vague[:] = True
                if vague.any():
                    vague_note = ", ".join(
                        f"{n}={math.exp(min(p, 700)):.3g} (standard error of log {n}: {s:.3g})"
                        for n, p, s, f in zip(names, phi, se_log, vague, strict=False)
                        if f
                    )
        if problems:
            raise ConvergenceError(
                f"{type(self).__name__}.fit did not converge: "
                + "; ".join(problems)
                + ". What to try: "
                "check the input's time unit and that it follows the model's conventions; pass "
                "initial_params close to a plausible answer; raise max_iter. " + self._advice()
            )
        if vague_note:
            warnings.warn(
                f"{type(self).__name__}: the likelihood is maximal on a ridge towards the edge of the "
                f"parameter space, so some parameters are not identified by these data: {vague_note}. "
                "Predictions remain valid; the individual parameters and their intervals are not "
                "meaningful. " + self._advice(),
                IdentificationWarning,
                stacklevel=3,
            )
        self._phi = phi
        self.params_ = {n: float(math.exp(p)) for n, p in zip(names, phi, strict=False)}
        self.log_likelihood_ = float(ll)
        self.covariance_ = cov
        self.n_iter_ = int(res.nit)

    # -- results
    def _require_fit(self) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet: call fit() first")

    @property
    def standard_errors_(self) -> dict[str, float]:
        """Standard errors of the parameters (delta method from the log scale)."""
        self._require_fit()
        se_log = np.sqrt(np.diag(self.covariance_))
        return {
            n: float(self.params_[n] * s) for n, s in zip(self._param_names, se_log, strict=False)
        }

    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors and 95% intervals.

        The model is fitted on log-parameters, whose sampling distribution is
        closer to normal, so the interval is ``exp(log(estimate) ± 1.96 se_log)``
        (never negative, asymmetric); the standard error on the natural scale
        is ``estimate * se_log`` (delta method).

        Returns
        -------
        pandas.DataFrame
            Indexed by parameter, columns ``estimate``, ``std_error``,
            ``lower_95``, ``upper_95``.
        """
        self._require_fit()
        if np.isnan(self.covariance_).any():
            raise RuntimeError(
                f"this {type(self).__name__} was made from given parameters (from_params): "
                "it has no standard errors; fit it to data for a summary"
            )
        se_log = np.sqrt(np.diag(self.covariance_))
        est = np.array([self.params_[n] for n in self._param_names])
        with np.errstate(over="ignore"):
            out = pd.DataFrame(
                {
                    "estimate": est,
                    "std_error": est * se_log,
                    "lower_95": np.exp(self._phi - _Z95 * se_log),
                    "upper_95": np.exp(self._phi + _Z95 * se_log),
                },
                index=pd.Index(list(self._param_names), name="parameter"),
            )
        return out

    def sample_params(self, n_draws: int, random_state: Any = None) -> np.ndarray:
        """Draw parameter vectors from the estimated sampling distribution.

        Multivariate normal on the log-parameters (mean the estimate, covariance
        the inverse of the negative Hessian), exponentiated.

        Returns
        -------
        numpy.ndarray of shape (n_draws, n_params), columns in ``params_`` order.
        """
        self._require_fit()
        if np.isnan(self.covariance_).any():
            raise RuntimeError(
                f"this {type(self).__name__} has no covariance (made with from_params)"
            )
        se_log = np.sqrt(np.diag(self.covariance_))
        if np.any(se_log > _MAX_SE_LOG):
            raise RuntimeError(
                f"{type(self).__name__}: some parameters are not identified by the data "
                f"(standard errors of the log-parameters {np.round(se_log, 3).tolist()}): "
                "their sampling distribution is not informative"
            )
        rng = np.random.default_rng(random_state)
        return np.exp(
            rng.multivariate_normal(self._phi, self.covariance_, size=n_draws, method="cholesky")
        )

    def _with_params(self, values: np.ndarray) -> FittedModel:
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.params_ = {n: float(v) for n, v in zip(self._param_names, values, strict=False)}
        clone._phi = np.log(np.asarray(values, dtype=np.float64))
        return clone

    @classmethod
    def from_params(cls, **params: float) -> FittedModel:
        """A model with the given parameters, e.g. published estimates, for prediction or simulation.

        It has no covariance, so no standard errors or intervals.
        """
        missing = set(cls._param_names) - set(params)
        extra = set(params) - set(cls._param_names)
        if missing or extra:
            raise ValueError(f"{cls.__name__}.from_params needs exactly {list(cls._param_names)}")
        values = np.array([float(params[n]) for n in cls._param_names])
        if not np.all(np.isfinite(values) & (values > 0)):
            raise ValueError(
                f"{cls.__name__}: parameters must be positive and finite, got {params}"
            )
        model = cls()
        model.params_ = {n: float(v) for n, v in zip(cls._param_names, values, strict=False)}
        model._phi = np.log(values)
        model.covariance_ = np.full((values.size, values.size), np.nan)
        return model

    def _p(self) -> tuple[float, ...]:
        self._require_fit()
        return tuple(self.params_[n] for n in self._param_names)

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"{type(self).__name__}()"
        inner = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({inner})"

    # -- persistence
    def _extra_json(self) -> dict[str, Any]:
        return {}

    def _load_extra(self, payload: dict[str, Any]) -> None:
        pass

    def to_json(self) -> str:
        """The fitted model as a JSON string (parameters, covariance, data hash, version).

        Never pickle: JSON can be read by anyone and cannot run code when loaded.
        """
        self._require_fit()
        import custlab

        cov = self.covariance_
        payload = {
            "model": self._kind,
            "custlab_version": custlab.__version__,
            "parameter_names": list(self._param_names),
            "params": self.params_,
            "covariance_log_params": None if np.isnan(cov).all() else cov.tolist(),
            "log_likelihood": getattr(self, "log_likelihood_", None),
            "n_customers": getattr(self, "n_customers_", None),
            "n_rows": getattr(self, "n_rows_", None),
            "data_hash": getattr(self, "data_hash_", None),
            "settings": {"max_iter": self.max_iter, "tol": self.tol},
            **self._extra_json(),
        }
        return json.dumps(payload, indent=2, allow_nan=False)

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_json` to ``path``; returns the path."""
        path = Path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    #: Fields of the JSON file besides the common ones: name -> checker (subclasses add theirs).
    _extra_fields: ClassVar[dict[str, Any]] = {}

    @classmethod
    def from_json(cls, text: str) -> FittedModel:
        """Rebuild a model written by :meth:`to_json`, after checking the file against its schema.

        Every field is checked for its type, finiteness, sign and shape
        (parameters positive and finite, a k x k finite symmetric covariance,
        counts non-negative, a version this custlab can read); unknown fields
        are refused. A DataError names the field and the problem.
        """
        payload = _read_payload(text)
        fields = {**_COMMON_FIELDS, **cls._extra_fields}
        for name in ("model", "parameter_names", "params"):
            if name not in payload:
                raise field_error(name, "missing")
        if payload["model"] != cls._kind:
            raise field_error(
                "model", f"this file holds a {payload['model']!r} model, not {cls._kind!r}"
            )
        unknown = sorted(set(payload) - set(fields))
        if unknown:
            raise field_error(unknown[0], f"unknown field; the fields are {sorted(fields)}")
        if payload["parameter_names"] != list(cls._param_names):
            raise field_error(
                "parameter_names",
                f"expected {list(cls._param_names)}, got {payload['parameter_names']!r}",
            )
        k = len(cls._param_names)
        for name, value in payload.items():
            fields[name](name, value, cls._param_names)
        model = cls(**payload.get("settings", {}))
        values = np.array([float(payload["params"][n]) for n in cls._param_names])
        model.params_ = {n: float(v) for n, v in zip(cls._param_names, values, strict=False)}
        model._phi = np.log(values)
        cov = payload.get("covariance_log_params")
        model.covariance_ = np.full((k, k), np.nan) if cov is None else np.asarray(cov, float)
        for attr, key in (
            ("log_likelihood_", "log_likelihood"),
            ("n_customers_", "n_customers"),
            ("n_rows_", "n_rows"),
            ("data_hash_", "data_hash"),
        ):
            if payload.get(key) is not None:
                setattr(model, attr, payload[key])
        model.saved_with_version_ = payload.get("custlab_version")
        model._load_extra(payload)
        return model

    def __deepcopy__(self, memo: dict) -> FittedModel:
        # A copy in memory, attribute by attribute: pickling stays refused.
        clone = type(self).__new__(type(self))
        memo[id(self)] = clone
        clone.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return clone

    def __copy__(self) -> FittedModel:
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def __reduce_ex__(self, protocol):
        raise TypeError(
            f"{type(self).__name__} is not picklable by design: save it as JSON with "
            ".save(path) or .to_json(), and read it back with .load(path)"
        )

    @classmethod
    def load(cls, path: str | Path) -> FittedModel:
        """Read a model saved with :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- JSON schema
def field_error(name: str, problem: str) -> DataError:
    return DataError(f"model file: field {name!r}: {problem}")


def _read_payload(text: Any) -> dict[str, Any]:
    """The JSON object of a model file; NaN, Infinity and non-objects are refused."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise DataError(f"model file: expected JSON text, got {type(text).__name__}")

    def constant(name: str) -> Any:
        raise DataError(
            f"model file: {name} is not a number JSON allows (the file is not custlab's)"
        )

    try:
        payload = json.loads(text, parse_constant=constant)
    except json.JSONDecodeError as err:
        raise DataError(f"model file: not valid JSON ({err})") from None
    if not isinstance(payload, dict):
        raise DataError(
            f"model file: expected a JSON object with the model's fields, got {type(payload).__name__}"
        )
    return payload


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(name: str, value: Any, *, positive: bool = False, non_negative: bool = False) -> None:
    if not _is_number(value):
        raise field_error(name, f"expected a number, got {value!r}")
    if not math.isfinite(value):
        raise field_error(name, f"must be finite, got {value!r}")
    if positive and not value > 0:
        raise field_error(name, f"must be positive, got {value!r}")
    if non_negative and value < 0:
        raise field_error(name, f"must not be negative, got {value!r}")


def _optional(check):
    def run(name: str, value: Any, names: tuple[str, ...]) -> None:
        if value is not None:
            check(name, value, names)

    return run


def _check_str(name: str, value: Any, names: tuple[str, ...]) -> None:
    if not isinstance(value, str):
        raise field_error(name, f"expected a string, got {value!r}")


def _check_version(name: str, value: Any, names: tuple[str, ...]) -> None:
    import custlab

    if not isinstance(value, str) or not re.fullmatch(r"\d+(\.\d+)*([.+-]?\w+)*", value):
        raise field_error(name, f"expected a version such as '0.1.0', got {value!r}")
    major = int(value.split(".")[0])
    if major > int(str(custlab.__version__).split(".")[0]):
        raise field_error(
            name, f"written by custlab {value}, newer than this custlab {custlab.__version__}"
        )


def _check_params(name: str, value: Any, names: tuple[str, ...]) -> None:
    if not isinstance(value, dict) or sorted(value) != sorted(names):
        raise field_error(name, f"expected an object with exactly {list(names)}, got {value!r}")
    for key in names:
        _finite(f"{name}.{key}", value[key], positive=True)


def _check_covariance(name: str, value: Any, names: tuple[str, ...]) -> None:
    k = len(names)
    if not (
        isinstance(value, list)
        and len(value) == k
        and all(isinstance(row, list) and len(row) == k for row in value)
    ):
        raise field_error(name, f"expected a {k} x {k} matrix (list of {k} lists of {k} numbers)")
    for i, row in enumerate(value):
        for j, v in enumerate(row):
            _finite(f"{name}[{i}][{j}]", v)
    cov = np.asarray(value, dtype=np.float64)
    if not np.allclose(cov, cov.T, rtol=1e-9, atol=0) or np.any(np.diag(cov) < 0):
        raise field_error(name, "a covariance matrix is symmetric with a non-negative diagonal")


def _check_count(name: str, value: Any, names: tuple[str, ...]) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool)) or value < 0:
        raise field_error(name, f"expected a whole number >= 0, got {value!r}")


def _check_hash(name: str, value: Any, names: tuple[str, ...]) -> None:
    if not (isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value)):
        raise field_error(name, f"expected a SHA-256 hex digest, got {value!r}")


def _check_settings(name: str, value: Any, names: tuple[str, ...]) -> None:
    if not isinstance(value, dict) or not set(value) <= {"max_iter", "tol"}:
        raise field_error(name, f"expected an object with max_iter and tol, got {value!r}")
    if "max_iter" in value:
        _check_count(f"{name}.max_iter", value["max_iter"], names)
    if "tol" in value:
        _finite(f"{name}.tol", value["tol"], positive=True)


def finite_field(*, positive: bool = False, non_negative: bool = False):
    """A checker for a number field (for models' extra fields)."""

    def check(name: str, value: Any, names: tuple[str, ...]) -> None:
        _finite(name, value, positive=positive, non_negative=non_negative)

    return _optional(check)


count_field = _optional(_check_count)

_COMMON_FIELDS: dict[str, Any] = {
    "model": _check_str,
    "custlab_version": _optional(_check_version),
    "parameter_names": lambda name, value, names: None,  # compared exactly above
    "params": _check_params,
    "covariance_log_params": _optional(_check_covariance),
    "log_likelihood": finite_field(),
    "n_customers": finite_field(non_negative=True),
    "n_rows": count_field,
    "data_hash": _optional(_check_hash),
    "settings": _optional(_check_settings),
}
