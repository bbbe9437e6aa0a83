# Solution source of exercises/08_bgnbd.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "calibration_end": "1997-06-30", "horizon": 26.0, "lost_p_alive": 0.5}, {"dataset": "supermarket", "calibration_end": "2024-06-30", "observation_end": "2024-12-31", "customer_id": 2, "good_min_frequency": 10}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other data.
# - calibration_end 1997-11-30: lessons 08 and 09 fit to 1997-09-30 (the papers' split) and print the
#   parameters, customer 1516's P(alive) and expectations and the validation-period total; a fit two
#   months later gives other values.
# - customer_id 129: lesson 08 follows customer 1516.

# %% [markdown]
# # 练习 08：BG/NBD 模型 / Exercises 08: the BG/NBD model
#
# **课程方法 / Course methods:** M12 客户终身价值 (customer lifetime value): 购买次数模型与活跃概率
# (the purchase-count model and P(alive)) · M8 流失客户 (lost customers)
#
# **学习目标**
# - 在校准期数据上拟合 BG/NBD 模型，并说出四个参数的含义；
# - 计算一位客户的活跃概率 P(alive) 和未来的预期购买次数，并与新客户比较；
# - 自己写出 P(alive) 的公式；
# - 找出“过去的好客户中可能已流失的人”，并用验证期检验模型。
#
# **Learning goals**
# - fit the BG/NBD model on calibration data and say what its four parameters mean;
# - compute a customer's probability of being alive, P(alive), and expected future purchases, and compare
#   with a new customer;
# - write the P(alive) formula yourself;
# - find the former good customers who are likely lost, and check the model on the holdout period.
#
# 笔记本 `notebooks/08_bgnbd.ipynb` 讲解了这里用到的全部内容。
# Notebook `notebooks/08_bgnbd.ipynb` explains everything used here.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "cdnow_sample"  # 交易数据 / transaction log: cdnow_sample, cdnow or supermarket
calibration_end = "1997-11-30"  # 校准期最后一天 / last day of the calibration period
observation_end = "1998-06-30"  # 验证期最后一天 / last day of the holdout period
customer_id = 129  # 问题 5、6 中的客户 / the customer of questions 5 and 6
horizon = 52.0  # 预测期限（周）/ prediction horizon in weeks
good_min_frequency = 3  # 过去的好客户：校准期至少这么多次重复购买 / former good customer: at least this many repeat purchases
lost_p_alive = 0.3  # P(alive) 低于此值视为可能流失 / likely lost below this P(alive)

# %%
import custlab as cl
import custlab.exercises as ex
from custlab.clv import BetaGeo
from custlab.teaching import load_log

ex.start(
    "08_bgnbd",
    lang=lang,
    seed=seed,
    dataset=dataset,
    calibration_end=calibration_end,
    observation_end=observation_end,
    customer_id=customer_id,
    horizon=horizon,
    good_min_frequency=good_min_frequency,
    lost_p_alive=lost_p_alive,
)

# %% [markdown]
# ## 数据：校准期与验证期 / Data: calibration and holdout periods
#
# 我们把交易记录在 `calibration_end` 处切开：模型只看校准期，验证期（到 `observation_end`）留作检验。
# 时间以周为单位，同一天的多笔交易算一次购买。`ch` 中带 `_cal` 的列是校准期的汇总
# （`frequency_cal` = 重复购买次数，`recency_cal` = 首次到最后一次购买的周数，`T_cal` = 首次购买到校准期结束的周数），
# `frequency_holdout` 是验证期的购买次数，`duration_holdout` 是验证期的长度（周）。
#
# We split the log at `calibration_end`: the model sees the calibration period only; the holdout period
# (up to `observation_end`) is kept for checking. Time is in weeks, and several transactions on one day
# count as one purchase. The `_cal` columns of `ch` summarise the calibration period (`frequency_cal` =
# repeat purchases, `recency_cal` = weeks from the first to the last purchase, `T_cal` = weeks from the
# first purchase to the end of calibration); `frequency_holdout` counts the holdout purchases and
# `duration_holdout` is the holdout length in weeks.

# %%
log, customer = load_log(dataset)
ch = cl.calibration_holdout(
    log,
    customer=customer,
    calibration_end=calibration_end,
    observation_end=observation_end,
    freq="D",
    freq_multiplier=7,
)
ch[["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]].head()

# %% [markdown]
# ## 第一部分：拟合与参数 / Part 1: the fit and its parameters
#
# **问题 1 (`bg_params`)：** 在校准期数据上拟合 BG/NBD 模型，把模型命名为 `bgf`（后面的问题都要用它），
# 然后按顺序给出 `(r, alpha, a, b)`。
# 精度：允许相对误差 ±0.1%。
#
# **Question 1 (`bg_params`):** fit the BG/NBD model on the calibration data, call the model `bgf` (the
# later questions use it), and give `(r, alpha, a, b)` in this order.
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
bgf = BetaGeo().fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
params = tuple(bgf.params_[k] for k in ("r", "alpha", "a", "b"))
# END SOLUTION
ex.check("bg_params", params)

# %% [markdown]
# **问题 2 (`bg_purchase_rate`)：** 活跃客户的购买率 λ 服从 Gamma(r, α)。一位活跃客户平均每周购买几次？
# 精度：允许相对误差 ±0.1%。
#
# **Question 2 (`bg_purchase_rate`):** an alive customer's purchase rate λ follows Gamma(r, α). How many
# purchases a week does an alive customer make on average?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
purchase_rate = bgf.params_["r"] / bgf.params_["alpha"]
# END SOLUTION
ex.check("bg_purchase_rate", purchase_rate)

# %% [markdown]
# **问题 3 (`bg_dropout`)：** 每次购买之后，客户以概率 p 永久流失，p 服从 Beta(a, b)。平均而言，一次购买之后流失的概率是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许相对误差 ±0.1%。
#
# **Question 3 (`bg_dropout`):** after each purchase a customer drops out for good with probability p, and p
# follows Beta(a, b). On average, what is the probability of dropping out after a purchase?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
dropout = bgf.params_["a"] / (bgf.params_["a"] + bgf.params_["b"])
# END SOLUTION
ex.check("bg_dropout", dropout)

# %% [markdown]
# **问题 4 (`bg_meaning`)：** 参数 a 和 b 描述的是什么？（一个字母）
#
# **Question 4 (`bg_meaning`):** what do the parameters a and b describe? (one letter)
#
# - A. 购买率在客户之间的差异 / how the purchase rate varies across customers
# - B. 每次购买后流失概率 p 在客户之间的分布 / how the probability p of dropping out after a purchase
#   varies across customers
# - C. 每次购买的金额 / the amount spent per purchase
# - D. 首次购买到校准期结束的时间 / the time from the first purchase to the end of calibration

# %%
# BEGIN SOLUTION
meaning_ab = "B"
# END SOLUTION
ex.check("bg_meaning", meaning_ab)

# %% [markdown]
# ## 第二部分：一位客户与一位新客户 / Part 2: one customer and a new customer
#
# **问题 5 (`bg_p_alive`)：** 在校准期结束时，客户 `customer_id`（参数）仍然活跃的概率 P(alive) 是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.001。
#
# **Question 5 (`bg_p_alive`):** at the end of calibration, what is the probability P(alive) that customer
# `customer_id` (a parameter) is still alive?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.001.

# %%
# BEGIN SOLUTION
row = ch.loc[customer_id]
p_alive_customer = float(bgf.p_alive(row["frequency_cal"], row["recency_cal"], row["T_cal"]))
# END SOLUTION
ex.check("bg_p_alive", p_alive_customer)

# %% [markdown]
# **问题 6 (`bg_expected_customer`)：** 这位客户在未来 `horizon` 周内预期购买几次？
# 精度：允许相对误差 ±0.1%。
#
# **Question 6 (`bg_expected_customer`):** how many purchases do you expect from this customer in the next
# `horizon` weeks?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
row = ch.loc[customer_id]
expected_customer = float(
    bgf.expected_purchases(horizon, row["frequency_cal"], row["recency_cal"], row["T_cal"])
)
# END SOLUTION
ex.check("bg_expected_customer", expected_customer)

# %% [markdown]
# **问题 7 (`bg_new_customer`)：** 一位刚刚首次购买的新客户，在之后 `horizon` 周内预期有几次重复购买？
# 精度：允许相对误差 ±0.1%。
#
# **Question 7 (`bg_new_customer`):** a new customer has just made her first purchase. How many repeat
# purchases do you expect from her in the following `horizon` weeks?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
expected_new = float(bgf.expected_purchases_new(horizon))
# END SOLUTION
ex.check("bg_new_customer", expected_new)

# %% [markdown]
# **问题 8 (`bg_p_alive_formula`)：** 写一个函数 `p_alive(x, t_x, T)`，用你拟合的参数按 Fader, Hardie & Lee (2005) 的公式计算 P(alive)：
#
# $$P(\text{alive} \mid x, t_x, T) = \frac{1}{1 + \frac{a}{b + x - 1}\left(\frac{\alpha + T}{\alpha + t_x}\right)^{r + x}}
# \quad (x > 0), \qquad P(\text{alive} \mid x = 0) = 1.$$
#
# 检查会用新的随机历史测试你的函数（误差不超过 1e-6）。
#
# **Question 8 (`bg_p_alive_formula`):** write a function `p_alive(x, t_x, T)` that computes P(alive) with
# your fitted parameters by the formula of Fader, Hardie & Lee (2005) above. The check tests it on fresh
# random histories (to within 1e-6).


# %%
def p_alive(x, t_x, T):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    r, alpha, a, b = (bgf.params_[k] for k in ("r", "alpha", "a", "b"))
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    # END SOLUTION


ex.check("bg_p_alive_formula", p_alive)

# %% [markdown]
# ## 第三部分：谁可能已经流失？/ Part 3: who is likely lost?
#
# **问题 9 (`bg_lost_count`)：** “过去的好客户”指校准期至少有 `good_min_frequency` 次重复购买的客户。
# 其中有多少人的 P(alive) 低于 `lost_p_alive`？
# 精度：整数，须完全一致。
#
# **Question 9 (`bg_lost_count`):** a "former good customer" made at least `good_min_frequency` repeat
# purchases in calibration. How many of them have a P(alive) below `lost_p_alive`?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
p_all = bgf.p_alive(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
n_lost = int(((ch["frequency_cal"] >= good_min_frequency) & (p_all < lost_p_alive)).sum())
# END SOLUTION
ex.check("bg_lost_count", n_lost)

# %% [markdown]
# **问题 10 (`bg_holdout_expected`)：** 按模型，校准期的全部客户在验证期内预期一共购买多少次？
# （每位客户的验证期长度是 `duration_holdout`。）答完后与实际次数 `ch["frequency_holdout"].sum()` 比较。
# 精度：允许相对误差 ±0.1%。
#
# **Question 10 (`bg_holdout_expected`):** by the model, how many purchases do all customers of the
# calibration period make in the holdout period together? (Each customer's holdout length is
# `duration_holdout`.) Then compare with the actual number, `ch["frequency_holdout"].sum()`.
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
expected = bgf.expected_purchases(
    ch["duration_holdout"], ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
)
expected_holdout = float(expected.sum())
# END SOLUTION
ex.check("bg_holdout_expected", expected_holdout)

# %% [markdown]
# ## 第四部分：理解模型 / Part 4: understanding the model
#
# **问题 11 (`bg_zero_frequency`)：** 为什么模型给每一位没有重复购买（`frequency = 0`）的客户 P(alive) = 1？（一个字母）
#
# **Question 11 (`bg_zero_frequency`):** why does the model give every customer without a repeat purchase
# (`frequency = 0`) a P(alive) of 1? (one letter)
#
# - A. 因为这些客户的数据缺失 / because their data are missing
# - B. 因为模型假设新客户永远不会流失 / because the model assumes new customers never leave
# - C. 模型中客户只可能在一次重复购买之后立刻流失；没有重复购买，就还没有流失的机会 /
#   in the model a customer can drop out only right after a repeat purchase; without one, she has had no
#   chance to drop out yet
# - D. 因为他们的 recency 等于 T / because their recency equals T

# %%
# BEGIN SOLUTION
why_zero = "C"
# END SOLUTION
ex.check("bg_zero_frequency", why_zero)

# %% [markdown]
# 这是 BG/NBD 众所周知的弱点：一次性购买的客户看起来“肯定还活着”。改进的模型（如 MBG/NBD）允许客户在首次购买后就流失。
#
# This is a well-known weakness of BG/NBD: one-time buyers look "surely alive". Variants such as MBG/NBD
# let customers drop out right after the first purchase.
#
# **问题 12 (`bg_assumptions`)：** 下列哪些是 BG/NBD 模型的假设？给出所有正确选项的字母。
#
# **Question 12 (`bg_assumptions`):** which of these are assumptions of the BG/NBD model? Give the letters of
# all right options.
#
# - A. 客户活跃期间的购买服从泊松过程（购买率 λ）/ while alive, a customer's purchases follow a Poisson
#   process (rate λ)
# - B. 所有客户的购买率相同 / all customers buy at the same rate
# - C. 购买率 λ 在客户之间服从 Gamma 分布 / the purchase rate λ varies across customers as a gamma distribution
# - D. 每次购买后客户以概率 p 永久流失，p 在客户之间服从 Beta 分布 / after each purchase a customer drops out
#   for good with probability p, and p varies across customers as a beta distribution
# - E. 流失的客户以后还可能回来 / a customer who dropped out may come back later
# - F. 购买次数与每次消费的金额相关 / the number of purchases and the amount per purchase are correlated

# %%
# BEGIN SOLUTION
assumptions = "ACD"
# END SOLUTION
ex.check("bg_assumptions", assumptions)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
