# Solution source of exercises/10_model_choice.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "calibration_end": "1997-09-30", "age": 30.0, "horizon": 52.0, "donation_years": 5}]
#
# Why these defaults: lesson 10 prints its own answers (calibration to 1997-09-30, age 38.86 weeks,
# 52 weeks, 5 years), so the exercises ask about another slice of the same log.
# - calibration_end 1997-05-31 (the first 5 months): lesson 10 fits the three models on the
#   calibration to 1997-09-30 and prints their estimates. A calibration to 1997-06-30 gives a
#   Pareto/NBD r of 0.552, a number lesson 08 happens to print (the leak test finds it);
#   1997-07-31 and 1997-08-31 meet printed numbers of lessons 01, 02, 04 and 05 the same way.
# - observation_end 1998-06-30: the end of the log, as in the lesson; the holdout differs through
#   the calibration end.
# - age 20 weeks: lesson 10 prints P(alive) of one-time buyers at the calibration's largest age.
# - horizon 26 weeks: the lesson prints expectations over 52 weeks.
# - donation_years 3: the lesson prints the donors' expectations over 5 years.

# %% [markdown]
# # 练习 10：模型选择 / Exercises 10: choosing a model
#
# **课程方法 / Course methods:** M12 客户终身价值 (customer lifetime value): 在 BG/NBD、MBG/NBD、
# Pareto/NBD 与 BG/BB 之间选择 (choosing among BG/NBD, MBG/NBD, Pareto/NBD and BG/BB)
#
# **学习目标**
# - 拟合 Pareto/NBD 模型，说出流失参数 s、β 的含义；
# - 用 AIC/BIC 和验证期误差比较模型；
# - 比较三个模型对一次性客户的 P(alive)；
# - 自己写出 Pareto/NBD 新客户的预期购买次数 E[X(t)]；
# - 在离散的购买机会上使用 BG/BB，并判断何时用哪个模型。
#
# **Learning goals**
# - fit the Pareto/NBD model and say what its dropout parameters s and β mean;
# - compare models by AIC/BIC and holdout errors;
# - compare the three models' P(alive) for one-time buyers;
# - write a new customer's expected purchases E[X(t)] under Pareto/NBD yourself;
# - use BG/BB for discrete purchase opportunities, and decide which model to use when.
#
# 笔记本 `notebooks/10_model_choice.ipynb` 讲解了这里用到的全部内容。
# Notebook `notebooks/10_model_choice.ipynb` explains everything used here.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "cdnow_sample"  # 交易数据 / transaction log: cdnow_sample or cdnow
calibration_end = "1997-05-31"  # 校准期最后一天 / last day of the calibration period
observation_end = "1998-06-30"  # 验证期最后一天 / last day of the holdout period
age = 20.0  # 问题 6 中客户的年龄（周）/ age in weeks of the customer of question 6
horizon = 26.0  # 函数题的一个期限（周）/ one horizon (weeks) of the function question
donation_years = 3  # 问题 8 的期限（年）/ horizon of question 8 in years

# %%
import custlab as cl
import custlab.exercises as ex
from custlab.clv import BetaGeo, BetaGeoBetaBinom, ModifiedBetaGeo, ParetoNBD, compare_models
from custlab.teaching import load_log

ex.start(
    "10_model_choice",
    lang=lang,
    seed=seed,
    dataset=dataset,
    calibration_end=calibration_end,
    observation_end=observation_end,
    age=age,
    horizon=horizon,
    donation_years=donation_years,
)

# %% [markdown]
# ## 数据：校准期与验证期 / Data: calibration and holdout periods
#
# 与练习 08 相同：时间以周为单位，同一天的多笔交易算一次购买；`ch` 中带 `_cal` 的列是校准期的汇总，
# `frequency_holdout` 是验证期的购买次数，`duration_holdout` 是验证期的长度（周）。
#
# As in exercises 08: time in weeks, several transactions on one day count as one purchase; the `_cal`
# columns of `ch` summarise the calibration period, `frequency_holdout` counts the holdout purchases and
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
f, r, T = ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
ch[["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]].head()

# %% [markdown]
# ## 第一部分：Pareto/NBD / Part 1: Pareto/NBD
#
# **问题 1 (`mc_pareto_params`)：** 在校准期数据上拟合 Pareto/NBD 模型，命名为 `pnbd`，按顺序给出
# `(r, alpha, s, beta)`。
# 精度：允许相对误差 ±0.1%。
#
# **Question 1 (`mc_pareto_params`):** fit the Pareto/NBD model on the calibration data, call it `pnbd`, and
# give `(r, alpha, s, beta)` in this order.
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
pnbd = ParetoNBD().fit(f, r, T)
pareto_params = tuple(pnbd.params_[k] for k in ("r", "alpha", "s", "beta"))
# END SOLUTION
ex.check("mc_pareto_params", pareto_params)

# %% [markdown]
# **问题 2 (`mc_pareto_lifetime`)：** 在 Pareto/NBD 中，活跃客户每周以流失率 μ 流失，μ 服从 Gamma(s, β)。
# 平均流失率（每周）是多少？
# 精度：允许相对误差 ±0.1%。
#
# **Question 2 (`mc_pareto_lifetime`):** in Pareto/NBD an alive customer drops out at rate μ a week, and μ
# follows Gamma(s, β). What is the mean dropout rate (per week)?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
mean_dropout_rate = pnbd.params_["s"] / pnbd.params_["beta"]
# END SOLUTION
ex.check("mc_pareto_lifetime", mean_dropout_rate)

# %% [markdown]
# ## 第二部分：比较模型 / Part 2: comparing models
#
# 下面把三个模型都拟合在校准期上，然后用 `compare_models` 比较。
#
# The cell below fits all three models on the calibration data and compares them with `compare_models`.

# %%
models = {
    "BG/NBD": BetaGeo().fit(f, r, T),
    "MBG/NBD": ModifiedBetaGeo().fit(f, r, T),
    "Pareto/NBD": ParetoNBD().fit(f, r, T),
}
table = compare_models(models, ch).table
table.round(4)

# %% [markdown]
# **问题 3 (`mc_bic_mbg`)：** MBG/NBD 的 BIC 是多少？
# 精度：允许相对误差 ±0.0001%。
#
# **Question 3 (`mc_bic_mbg`):** what is the BIC of MBG/NBD?
# Precision: within ±0.0001% of the exact value.

# %%
# BEGIN SOLUTION
bic_mbg = table.loc["MBG/NBD", "bic"]
# END SOLUTION
ex.check("mc_bic_mbg", bic_mbg)

# %% [markdown]
# **问题 4 (`mc_mae_bg`)：** BG/NBD 对每位客户验证期购买次数的预测，平均绝对误差 (MAE) 是多少？
# 精度：允许相对误差 ±0.1%。
#
# **Question 4 (`mc_mae_bg`):** what is the mean absolute error (MAE) of BG/NBD's predictions of each
# customer's holdout purchases?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
mae_bg = table.loc["BG/NBD", "mae"]
# END SOLUTION
ex.check("mc_mae_bg", mae_bg)

# %% [markdown]
# **问题 5 (`mc_aggregate_pareto`)：** Pareto/NBD 的总量相对误差（预测的验证期购买总数 / 实际总数 − 1）是多少？
# 以小数作答（−0.05 表示少预测了 5%）。精度：允许误差 ±0.001。
#
# **Question 5 (`mc_aggregate_pareto`):** what is Pareto/NBD's aggregate relative error (predicted total
# holdout purchases / actual total - 1)?
# Answer as a decimal (−0.05: 5% too few predicted). Precision: within ±0.001.

# %%
# BEGIN SOLUTION
aggregate_pareto = table.loc["Pareto/NBD", "aggregate_error"]
# END SOLUTION
ex.check("mc_aggregate_pareto", aggregate_pareto)

# %% [markdown]
# **问题 6 (`mc_p_alive_zero`)：** 一位年龄为 `age` 周、从未重复购买的客户，按 BG/NBD、MBG/NBD、Pareto/NBD
# 三个模型，仍活跃的概率分别是多少？（按这个顺序给出三个数）
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.001。
#
# **Question 6 (`mc_p_alive_zero`):** a customer of age `age` weeks who never bought again: what is her
# P(alive) under BG/NBD, MBG/NBD and Pareto/NBD? (three numbers in this order)
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.001.

# %%
# BEGIN SOLUTION
p_alive_zero = [
    float(models[name].p_alive(0, 0.0, age)) for name in ("BG/NBD", "MBG/NBD", "Pareto/NBD")
]
# END SOLUTION
ex.check("mc_p_alive_zero", p_alive_zero)

# %% [markdown]
# **问题 7 (`mc_pareto_expected_new`)：** 写一个函数 `expected_new(t)`，用你拟合的 Pareto/NBD 参数返回新客户在
# (0, t] 内的预期重复购买次数 E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^(s−1)]（t 以周为单位）。
#
# **Question 7 (`mc_pareto_expected_new`):** write a function `expected_new(t)` that returns, with your
# fitted Pareto/NBD parameters, a new customer's expected repeat purchases in (0, t],
# E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] (t in weeks).


# %%
def expected_new(t):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    r_, alpha, s, beta = (pnbd.params_[k] for k in ("r", "alpha", "s", "beta"))
    return r_ * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t)) ** (s - 1))
    # END SOLUTION


ex.check("mc_pareto_expected_new", expected_new)

# %% [markdown]
# ## 第三部分：离散的购买机会 / Part 3: discrete opportunities
#
# **问题 8 (`mc_bgbb_expected`)：** 在捐款数据 `cl.datasets.load("donations")` 上拟合 BG/BB 模型
# （`BetaGeoBetaBinom().fit(frequency, recency, periods, weights=weights)`）。一位在 6 年中捐了 3 次、
# 最后一次在第 6 年的捐款人，未来 `donation_years` 年预期捐款几次？精度：允许相对误差 ±0.1%。
#
# **Question 8 (`mc_bgbb_expected`):** fit the BG/BB model on the donations data
# `cl.datasets.load("donations")` (`BetaGeoBetaBinom().fit(frequency, recency, periods, weights=weights)`).
# A donor who gave 3 times in 6 years, the last time in year 6: how many donations do you expect in the
# next `donation_years` years? Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
donations = cl.datasets.load("donations")
bgbb = BetaGeoBetaBinom().fit(
    donations["frequency"], donations["recency"], donations["periods"], weights=donations["weights"]
)
expected_donations = float(bgbb.expected_purchases(donation_years, 3, 6, 6))
# END SOLUTION
ex.check("mc_bgbb_expected", expected_donations)

# %% [markdown]
# ## 第四部分：理解模型 / Part 4: understanding the models
#
# **问题 9 (`mc_zero_alive`)：** 哪个模型认为从未重复购买的客户一定还活着？（一个字母）
#
# **Question 9 (`mc_zero_alive`):** which model holds that a customer who never bought again is surely
# still alive? (one letter)
#
# - A. BG/NBD
# - B. MBG/NBD
# - C. Pareto/NBD
# - D. 三个都不是 / none of the three

# %%
# BEGIN SOLUTION
zero_alive = "A"
# END SOLUTION
ex.check("mc_zero_alive", zero_alive)

# %% [markdown]
# **问题 10 (`mc_discrete`)：** 下列哪些情形适合用 BG/BB（离散的购买机会）？给出所有正确选项的字母。
#
# **Question 10 (`mc_discrete`):** which of these settings suit BG/BB (discrete purchase opportunities)?
# Give the letters of all right options.
#
# - A. CD 网店的客户随时下单 / customers of an online CD shop ordering at any time
# - B. 每年一次的慈善捐款 / a yearly charity donation
# - C. 超市会员卡的购物 / shopping with a supermarket loyalty card
# - D. 每年举办一次的行业会议的参会 / attending an annual industry conference
# - E. 按月续约的手机套餐 / a mobile-phone plan renewed every month

# %%
# BEGIN SOLUTION
discrete = "BD"
# END SOLUTION
ex.check("mc_discrete", discrete)

# %% [markdown]
# **问题 11 (`mc_bic_rule`)：** 两个模型的参数个数相同，拟合在同样的客户上。模型 X 的对数似然是 −9582.4，
# 模型 Y 是 −9595.0。哪个的 BIC 更小（更好）？（一个字母）
#
# **Question 11 (`mc_bic_rule`):** two models with the same number of parameters are fitted on the same
# customers. Model X has a log-likelihood of −9582.4, model Y of −9595.0. Which has the smaller (better)
# BIC? (one letter)
#
# - A. Y
# - B. 一样 / the same
# - C. X
# - D. 不看验证期无法判断 / cannot tell without a holdout

# %%
# BEGIN SOLUTION
bic_rule = "C"
# END SOLUTION
ex.check("mc_bic_rule", bic_rule)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
