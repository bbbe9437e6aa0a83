# Solution source of exercises/11_contracts_retention.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "segment": "regular", "calibration_years": 7, "discount_rate": 0.1, "margin": 100.0}, {"segment": "regular", "calibration_years": 4, "cohort_size": 5000}]

# %% [markdown]
# # 练习 11：合约客户的留存与价值 / Exercises 11: retention and value of contract customers
#
# **课程方法 / Course methods:** M12 客户终身价值 (customer lifetime value): 合约情形下的 sBG 模型与
# 订户价值 (the sBG model and subscriber value in a contractual setting) · M8 流失客户 (lost customers)
#
# **学习目标**
# - 把一条留存曲线变成客户数据，拟合 sBG 模型，并说出参数的含义；
# - 比较 sBG 与固定流失率（几何）模型的预测；
# - 自己写出逐年留存率的公式，并解释它为什么上升；
# - 用折现的预期剩余生命周期（DERL）计算订户的剩余价值。
#
# **Learning goals**
# - turn a survival curve into customer data, fit the sBG model and say what its parameters mean;
# - compare the projections of the sBG and of a constant churn rate (the geometric model);
# - write the retention-rate formula yourself and explain why it rises;
# - value subscribers with the discounted expected residual lifetime (DERL).
#
# 笔记本 `notebooks/11_contracts_retention.ipynb` 讲解了这里用到的全部内容。这里默认用 **高端** 客户群、
# 前 5 年的数据、12% 的折现率，与笔记本不同。
# Notebook `notebooks/11_contracts_retention.ipynb` explains everything used here. The defaults here
# differ from it: the **high-end** segment, the first 5 years, a 12% discount rate.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "retention_curves"  # 留存曲线（百分比）/ survival curves in percent
segment = "high_end"  # 客户群 / segment: regular or high_end
calibration_years = 5  # 模型能看到的年数 / years of the curve the models see
cohort_size = 1000  # 同期客户数 / customers in the cohort
discount_rate = 0.12  # 年折现率 / yearly discount rate
margin = 80.0  # 每位订户每年的毛利（元）/ yearly margin per subscriber (yuan)

# %%
import custlab as cl
import custlab.exercises as ex
from custlab.clv import ShiftedBetaGeo
from custlab.clv.contracts import cohort_counts
from custlab.clv.sbg import customers_from_survival, geometric_churn_rate

ex.start(
    "11_contracts_retention",
    lang=lang,
    seed=seed,
    dataset=dataset,
    segment=segment,
    calibration_years=calibration_years,
    cohort_size=cohort_size,
    discount_rate=discount_rate,
    margin=margin,
)

# %% [markdown]
# ## 数据：一条留存曲线 / Data: a survival curve
#
# `curve` 是客户群 `segment` 在第 0–12 年年初仍在网的百分比（Fader & Hardie 2007）。`counts` 把它换成
# `cohort_size` 位客户的人数；`rows` 是模型能看到的前 `calibration_years` 年：每一年流失的人
# （`churned = True`，`periods` = 流失的那一年）和到最后仍在网的人（`churned = False`）。
#
# `curve` is the percentage of segment `segment` still active at the start of years 0–12 (Fader & Hardie
# 2007). `counts` turns it into customers of a cohort of `cohort_size`; `rows` holds the first
# `calibration_years` years the models may see: those who cancelled in each year (`churned = True`,
# `periods` = the year) and those still active at the end (`churned = False`).

# %%
curve = cl.datasets.load(dataset).set_index("year")[segment]
counts = cohort_counts(curve, cohort_size)
rows = customers_from_survival(counts[: calibration_years + 1])
rows.head(20)

# %% [markdown]
# ## 第一部分：两个模型 / Part 1: two models
#
# **问题 1 (`sbg_params`)：** 在 `rows` 上拟合 sBG 模型，命名为 `sbg`（后面的问题都要用它），给出 `(alpha, beta)`。
# 精度：允许相对误差 ±0.1%。
#
# **Question 1 (`sbg_params`):** fit the sBG model on `rows`, call it `sbg` (the later questions use it), and
# give `(alpha, beta)`.
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
sbg = ShiftedBetaGeo().fit(rows["periods"], rows["churned"], rows["weights"])
params = (sbg.params_["alpha"], sbg.params_["beta"])
# END SOLUTION
ex.check("sbg_params", params)

# %% [markdown]
# **问题 2 (`sbg_mean_churn`)：** 一位刚签约的客户，每年的流失概率 θ 服从 Beta(α, β)。整个客户群的平均流失概率是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许相对误差 ±0.1%。
#
# **Question 2 (`sbg_mean_churn`):** a newly signed customer's yearly churn probability θ follows
# Beta(α, β). What is the mean churn probability of the whole cohort?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.1% of
# the exact value.

# %%
# BEGIN SOLUTION
mean_churn = sbg.params_["alpha"] / (sbg.params_["alpha"] + sbg.params_["beta"])
# END SOLUTION
ex.check("sbg_mean_churn", mean_churn)

# %% [markdown]
# **问题 3 (`sbg_geometric_rate`)：** 如果假设所有客户的流失率都一样（几何模型），在同样的数据上，
# 这个固定流失率的最大似然估计是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许相对误差 ±0.1%。
#
# **Question 3 (`sbg_geometric_rate`):** if every customer had the same churn rate (the geometric model),
# what would be its maximum likelihood estimate on the same data?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.1% of
# the exact value.

# %%
# BEGIN SOLUTION
rate = geometric_churn_rate(rows["periods"], rows["churned"], rows["weights"])
# END SOLUTION
ex.check("sbg_geometric_rate", rate)

# %% [markdown]
# **问题 4 (`sbg_projection`)：** 按 sBG 模型，在曲线的最后一年（第 12 年）年初还有多少比例的客户在网？
# 答完后与 `curve` 的实际值和 `(1 - rate) ** 12` 比较。
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许相对误差 ±0.1%。
#
# **Question 4 (`sbg_projection`):** by the sBG model, what share of the cohort is still active at the start
# of the curve's last year (year 12)? Then compare with the actual value in `curve` and with
# `(1 - rate) ** 12`.
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.1% of
# the exact value.

# %%
# BEGIN SOLUTION
share_last = float(sbg.survival(int(curve.index.max())))
# END SOLUTION
ex.check("sbg_projection", share_last)

# %% [markdown]
# ## 第二部分：留存率为什么上升？/ Part 2: why does retention rise?
#
# **问题 5 (`sbg_retention_formula`)：** 写一个函数 `retention_rate(t)`，用你拟合的参数按 Fader & Hardie (2007)
# 的公式计算第 t 次续约时的留存率（第 t−1 年在网的客户中续约的比例）：
#
# $$r(t) = \frac{\beta + t - 1}{\alpha + \beta + t - 1}, \qquad t = 1, 2, \ldots$$
#
# 检查会用新的随机 t 测试你的函数（误差不超过 1e-6）。
#
# **Question 5 (`sbg_retention_formula`):** write a function `retention_rate(t)` that computes the retention
# rate at renewal t (the share of the customers active in year t−1 who renew) with your fitted parameters,
# by the formula of Fader & Hardie (2007) above. The check tests it on fresh random t (to within 1e-6).


# %%
def retention_rate(t):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    alpha, beta = sbg.params_["alpha"], sbg.params_["beta"]
    return (beta + t - 1) / (alpha + beta + t - 1)
    # END SOLUTION


ex.check("sbg_retention_formula", retention_rate)

# %% [markdown]
# **问题 6 (`sbg_sorting`)：** 在 sBG 模型中，每位客户的流失概率 θ 一直不变，可是留存率 r(t) 却逐年上升。为什么？（一个字母）
#
# **Question 6 (`sbg_sorting`):** in the sBG model each customer's churn probability θ never changes, yet
# the retention rate r(t) rises year after year. Why? (one letter)
#
# - A. 客户在网越久就越忠诚 / customers become more loyal the longer they stay
# - B. 最容易流失的客户最先离开，留下来的人整体上越来越不容易流失（筛选效应）/ the customers most likely
#   to cancel leave first, so those who remain are ever less likely to cancel as a group (sorting)
# - C. 老客户得到了价格优惠 / long-standing customers get price discounts
# - D. 数据被四舍五入了 / the data are rounded

# %%
# BEGIN SOLUTION
why_rising = "B"
# END SOLUTION
ex.check("sbg_sorting", why_rising)

# %% [markdown]
# ## 第三部分：订户的价值 / Part 3: the value of subscribers
#
# **问题 7 (`sbg_derl`)：** 第 `calibration_years` 年年初仍在网的客户已经续约了 `calibration_years` 次。
# 按 sBG 模型和年折现率 `discount_rate`，这样一位客户的折现预期剩余生命周期 DERL 是多少（年数）？
# 精度：允许相对误差 ±0.1%。
#
# **Question 7 (`sbg_derl`):** the customers still active at the start of year `calibration_years` have
# renewed `calibration_years` times. By the sBG model and the yearly discount rate `discount_rate`, what is
# the discounted expected residual lifetime (DERL, in years) of such a customer?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
derl = float(sbg.derl(discount_rate, periods_survived=calibration_years))
# END SOLUTION
ex.check("sbg_derl", derl)

# %% [markdown]
# **问题 8 (`sbg_base_value`)：** 每位订户每年带来毛利 `margin`。第 `calibration_years` 年年初仍在网的全部客户，剩余价值一共是多少？
# 精度：允许相对误差 ±0.1%。
#
# **Question 8 (`sbg_base_value`):** each subscriber brings a yearly margin of `margin`. What is the total
# residual value of all customers still active at the start of year `calibration_years`?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
base_value = counts[calibration_years] * margin * derl
# END SOLUTION
ex.check("sbg_base_value", base_value)

# %% [markdown]
# **问题 9 (`sbg_geometric_bias`)：** 用前几年的数据估计一个固定的流失率，再用它预测以后的留存，会怎样？（一个字母）
#
# **Question 9 (`sbg_geometric_bias`):** what happens when one constant churn rate, estimated on the first
# years, projects retention into later years? (one letter)
#
# - A. 预测得和实际一样 / the projection matches the actual curve
# - B. 高估以后在网的客户 / it projects too many customers in later years
# - C. 低估以后在网的客户，也就低估了老客户的价值 / it projects too few customers in later years, and so
#   undervalues the customers who stay
# - D. 只会影响第一年 / it only affects the first year

# %%
# BEGIN SOLUTION
geometric_bias = "C"
# END SOLUTION
ex.check("sbg_geometric_bias", geometric_bias)

# %% [markdown]
# **问题 10 (`sbg_assumptions`)：** 下列哪些是 sBG 模型的假设？给出所有正确选项的字母。
#
# **Question 10 (`sbg_assumptions`):** which of these are assumptions of the sBG model? Give the letters of
# all right options.
#
# - A. 每位客户每期以自己的概率 θ 流失，θ 不随时间变化 / each customer cancels each period with her own
#   probability θ, which does not change over time
# - B. θ 在客户之间服从 Beta 分布 / θ varies across customers as a beta distribution
# - C. 流失的客户以后还会回来 / customers who cancelled come back later
# - D. 所有客户的流失概率相同 / all customers have the same churn probability
# - E. 客户只能在续约时（每期期末）流失 / customers can cancel only at a renewal (the end of a period)
# - F. 客户的流失概率随在网时间上升 / a customer's churn probability rises with tenure

# %%
# BEGIN SOLUTION
assumptions = "ABE"
# END SOLUTION
ex.check("sbg_assumptions", assumptions)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
