# Solution source of exercises/00_overview.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "dataset": "cdnow", "calibration_end": "1997-09-30", "customer": 20023, "row_attribute": "nature", "column_attribute": "size", "size_large_min": 5000000}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other data.
# - calibration_end 1997-06-30: the lessons use the papers' 1997-09-30 and print its 946 repeat
#   buyers; a 26-week calibration period gives counts no lesson shows.
# - customer 1000: x = 3, t_x = 16.71 weeks, so a swapped (recency, frequency) tuple is wrong
#   (lesson 08 prints customer 1516's values).
# - question 1 counts the customers of the holdout period: every lesson prints the 2,357 of the log.
# - region × channel_type: lesson 04 prints the nature × size crosstab.
# - question 10 asks for out-of-town government accounts and question 11 for the channel share among
#   individual accounts: lesson 04 prints the nature × region table and the overall channel share.

# %% [markdown]
# # 练习 00：客户分类总览 / Exercises 00: overview of customer classification
#
# **课程方法 / Course methods:** M1 分类与聚类 (classification vs clustering) ·
# M2 按属性分类 (attribute classification) · M14 定性类型测验 (quiz on qualitative typologies)
#
# **学习目标**
# - 数清交易数据中的客户，并用一条规则把客户分成“一次购买”和“重复购买”两类；
# - 说出一种方法是分类（类别事先由规则定好）还是聚类（类别从数据中发现）；
# - 按客户性质、规模、行业、地区、渠道描述 B2B 客户，并用交叉表统计；
# - 认识课程中只用于讨论、不从数据计算的定性类型。
#
# **Learning goals**
# - count the customers in a transaction log and split them by a rule into one-time and repeat buyers;
# - tell whether a method is classification (classes fixed in advance by rules) or clustering (groups found in the data);
# - describe B2B accounts by nature, size, industry, region and channel, and count them in a crosstab;
# - know the qualitative typologies of the course, which are discussed, not computed.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "cdnow_sample"  # 交易数据 / transaction log
calibration_end = "1997-06-30"  # 校准期结束 / end of the calibration period
customer = 1000  # 问题 3 中的客户 / the customer of question 3
accounts_dataset = "b2b_accounts"  # B2B 客户表 / B2B account table
row_attribute = "region"  # 交叉表的行属性 / crosstab rows
column_attribute = "channel_type"  # 交叉表的列属性 / crosstab columns
size_medium_min = 2_000_000  # 中客户的最低购买力（元/年）/ lowest purchasing power of a medium account (yuan a year)
size_large_min = 10_000_000  # 大客户的最低购买力 / lowest purchasing power of a large account

# %%
import pandas as pd

import custlab as cl
import custlab.exercises as ex

ex.start(
    "00_overview",
    lang=lang,
    seed=seed,
    dataset=dataset,
    calibration_end=calibration_end,
    customer=customer,
    accounts_dataset=accounts_dataset,
    row_attribute=row_attribute,
    column_attribute=column_attribute,
    size_medium_min=size_medium_min,
    size_large_min=size_large_min,
)

# %% [markdown]
# ## 第一部分：客户与规则（M1）/ Part 1: customers and rules (M1)
#
# CDNOW 数据记录了 1997 年第一季度首次在网上 CD 商店 CDNOW 购物的客户及其此后到 1998 年 6 月的全部购买
# （Fader & Hardie）。每一行是一笔交易。
#
# The CDNOW data hold the customers who first bought at the online CD store CDNOW in the first
# quarter of 1997 and all their purchases until June 1998 (Fader & Hardie). One row is one transaction.

# %%
tx = cl.datasets.load(dataset)
tx.head()

# %% [markdown]
# 校准期（到 `calibration_end` 为止）之后的交易属于验证期。
#
# The transactions after the calibration period (up to `calibration_end`) belong to the holdout period.
#
# **问题 1 (`m1_customers`)：** 有多少位不同的客户在验证期（`calibration_end` 之后）至少购买过一次？
# 精度：整数，须完全一致。
#
# **Question 1 (`m1_customers`):** how many distinct customers bought at least once in the holdout
# period (after `calibration_end`)? Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
holdout = tx[tx["date"] > pd.Timestamp(calibration_end)]
n_customers = holdout["customer_id"].nunique()
# END SOLUTION
ex.check("m1_customers", n_customers)

# %% [markdown]
# `cl.summarize` 把交易汇总成每位客户一行。按论文的约定以周为单位（`freq="D", freq_multiplier=7`），
# 只看校准期（到 `calibration_end` 为止）：`frequency` 是**重复**购买的次数（同一天的多笔交易算一次，
# 首次购买不计），`recency` 是首次到最后一次购买的周数，`T` 是首次购买到校准期结束的周数。
#
# `cl.summarize` turns the log into one row per customer. In the papers' convention, in weeks
# (`freq="D", freq_multiplier=7`) and over the calibration period only (up to `calibration_end`):
# `frequency` counts **repeat** purchases (same-day transactions count once, the first purchase does
# not count), `recency` is the weeks from the first to the last purchase, `T` the weeks from the
# first purchase to the end of the calibration period.

# %%
summary = cl.summarize(tx, freq="D", freq_multiplier=7, observation_end=calibration_end)
summary[["frequency", "recency", "T", "monetary_value"]].head()

# %% [markdown]
# **问题 2 (`m1_repeat`)：** 规则“`frequency > 0` 为重复购买客户，否则为一次购买客户”把客户分成两类。
# 校准期内有多少位重复购买客户？（在默认数据上可以与已发表的汇总 `cl.datasets.load("cdnow_summary")` 对照。）
# 精度：整数，须完全一致。
#
# **Question 2 (`m1_repeat`):** the rule "`frequency > 0` is a repeat buyer, otherwise a one-time
# buyer" splits the customers in two classes. How many repeat buyers are there in the calibration
# period? (On the default data you can compare with the published summary
# `cl.datasets.load("cdnow_summary")`.)
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
n_repeat = int((summary["frequency"] > 0).sum())
# END SOLUTION
ex.check("m1_repeat", n_repeat)

# %% [markdown]
# **问题 3 (`m1_customer_fr`)：** 客户 `customer`（参数）在校准期内的 `frequency` 和 `recency` 是多少？
# 以元组 `(frequency, recency)` 作答，recency 精确到 0.01 周。
# 精度：允许误差 ±0.01。
#
# **Question 3 (`m1_customer_fr`):** what are the calibration-period `frequency` and `recency` of
# customer `customer` (a parameter)? Answer with a tuple `(frequency, recency)`, recency to 0.01 weeks.
# Precision: within ±0.01.

# %%
# BEGIN SOLUTION
customer_fr = (summary.loc[customer, "frequency"], summary.loc[customer, "recency"])
# END SOLUTION
ex.check("m1_customer_fr", customer_fr)

# %% [markdown]
# 问题 2 的两类客户是**事先**由一条规则（阈值 0）定义的。课程把这种做法和“从数据中发现分组”区分开来。
#
# The two classes of question 2 were defined **in advance** by a rule (a threshold of 0). The course
# sets this apart from finding groups in the data.
#
# **问题 4 (`m1_term`)：** 把客户放进事先由规则（阈值、矩阵、评分）定义好的类别，这种做法叫什么？（用一个词作答，中文或英文均可）
#
# **Question 4 (`m1_term`):** what is putting customers into classes defined in advance by rules
# (thresholds, matrices, scores) called? (one word, in Chinese or English)

# %%
# BEGIN SOLUTION
term = "分类"
# END SOLUTION
ex.check("m1_term", term)

# %% [markdown]
# **问题 5 (`m1_methods`)：** 下列每种方法是 **A 分类** 还是 **B 聚类**？按顺序给出六个字母，例如 `"AAAAAA"`。
#
# **Question 5 (`m1_methods`):** is each method **A classification** or **B clustering**? Give six
# letters in order, e.g. `"AAAAAA"`.
#
# 1. 对标准化后的 R、F、M 做 k-means / k-means on standardised R, F, M
# 2. ABC 分析：按累计销售额占比 70% / 90% 切分 / ABC analysis: cuts at 70% / 90% of cumulative sales
# 3. 会员积分分级：A < 1,000，B 1,000–3,000 … / membership points tiers: A < 1,000, B 1,000–3,000 …
# 4. 对购物篮做层次聚类（Ward 法）/ hierarchical (Ward) clustering of shopping baskets
# 5. RFM 八类：R、F、M 各与平均值比较 / the eight RFM classes: R, F, M each compared with its average
# 6. 用高斯混合模型找出行为相似的客户群 / a Gaussian mixture model that finds groups of customers who behave alike

# %%
# BEGIN SOLUTION
# The boundaries of 2, 3 and 5 are written down before looking at the data; 1, 4 and 6 find them.
methods_ab = "BAABAB"
# END SOLUTION
ex.check("m1_methods", methods_ab)

# %% [markdown]
# 何时用哪一种？已有清楚的管理规则（如 VIP 门槛、信用等级）时用分类，结果易于解释和执行；
# 想了解客户中有哪些事先不知道的群体时用聚类，之后再为群体命名并检验（M3、M11）。
#
# When to use which? Use classification when a clear business rule exists (a VIP threshold, a credit
# grade): the result is easy to explain and to act on. Use clustering to discover groups you did not
# know in advance, then name and validate them (M3, M11).
#
# ## 第二部分：按属性分类（M2）/ Part 2: attribute classification (M2)
#
# 客户可以按性质（个人/家庭、企业、政府）、规模（按购买力分大/中/小）、行业、地区（本地/外地/国际）
# 以及销售渠道客户与终端用户来分类。下面是一家电子产品分销商的（合成）B2B 客户表。
#
# Customers can be classified by nature (individual/household, enterprise, government), size (large /
# medium / small by purchasing power), industry, region (local / out of town / international), and as
# channel customers or end users. Below is the (synthetic) B2B account table of an electronics distributor.

# %%
acc = cl.datasets.load(accounts_dataset)
acc[
    [
        "account_id",
        "nature",
        "size",
        "industry",
        "region",
        "channel_type",
        "sales_amount",
        "share_of_wallet",
    ]
].head()

# %% [markdown]
# **问题 6 (`m2_nature`)：** 银行把客户分成“企业客户”和“个人客户”，这是按哪一种属性分类？（中文或英文）
#
# **Question 6 (`m2_nature`):** a bank splits its customers into enterprise and personal customers.
# By which attribute? (in Chinese or English)

# %%
# BEGIN SOLUTION
bank_split = "客户性质"
# END SOLUTION
ex.check("m2_nature", bank_split)

# %% [markdown]
# **问题 7 (`m2_attributes`)：** 下列每种划分用的是哪一个属性？**A** 性质、**B** 规模、**C** 行业、**D** 地区、**E** 渠道。按顺序给出五个字母。
#
# **Question 7 (`m2_attributes`):** which attribute does each split use? **A** nature, **B** size,
# **C** industry, **D** region, **E** channel. Give five letters in order.
#
# 1. 本地 / 外地 / 国际 — local / out of town / international
# 2. 转卖产品的经销商 / 自己使用产品的公司 — distributors who resell / companies that use the goods
# 3. 按年采购额分大 / 中 / 小 — large / medium / small by yearly purchases
# 4. 制造业 / 零售业 / 服务业 — manufacturing / retail / services
# 5. 政府 / 企业 / 个人 — government / enterprise / individual

# %%
# BEGIN SOLUTION
attribute_letters = "DEBCA"
# END SOLUTION
ex.check("m2_attributes", attribute_letters)

# %% [markdown]
# **问题 8 (`m2_intermediaries`)：** 按与企业的关系，客户分为消费客户、中间客户、公利客户和内部客户。
# 对一家电视机厂商而言，下列哪些是**中间客户**？给出所有正确选项的字母，例如 `"BD"`。
#
# **Question 8 (`m2_intermediaries`):** by their relationship to the firm, customers are consumers,
# intermediaries, public-interest customers and internal customers. For a television maker, which of
# these are **intermediaries**? Give the letters of all right options, e.g. `"BD"`.
#
# - A. 转卖其电视机的批发商 / a wholesaler that resells its TVs
# - B. 为自家客厅买电视的家庭 / a family buying a TV for its living room
# - C. 转卖其电视机的电器零售连锁店 / an electronics retail chain that resells its TVs
# - D. 厂商自己的售后服务部门 / the maker's own after-sales department
# - E. 为员工采购笔记本电脑的银行 / a bank buying laptops for its staff

# %%
# BEGIN SOLUTION
intermediaries = "AC"
# END SOLUTION
ex.check("m2_intermediaries", intermediaries)

# %% [markdown]
# **问题 9 (`m2_crosstab`)：** 用 `pd.crosstab` 统计 `row_attribute` × `column_attribute`（参数）每个组合的客户数。
# 精度：整数，须完全一致。
#
# **Question 9 (`m2_crosstab`):** count the accounts of each `row_attribute` × `column_attribute`
# combination (parameters) with `pd.crosstab`.
# Precision: whole numbers, exactly.

# %%
# BEGIN SOLUTION
crosstab = pd.crosstab(acc[row_attribute], acc[column_attribute])
# END SOLUTION
ex.check("m2_crosstab", crosstab)

# %% [markdown]
# **问题 10 (`m2_government_out_of_town`)：** 有多少个政府客户（`nature == "government"`）位于外地
# （`region == "out_of_town"`）？精度：整数，须完全一致。
#
# **Question 10 (`m2_government_out_of_town`):** how many government accounts
# (`nature == "government"`) are out of town (`region == "out_of_town"`)? Precision: a whole number,
# exactly.

# %%
# BEGIN SOLUTION
government = acc["nature"] == "government"
n_government_out_of_town = int((government & (acc["region"] == "out_of_town")).sum())
# END SOLUTION
ex.check("m2_government_out_of_town", n_government_out_of_town)

# %% [markdown]
# **问题 11 (`m2_channel_share`)：** 在个人客户（`nature == "individual"`）中，销售渠道客户
# （`channel_type == "channel"`）占多大比例？以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。
# 精度：允许误差 ±0.005。
#
# **Question 11 (`m2_channel_share`):** among the individual accounts (`nature == "individual"`), what
# share are channel customers (`channel_type == "channel"`)? Answer with a fraction between 0 and 1,
# not a percentage (0.25, not 25). Precision: within ±0.005.

# %%
# BEGIN SOLUTION
individual = acc[acc["nature"] == "individual"]
channel_share = (individual["channel_type"] == "channel").mean()
# END SOLUTION
ex.check("m2_channel_share", channel_share)

# %% [markdown]
# **问题 12 (`m2_size_rule`)：** 写一个函数 `size_class(purchasing_power)`，按年购买力（元）返回
# `"large"`、`"medium"` 或 `"small"`（也可以用 `"大"`、`"中"`、`"小"`）：不低于 `size_large_min` 为大，
# 不低于 `size_medium_min` 为中，其余为小。检查会用新的随机输入（包括恰好等于阈值的值）测试你的函数。
#
# **Question 12 (`m2_size_rule`):** write a function `size_class(purchasing_power)` that returns
# `"large"`, `"medium"` or `"small"` (or `"大"`, `"中"`, `"小"`) from a yearly purchasing power in
# yuan: at least `size_large_min` is large, at least `size_medium_min` medium, the rest small. The
# check tests your function on fresh random inputs, values exactly on a threshold included.


# %%
def size_class(purchasing_power):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    if purchasing_power >= size_large_min:
        return "large"
    if purchasing_power >= size_medium_min:
        return "medium"
    return "small"
    # END SOLUTION


ex.check("m2_size_rule", size_class)

# %% [markdown]
# 一个客户的购买力是它从所有供应商那里的年采购额，即我们的销售额除以我们所占的份额（share of wallet）。
# 用你的函数给每个客户分级，并与数据中的 `size` 列对照：在默认阈值下两者应完全一致
# （作答问题 12 之前显示 0%）。
#
# An account's purchasing power is its yearly purchases from all suppliers: our sales divided by our
# share of its wallet. Grade every account with your function and compare with the `size` column: with
# the default thresholds they agree everywhere (0% until you answer question 12).

# %%
purchasing_power = acc["sales_amount"] / acc["share_of_wallet"]
agreement = (purchasing_power.map(size_class) == acc["size"]).mean()
print(f"agreement with the size column / 与 size 列一致的比例: {agreement:.1%}")

# %% [markdown]
# ## 第三部分：定性类型测验（M14）/ Part 3: quiz on qualitative typologies (M14)
#
# 课程还介绍了几种靠观察和经验判断的客户类型（笔记本 `notebooks/00_overview.ipynb` 的“定性客户类型（M14）”
# 一节）。它们不从数据计算，只用于讨论和测验。
#
# The course also presents customer types that are judged by observation and experience (the section
# "Qualitative customer types (M14)" of the notebook `notebooks/00_overview.ipynb`). They are not
# computed from data; we only discuss and quiz them.
#
# **问题 13 (`m14_types`)：** 课程中每种定性分类各列出几种类型？按顺序给出四个整数的列表。
#
# **Question 13 (`m14_types`):** how many types does each typology of the course list? Give a list of
# four whole numbers, in order.
#
# 1. 个人客户的性格类型 / personality types of individual customers
# 2. 电话销售中的客户类型 / customer types in telephone sales
# 3. 大客户的类型 / types of big customers
# 4. 客户忠诚的类型 / types of customer loyalty

# %%
# BEGIN SOLUTION
type_counts = [6, 9, 5, 8]
# END SOLUTION
ex.check("m14_types", type_counts)

# %% [markdown]
# **问题 14 (`m14_telesales`)：** 下列哪一项**不是**课程中的电话销售客户类型？（一个字母）
#
# **Question 14 (`m14_telesales`):** which of these is **not** one of the course's telephone-sales
# customer types? (one letter)
#
# - A. 贪婪型 / greedy
# - B. 主人型 / owner-minded
# - C. 冲动型 / impulsive
# - D. 抢功型 / credit-grabbing

# %%
# BEGIN SOLUTION
not_telesales = "C"
# END SOLUTION
ex.check("m14_telesales", not_telesales)

# %% [markdown]
# **问题 15 (`m14_data`)：** 为什么 custlab 只在测验中使用这些定性类型，而不从数据中计算它们？（一个字母）
#
# **Question 15 (`m14_data`):** why does custlab use these typologies only in quizzes and never compute
# them from data? (one letter)
#
# - A. 它们已经过时 / they are out of date
# - B. 判断它们要观察这个人（谈话、举止、动机），而交易记录里没有这些信息 / telling them apart needs
#   observing the person (conversation, behaviour, motives), which a transaction log does not record
# - C. 它们只适用于 B2B 客户 / they apply to B2B customers only
# - D. 它们是聚类结果，而 custlab 不做聚类 / they are clusters, and custlab does no clustering

# %%
# BEGIN SOLUTION
why_quiz_only = "B"
# END SOLUTION
ex.check("m14_data", why_quiz_only)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
