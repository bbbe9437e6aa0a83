"""Customer lifetime value models (course method M12).

BG/NBD for the number of future purchases and P(alive), Gamma-Gamma for the
spend per purchase, and discounted cash flow for CLV
(:func:`customer_value`, with parameter-uncertainty intervals in
:func:`customer_value_interval`); plots in :mod:`custlab.clv.diagnostics`.

The buy-till-you-die family for purchase counts: BG/NBD (:class:`BetaGeo`),
MBG/NBD (:class:`ModifiedBetaGeo`) and Pareto/NBD (:class:`ParetoNBD`) in
continuous time, chosen between with :func:`compare_models` (fit statistics,
holdout errors, tracking in :mod:`custlab.clv.compare`).

Examples
--------
>>> import custlab as cl
>>> from custlab.clv import BetaGeo
>>> s = cl.datasets.load("cdnow_summary")
>>> m = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
>>> round(m.params_["r"], 3), round(m.params_["alpha"], 3)
(0.243, 4.414)
"""

from custlab.clv import diagnostics
from custlab.clv._base import ConvergenceError, IdentificationWarning
from custlab.clv.betageo import BetaGeo, ModifiedBetaGeo
from custlab.clv.bgbb import BetaGeoBetaBinom
from custlab.clv.compare import compare_models
from custlab.clv.gammagamma import GammaGamma
from custlab.clv.paretonbd import ParetoNBD
from custlab.clv.sbg import ShiftedBetaGeo, subscriber_value
from custlab.clv.value import customer_value, customer_value_interval

__all__ = [
    "BetaGeo",
    "BetaGeoBetaBinom",
    "ConvergenceError",
    "GammaGamma",
    "IdentificationWarning",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "ShiftedBetaGeo",
    "compare_models",
    "customer_value",
    "customer_value_interval",
    "diagnostics",
    "subscriber_value",
]
