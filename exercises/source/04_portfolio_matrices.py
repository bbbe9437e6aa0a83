# Solution source of exercises/04_portfolio_matrices.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "threshold": "quantile", "quantile": 0.6, "account": 7, "dataset": "cdnow_sample", "window_days": 180}, {"threshold": "mean"}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other cuts.
# - threshold quantile 0.62: lesson 04 prints the quadrants by the median, the mean and the 0.75
#   quantile; the 0.62 quantile gives counts no lesson shows, and question 7 then compares two rules
#   the lesson does not put side by side.
# - window_days 180: lesson 04 puts the whole supermarket year in the value × loyalty matrix.

# %% [markdown]
# # 练习 04：矩阵分类与按属性分类 / Exercises 04: portfolio matrices and attribute classes
#
# **课程方法 / Course methods:** M7 矩阵分类（价值 × 忠诚、潜力 × 当前销量与 K/L 影响者、占有率 × 即将购买量）·
# M2 按属性分类与交叉表
#
# **学习目标**
# - 用两个指标和阈值把客户放进 2 × 2 矩阵，数出每个象限的客户；
# - 说出每个象限的策略，知道哪个象限最需要投入精力；
# - 区分 K 类和 L 类影响者；
# - 比较不同的阈值规则，理解“等于阈值算高”的规则；
# - 用交叉表计算各类客户的销售额占比。
#
# **Learning goals**
# - place customers in a 2 × 2 matrix by two measures and thresholds, and count each quadrant;
# - name each quadrant's strategy and the quadrant that needs the most effort;
# - tell K influencers from L influencers;
# - compare threshold rules, and apply "a value equal to the threshold is high";
# - compute the sales shares of attribute classes with a cross-tab.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress. 笔记本 `notebooks/04_portfolio_matrices.ipynb` 讲解了这里用到的方法。
# The notebook `notebooks/04_portfolio_matrices.ipynb` explains the methods used here.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
accounts_dataset = "b2b_accounts"  # B2B 客户表 / B2B account table
threshold = "quantile"  # 阈值规则 / threshold rule: "median", "mean" or "quantile"
quantile = 0.62  # threshold 为 "quantile" 时的分位数 / the quantile when threshold is "quantile"
account = 42  # 问题 5 中的客户 / the account of question 5
dataset = "supermarket"  # 问题 10 的交易数据 / transaction log of question 10
window_days = 180  # 问题 10 只看最后这么多天 / question 10 looks at the last this many days

# %%
import pandas as pd

import custlab as cl
import custlab.exercises as ex
from custlab import segment as sg
from custlab import teaching

ex.start(
    "04_portfolio_matrices",
    lang=lang,
    seed=seed,
    accounts_dataset=accounts_dataset,
    threshold=threshold,
    quantile=quantile,
    account=account,
    dataset=dataset,
    window_days=window_days,
)

# %% [markdown]
# ## 第一部分：潜力 × 当前销量 / Part 1: potential × current sales
#
# 一家电子产品分销商的（合成）B2B 客户表：`sales_amount` 是当年销售额，`growth_potential` 是销售团队评估的
# 增长潜力（0–1）。阈值规则 `rule` 由参数 `threshold`（和 `quantile`）决定，两个轴用同一种规则；
# 一个值“不低于阈值”即为高。
#
# The (synthetic) B2B account table of an electronics distributor: `sales_amount` is the year's sales,
# `growth_potential` the sales team's assessment of room to grow (0-1). The threshold rule `rule` comes
# from the parameter `threshold` (and `quantile`), the same on both axes; a value at least the threshold is high.

# %%
accounts = cl.datasets.load(accounts_dataset).set_index("account_id")
rule = ("quantile", quantile) if threshold == "quantile" else threshold
accounts[
    [
        "sales_amount",
        "growth_potential",
        "share_of_wallet",
        "upcoming_purchase_volume",
        "nature",
        "size",
    ]
].head()

# %% [markdown]
# **问题 1 (`m7_develop`)：** 在潜力 × 当前销量矩阵中，有多少个客户属于“开发客户（投入最多精力）”（潜力高、当前销量低）？
# 精度：整数，须完全一致。
#
# **Question 1 (`m7_develop`):** in the potential × current sales matrix, how many accounts are to be
# developed ("Develop (most effort)": high potential, low current sales)?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
potential = sg.potential_sales(accounts, "sales_amount", "growth_potential", rule, rule, lang="en")
n_develop = int((potential == "Develop (most effort)").sum())
# END SOLUTION
ex.check("m7_develop", n_develop)

# %% [markdown]
# **问题 2 (`m7_most_effort`)：** 按课程，哪一个象限应当投入最多的精力？（一个字母）
#
# **Question 2 (`m7_most_effort`):** by the course, which quadrant should get the most effort? (one letter)
#
# - A. 销量高、潜力高 / high sales, high potential
# - B. 销量低、潜力高 / low sales, high potential
# - C. 销量高、潜力低 / high sales, low potential
# - D. 销量低、潜力低 / low sales, low potential

# %%
# BEGIN SOLUTION
most_effort = "B"
# END SOLUTION
ex.check("m7_most_effort", most_effort)

# %% [markdown]
# 矩阵旁边还有两类不购买的影响者：K 类和 L 类。
#
# Beside the matrix sit two kinds of influencers who do not buy: K and L.
#
# **问题 3 (`m7_l_influencer`)：** L 类影响者是什么人？（一个字母）
#
# **Question 3 (`m7_l_influencer`):** who is an L influencer? (one letter)
#
# - A. 专家和意见领袖，他们的意见影响选择哪种产品 / experts and opinion leaders whose views sway which product is chosen
# - B. 销量高但潜力低的大客户 / a large account with high sales and low potential
# - C. 批准或否决采购的管理者 / an administrator who approves or vetoes the purchase
# - D. 已经流失的重点客户 / a key customer who has been lost

# %%
# BEGIN SOLUTION
l_influencer = "C"
# END SOLUTION
ex.check("m7_l_influencer", l_influencer)

# %% [markdown]
# **问题 4 (`m7_kl`)：** 下列每个人是 K 类还是 L 类影响者？按顺序给出五个字母（K 或 L），例如 `"KKKKK"`。
#
# **Question 4 (`m7_kl`):** is each person a K or an L influencer? Give five letters (K or L) in order,
# e.g. `"KKKKK"`.
#
# 1. 设计院的总工程师，负责写设备的技术规范 / a design institute's chief engineer who writes the equipment specifications
# 2. 必须批准每一笔采购的政府采购办公室 / a government procurement office that must approve every purchase
# 3. 一位知名的行业评测博主 / a well-known reviewer of the industry's products
# 4. 签署合同的财务总监 / the finance director who signs the contract
# 5. 为客户提供咨询的大学教授 / a university professor who advises the customer

# %%
# BEGIN SOLUTION
kl_letters = "KLKLK"
# END SOLUTION
ex.check("m7_kl", kl_letters)

# %% [markdown]
# ## 第二部分：占有率 × 即将购买量 / Part 2: share of wallet × upcoming purchase volume
#
# `share_of_wallet` 是我们在客户全部采购中的份额，`upcoming_purchase_volume` 是客户明年计划从所有供应商采购的数量。
#
# `share_of_wallet` is our share of the account's purchases; `upcoming_purchase_volume` is what it plans
# to buy next year from all suppliers.
#
# **问题 5 (`m7_account_class`)：** 客户 `account`（参数）在占有率 × 即将购买量矩阵中属于哪一类？
# 用类别名称作答（中文或英文均可，例如 `"Develop"`）。
#
# **Question 5 (`m7_account_class`):** which class of the share of wallet × upcoming volume matrix is
# account `account` (a parameter) in? Answer with the class name (Chinese or English, e.g. `"Develop"`).

# %%
# BEGIN SOLUTION
share = sg.share_volume(
    accounts, "share_of_wallet", "upcoming_purchase_volume", rule, rule, lang=lang
)
account_class = share.loc[account]
# END SOLUTION
ex.check("m7_account_class", account_class)

# %% [markdown]
# **问题 6 (`m7_share_volume_strategy`)：** 为四个象限各选一项策略，按顺序给出四个字母。
#
# **Question 6 (`m7_share_volume_strategy`):** choose the strategy of each quadrant; give four letters in order.
#
# 1. 占有率高、即将购买量大 / high share, large upcoming volume
# 2. 占有率高、即将购买量小 / high share, small upcoming volume
# 3. 占有率低、即将购买量大 / low share, large upcoming volume
# 4. 占有率低、即将购买量小 / low share, small upcoming volume
#
# - A. 重点开发 / develop
# - B. 争取或放弃 / acquire or abandon
# - C. 保持密切关系 / keep close
# - D. 维持或争取 / maintain or acquire

# %%
# BEGIN SOLUTION
strategy_letters = "CDAB"
# END SOLUTION
ex.check("m7_share_volume_strategy", strategy_letters)

# %% [markdown]
# ## 第三部分：阈值 / Part 3: thresholds
#
# **问题 7 (`m7_moved_to_mean`)：** 潜力 × 当前销量矩阵的阈值从参数 `threshold` 指定的规则换成平均值
# （两个轴都换），有多少个客户换了象限？精度：整数，须完全一致。
#
# **Question 7 (`m7_moved_to_mean`):** how many accounts change quadrant in the potential × current sales
# matrix when both thresholds change from the rule of the parameter `threshold` to the mean? Precision:
# a whole number, exactly.

# %%
# BEGIN SOLUTION
by_rule = sg.potential_sales(accounts, "sales_amount", "growth_potential", rule, rule, lang="en")
by_mean = sg.potential_sales(
    accounts, "sales_amount", "growth_potential", "mean", "mean", lang="en"
)
n_moved = int((by_rule != by_mean).sum())
# END SOLUTION
ex.check("m7_moved_to_mean", n_moved)

# %% [markdown]
# **问题 8 (`m7_mean_threshold`)：** 销售额的分布很偏斜。与中位数相比，用平均值作销售额的阈值会怎样？（一个字母）
#
# **Question 8 (`m7_mean_threshold`):** sales are very skewed. Compared with the median, what does the
# mean do as the sales threshold? (one letter)
#
# - A. 阈值更低，更多客户算作销量高 / the threshold is lower and more accounts count as high sales
# - B. 阈值更高，更少客户算作销量高 / the threshold is higher and fewer accounts count as high sales
# - C. 两者相同，没有客户移动 / both are the same and nobody moves
# - D. 取决于增长潜力 / it depends on the growth potential

# %%
# BEGIN SOLUTION
mean_effect = "B"
# END SOLUTION
ex.check("m7_mean_threshold", mean_effect)

# %% [markdown]
# **问题 9 (`m7_quadrant_rule`)：** 写一个函数 `quadrant(sales, potential, sales_threshold, potential_threshold)`，
# 返回潜力 × 当前销量矩阵的象限：`"key"`、`"develop"`、`"thank"` 或 `"watch"`（也可以用中文或英文的类别名称）。
# 一个值恰好等于阈值时算作高。检查会用新的随机输入（包括恰好等于阈值的值）测试你的函数。
#
# **Question 9 (`m7_quadrant_rule`):** write a function `quadrant(sales, potential, sales_threshold,
# potential_threshold)` that returns the quadrant of the potential × current sales matrix: `"key"`,
# `"develop"`, `"thank"` or `"watch"` (or the class name in Chinese or English). A value exactly on a
# threshold is high. The check tests your function on fresh random inputs, values on a threshold included.


# %%
def quadrant(sales, potential, sales_threshold, potential_threshold):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    high_sales = sales >= sales_threshold
    if potential >= potential_threshold:
        return "key" if high_sales else "develop"
    return "thank" if high_sales else "watch"
    # END SOLUTION


ex.check("m7_quadrant_rule", quadrant)

# %% [markdown]
# ## 第四部分：零售企业的四种顾客 / Part 4: the four kinds of retail customers
#
# 在交易数据 `dataset` 上只看最后 `window_days` 天的交易：价值 = 平均每次消费额（金额之和 / 交易笔数），
# 忠诚 = 交易笔数；这段时间没有交易的客户不参与。
#
# On the log `dataset`, look at the transactions of the last `window_days` days only: value = mean spend
# per purchase (sum of amounts / number of transactions), loyalty = number of transactions; customers
# without a transaction in that period take no part.

# %%
log, customer_column = teaching.load_log(dataset)
recent = log[log["date"] > log["date"].max() - pd.Timedelta(days=window_days)]
recent.head()

# %% [markdown]
# **问题 10 (`m7_rich_not_loyal`)：** 用阈值规则 `rule`，有多少位顾客“有钱而不忠诚”？
# 精度：整数，须完全一致。
#
# **Question 10 (`m7_rich_not_loyal`):** with the threshold rule `rule`, how many customers are "rich but not loyal"?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
per = recent.groupby(customer_column)["amount"].agg(["sum", "size"])
shoppers = pd.DataFrame({"basket": per["sum"] / per["size"], "purchases": per["size"]})
value_loyalty = sg.value_loyalty(shoppers, "basket", "purchases", rule, rule, lang="en")
n_rich_not_loyal = int((value_loyalty == "Rich but not loyal").sum())
# END SOLUTION
ex.check("m7_rich_not_loyal", n_rich_not_loyal)

# %% [markdown]
# ## 第五部分：按属性分类（M2）/ Part 5: attribute classes (M2)
#
# **问题 11 (`m2_government_share`)：** 政府客户（`nature == "government"`）的销售额占全部销售额的比例是多少？
# 以 0 到 1 之间的小数作答，至少精确到三位小数（允许误差 ±0.0005）。
# 不是百分数（0.25 而不是 25）。
#
# **Question 11 (`m2_government_share`):** what share of all sales comes from government accounts
# (`nature == "government"`)? Answer with a fraction between 0 and 1, to three decimals or better
# (tolerance ±0.0005).
# Not a percentage (0.25, not 25).

# %%
# BEGIN SOLUTION
government_share = (
    accounts.loc[accounts["nature"] == "government", "sales_amount"].sum()
    / accounts["sales_amount"].sum()
)
# END SOLUTION
ex.check("m2_government_share", government_share)

# %% [markdown]
# **问题 12 (`m2_sales_crosstab`)：** 用 `pd.crosstab` 算出性质（`nature`）× 规模（`size`）每一格的销售额占全部销售额的比例
# （所有格子加起来为 1，不要合计行/列；行列标签用数据中的原始值）。
# 精度：允许误差 ±0.0005。
#
# **Question 12 (`m2_sales_crosstab`):** with `pd.crosstab`, compute each nature (`nature`) × size
# (`size`) cell's share of all sales (all cells add up to 1; no totals; the data's own values as labels).
# Precision: within ±0.0005.

# %%
# BEGIN SOLUTION
sales = accounts["sales_amount"]
sales_crosstab = pd.crosstab(
    accounts["nature"], accounts["size"], values=sales, aggfunc="sum", normalize="all"
)
# END SOLUTION
ex.check("m2_sales_crosstab", sales_crosstab)

# %% [markdown]
# 同一张表也可以用 custlab 做，类别名称和合计行跟随语言：
#
# custlab makes the same table with class names in the notebook's language and totals:

# %%
sg.attribute_crosstab(
    accounts, "nature", "size", "sales_amount", stat="value_share", lang=lang
).round(3)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
