# Solution source of exercises/07_clustering.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "dataset": "supermarket", "calibration_end": "", "k": 3, "cluster": 2, "min_segment_share": 0.1}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other data.
# - calibration_end 1998-01-31: lesson 07 clusters the CDNOW sample calibrated to 1997-09-30 and prints
#   the cluster sizes, the Kruskal–Wallis H and the agreement with RFM; four months later every answer
#   differs (the validation period is then February to June 1998).

# %% [markdown]
# # 练习 07：聚类细分与细分评价 / Exercises 07: segmentation by clustering, and judging a segmentation
#
# **课程方法 / Course methods:** M11 聚类细分（五个步骤、七条注意事项、八个步骤）· M3 客户分类四原则 ·
# M1 分类与聚类
#
# **学习目标**
# - 读懂选择簇数 k 的指标表，按投票规则选出 k；
# - 拟合 K 均值，数出簇中的客户，并根据画像给簇命名；
# - 说出聚类前为什么要做对数变换和标准化；
# - 用四原则判断一个细分哪里不合格，并用 Kruskal–Wallis 检验验证期的反应差异；
# - 解读调整兰德指数（与 RFM 八类的一致程度、稳定性），知道稳定不等于簇真的存在；
# - 区分分类与聚类。
#
# **Learning goals**
# - read the table of criteria for choosing the number of clusters k, and pick k by the voting rule;
# - fit k-means, count a cluster's customers and name a cluster from its profile;
# - say why R, F, M are log-transformed and standardised before clustering;
# - tell which principle a segmentation fails, and test differential response in the holdout with Kruskal–Wallis;
# - read an adjusted Rand index (agreement with the RFM eight classes, stability), knowing that stable does not mean
#   the clusters exist;
# - tell classification from clustering.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress. 笔记本 `notebooks/07_clustering.ipynb` 讲解了这里用到的方法。
# The notebook `notebooks/07_clustering.ipynb` explains the methods used here.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # K 均值与抽样的随机种子 / seed of k-means and of the sample
dataset = "cdnow_sample"  # 交易数据 / transaction log: cdnow_sample, cdnow or supermarket
calibration_end = "1998-01-31"  # 校准期结束日，空：惯例 / end of calibration; empty: usual split
k = 0  # 簇数，0 表示推荐的 k / number of clusters; 0 means the recommended k
k_min = 2  # 比较的最小 k / smallest k compared
k_max = 8  # 比较的最大 k / largest k compared
k_sample = 3000  # 选择 k 时最多用这么多客户 / k is chosen on at most this many customers
cluster = 1  # 问题 4 中要命名的簇 / the cluster to name in question 4
min_segment_share = 0.05  # 足量性：最低客户占比 / substantiality: smallest customer share

# %%
import pandas as pd

import custlab as cl
import custlab.exercises as ex
from custlab import segment as sg
from custlab import teaching
from custlab.cluster import CustomerClusters, choose_k, cluster_profile

ex.start(
    "07_clustering",
    lang=lang,
    seed=seed,
    dataset=dataset,
    calibration_end=calibration_end,
    k=k,
    k_min=k_min,
    k_max=k_max,
    k_sample=k_sample,
    cluster=cluster,
    min_segment_share=min_segment_share,
)

# %% [markdown]
# ## 数据 / Data
#
# 和笔记本 07 一样：校准期的交易给出每位客户的 R（`recency_days`，距校准期结束的天数）、F（`n_transactions`）、
# M（`total_amount`），验证期的购买次数（`holdout_purchases`）用来检验反应差异。
#
# As in notebook 07: the calibration period's transactions give each customer's R (`recency_days`, days
# before the end of calibration), F (`n_transactions`) and M (`total_amount`); the holdout purchases
# (`holdout_purchases`) test differential response.

# %%
log, customer = teaching.load_log(dataset)
usual_split = {"cdnow_sample": "1997-09-30", "cdnow": "1997-09-30", "supermarket": "2024-06-30"}
cal_end = pd.Timestamp(calibration_end or usual_split[dataset])
end = log["date"].max()
clean = cl.validate_transactions(log, customer=customer, observation_end=end).data
summary = cl.summarize(clean, customer=customer, observation_end=cal_end)
holdout = cl.calibration_holdout(
    clean, customer=customer, calibration_end=cal_end, observation_end=end
)
summary["holdout_purchases"] = holdout["frequency_holdout"].reindex(summary.index)
summary[["recency_days", "n_transactions", "total_amount", "holdout_purchases"]].describe().round(2)

# %% [markdown]
# ## 第一部分：选择 k（M11 第 4 步）/ Part 1: choosing k (M11, step 4)
#
# 下面对每个 k 聚类一次并打分（R、F、M 取对数并标准化；客户多于 `k_sample` 时在随机样本上比较）。
#
# Below, each k is clustered once and scored (R, F, M log-transformed and standardised; with more than
# `k_sample` customers, on a random sample).

# %%
k_data = summary if len(summary) <= k_sample else summary.sample(n=k_sample, random_state=seed)
selection = choose_k(k_data, range(k_min, k_max + 1), random_state=seed)
k_table = selection.table[["inertia", "silhouette", "calinski_harabasz", "davies_bouldin"]]
k_table.round(3)

# %% [markdown]
# **问题 1 (`m11_k_votes`)：** 每个指标各自选哪个 k？按顺序给出四个整数：(轮廓系数, CH 指数, DB 指数, 肘部)。
# 轮廓系数和 CH 指数越大越好，DB 指数越小越好；肘部用 `cl.cluster.kneedle(k 列表, 簇内平方和)` 找。
#
# **Question 1 (`m11_k_votes`):** which k does each criterion pick? Give four whole numbers in order:
# (silhouette, Calinski–Harabasz, Davies–Bouldin, elbow). Silhouette and Calinski–Harabasz: higher is
# better; Davies–Bouldin: lower is better; find the elbow with `cl.cluster.kneedle(ks, inertia)`.

# %%
# BEGIN SOLUTION
elbow = k_table.index[cl.cluster.kneedle(k_table.index, k_table["inertia"])]
best = [
    *k_table[["silhouette", "calinski_harabasz"]].idxmax().tolist(),
    k_table["davies_bouldin"].idxmin(),
]
k_votes = (*best, elbow)
# END SOLUTION
ex.check("m11_k_votes", k_votes)

# %% [markdown]
# **问题 2 (`m11_given_table`)：** 另一份数据给出下表。规则是：每个指标（包括肘部）投票给它最好的 k，得票最多的
# k 被推荐；票数相同时取轮廓系数最大的 k。推荐的是哪个 k？（一个字母）
#
# **Question 2 (`m11_given_table`):** another data set gives the table below. The rule: each criterion
# (the elbow too) votes for its best k, the k with most votes is recommended, and ties go to the best
# silhouette. Which k is recommended? (one letter)
#
# | k | 簇内平方和 inertia | 轮廓系数 silhouette | CH 指数 | DB 指数 |
# | --- | --- | --- | --- | --- |
# | 2 | 5200 | 0.41 | 1850 | 0.98 |
# | 3 | 3600 | 0.46 | 2010 | 0.83 |
# | 4 | 2400 | 0.44 | 1960 | 0.79 |
# | 5 | 2150 | 0.39 | 1800 | 0.88 |
# | 6 | 1900 | 0.37 | 1700 | 0.91 |
#
# 肘部（kneedle）在 k = 4。/ The elbow (kneedle) lies at k = 4.
#
# - A. k = 2
# - B. k = 3
# - C. k = 4
# - D. k = 5

# %%
# BEGIN SOLUTION
# silhouette 3, CH 3, DB 4, elbow 4: a 2-2 tie between 3 and 4; the silhouette is higher at 3.
given_table_k = "B"
# END SOLUTION
ex.check("m11_given_table", given_table_k)

# %% [markdown]
# ## 第二部分：拟合、计数和命名 / Part 2: fitting, counting and naming
#
# 簇数取参数 `k`（为 0 时取推荐的 k）。custlab 按平均累计消费额给簇编号：簇 0 的价值最高。
#
# The number of clusters is the parameter `k` (the recommended k when it is 0). custlab numbers the
# clusters by mean total spend: cluster 0 is the most valuable.

# %%
n_clusters = k or selection.recommended
model = CustomerClusters(n_clusters, random_state=seed).fit(summary)
print("k =", n_clusters)
model.labels_.head()

# %% [markdown]
# **问题 3 (`m11_cluster0_size`)：** `model.labels_` 是每位客户的簇号。簇 0 有多少位客户？
# 精度：整数，须完全一致。
#
# **Question 3 (`m11_cluster0_size`):** `model.labels_` holds each customer's cluster number. How many
# customers are in cluster 0?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
n_cluster0 = int((model.labels_ == 0).sum())
# END SOLUTION
ex.check("m11_cluster0_size", n_cluster0)

# %% [markdown]
# 下面是各簇的画像：R、F、M 的均值，最后一行是全体客户。
#
# Below are the clusters' profiles: the means of R, F and M, the last row for all customers.

# %%
profile = cluster_profile(summary, model.labels_, lang="en")
profile[["customers", "mean_recency_days", "mean_n_transactions", "mean_total_amount"]].round(2)

# %% [markdown]
# **问题 4 (`m11_cluster_name`)：** 根据画像给簇 `cluster`（参数）命名：把它的 R、F、M 均值各与全体客户的均值比较，
# 按 RFM 八类的规则（M6）给出类别名称，中文或英文均可，例如 `"重要保持客户"` 或 `"Important retention"`。
#
# **Question 4 (`m11_cluster_name`):** name cluster `cluster` (a parameter) from the profile: compare its
# mean R, F and M each with the mean of all customers and give the class of the RFM eight-class rule (M6),
# in Chinese or English, e.g. `"重要保持客户"` or `"Important retention"`.

# %%
# BEGIN SOLUTION
means, base = profile.loc[cluster], profile.iloc[-1]
# fewer days since the last purchase
r_high = means["mean_recency_days"] < base["mean_recency_days"]
f_high = means["mean_n_transactions"] > base["mean_n_transactions"]
m_high = means["mean_total_amount"] > base["mean_total_amount"]
rest = {
    (True, True): "value",
    (True, False): "development",
    (False, True): "retention",
    (False, False): "win-back",
}
cluster_name = ("Important " if m_high else "General ") + rest[r_high, f_high]
# END SOLUTION
ex.check("m11_cluster_name", cluster_name)

# %% [markdown]
# **问题 5 (`m11_why_log`)：** 为什么在 K 均值之前要对 R、F、M 取对数并标准化？（一个字母）
#
# **Question 5 (`m11_why_log`):** why are R, F and M log-transformed and standardised before k-means?
# (one letter)
#
# - A. 为了让聚类结果稳定 / to make the clusters stable
# - B. 因为 K 均值只能处理整数 / because k-means only handles whole numbers
# - C. K 均值按欧氏距离分组：不变换时，量纲大、严重偏斜的变量（少数大客户的金额）几乎决定了全部距离 /
#   k-means groups by Euclidean distance: without it, the large-unit, heavily skewed variable (a few big
#   spenders' amounts) decides almost every distance
# - D. 为了让推荐的 k 等于 2 / to make the recommended k equal 2

# %%
# BEGIN SOLUTION
why_log = "C"
# END SOLUTION
ex.check("m11_why_log", why_log)

# %% [markdown]
# ## 第三部分：四原则（M3）/ Part 3: the four principles (M3)
#
# **问题 6 (`m3_principles`)：** 下列每个细分违背了哪一条原则？**A** 客户可衡量性、**B** 需求足量性、
# **C** 可开发性、**D** 反应差异性。按顺序给出四个字母。
#
# **Question 6 (`m3_principles`):** which principle does each segmentation fail? **A** measurability,
# **B** substantiality, **C** accessibility, **D** differential response. Give four letters in order.
#
# 1. 一个细分只有 1.2% 的客户、0.8% 的收入 / a segment holds 1.2% of the customers and 0.8% of the revenue
# 2. 两个细分在验证期人均购买 0.81 次和 0.79 次，Kruskal–Wallis 检验 p = 0.64 / two segments bought 0.81 and
#    0.79 times per customer in the holdout; Kruskal–Wallis p = 0.64
# 3. 按年龄细分，但 30% 的客户没有记录出生日期 / segments by age, but 30% of the customers have no birth date on record
# 4. “深夜购物者” 细分的客户既没有留下电话、邮箱，也不用 App：企业联系不到他们 / the "night owls" segment left
#    no phone number or e-mail and does not use the app: the firm cannot contact them

# %%
# BEGIN SOLUTION
principles = "BDAC"
# END SOLUTION
ex.check("m3_principles", principles)

# %% [markdown]
# **问题 7 (`m3_eight_below`)：** 对同一批客户（同一个校准期）用 RFM 八类（与平均值比较，`sg.rfm_eight_classes`）分类。
# 有几个类别的客户占比低于 `min_segment_share`（参数）？一个客户也没有的类别也算。
# 精度：整数，须完全一致。
#
# **Question 7 (`m3_eight_below`):** classify the same customers (same calibration period) by the RFM eight
# classes (against the mean, `sg.rfm_eight_classes`). How many classes hold a smaller share of the customers
# than `min_segment_share` (a parameter)? A class nobody is in counts too.
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
eight = sg.rfm_eight_classes(summary, lang="en")
shares = eight.value_counts(normalize=True)  # a categorical keeps empty classes, with 0
n_below = int((shares < min_segment_share).sum())
# END SOLUTION
ex.check("m3_eight_below", n_below)

# %% [markdown]
# **问题 8 (`m3_kruskal_h`)：** 验证期的购买次数（`holdout_purchases`）在问题 3 的各簇之间是否不同？
# 计算 Kruskal–Wallis 检验的 H（含并列值修正；允许相对误差 0.1%）。
# 精度：允许相对误差 ±0.1%。
#
# **Question 8 (`m3_kruskal_h`):** do the holdout purchases (`holdout_purchases`) differ between the
# clusters of question 3? Compute the Kruskal–Wallis H (tie-corrected; relative tolerance 0.1%).
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
from scipy import stats

groups = [g.to_numpy() for _, g in summary["holdout_purchases"].groupby(model.labels_)]
kruskal_h = stats.kruskal(*groups).statistic
# END SOLUTION
ex.check("m3_kruskal_h", kruskal_h)

# %% [markdown]
# **问题 9 (`m3_kruskal_meaning`)：** 假设检验给出 p < 0.001、效应量 ε² = 0.23。下列哪些说法正确？给出所有正确选项的字母。
#
# **Question 9 (`m3_kruskal_meaning`):** suppose the test gives p < 0.001 and an effect size ε² = 0.23.
# Which statements are right? Give the letters of all right options.
#
# - A. 各簇客户在验证期的购买差异大于偶然所能解释的：反应差异性成立 / the clusters' customers differ in their
#   holdout purchases by more than chance explains: differential response holds
# - B. 给簇 0 发优惠券会提高他们的购买 / sending coupons to cluster 0 will raise its purchases
# - C. 客户有几千位时，很小的差异也会给出很小的 p 值，所以还要看效应量 / with thousands of customers even a tiny
#   difference gives a small p-value, so read the effect size too
# - D. 这些簇是稳定的 / the clusters are stable

# %%
# BEGIN SOLUTION
kruskal_meaning = "AC"
# END SOLUTION
ex.check("m3_kruskal_meaning", kruskal_meaning)

# %% [markdown]
# ## 第四部分：调整兰德指数 / Part 4: the adjusted Rand index
#
# **问题 10 (`m11_ari_rfm`)：** 问题 3 的簇与问题 7 的 RFM 八类有多一致？计算两者的调整兰德指数
# （`sklearn.metrics.adjusted_rand_score`，允许误差 ±0.005）。
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。
#
# **Question 10 (`m11_ari_rfm`):** how far do the clusters of question 3 agree with the RFM eight classes of
# question 7? Compute their adjusted Rand index (`sklearn.metrics.adjusted_rand_score`, tolerance ±0.005).
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25).

# %%
# BEGIN SOLUTION
from sklearn.metrics import adjusted_rand_score

ari_rfm = adjusted_rand_score(model.labels_, eight)
# END SOLUTION
ex.check("m11_ari_rfm", ari_rfm)

# %% [markdown]
# **问题 11 (`m11_ari_meaning`)：** 一次稳定性检验（20 次随机抽取 80% 的客户重新聚类）给出的平均调整兰德指数是 0.41，
# 阈值是 0.75。这说明什么？（一个字母）
#
# **Question 11 (`m11_ari_meaning`):** a stability check (20 re-clusterings of 80% of the customers drawn at
# random) gives a mean adjusted Rand index of 0.41, against a threshold of 0.75. What does it say? (one letter)
#
# - A. 41% 的客户被分错了簇 / 41% of the customers are in the wrong cluster
# - B. 这些簇的价值是 RFM 类别的 41% / the clusters are worth 41% of the RFM classes
# - C. 数据中肯定没有簇 / the data certainly hold no clusters
# - D. 换一批客户，划分就变化很大：结果不稳定，不宜直接据此分配营销资源（换个 k 或换变量再试）/
#   the partition changes a lot with other customers drawn: it is unstable, so do not base campaigns on it
#   as it is (try another k or other variables)

# %%
# BEGIN SOLUTION
ari_meaning = "D"
# END SOLUTION
ex.check("m11_ari_meaning", ari_meaning)

# %% [markdown]
# **问题 12 (`m11_noise`)：** 在均匀分布的二维随机数据上，指标推荐 k = 4，稳定性检验的平均调整兰德指数为 0.92，判为 “稳定”。
# 由此可以得出什么结论？（一个字母）
#
# **Question 12 (`m11_noise`):** on uniformly distributed two-dimensional noise, the criteria recommend k = 4
# and the stability check gives a mean adjusted Rand index of 0.92: "stable". What follows? (one letter)
#
# - A. 这些数据里有四个自然的客户群 / the data hold four natural groups of customers
# - B. 稳定只说明划分可以重复，不说明数据中有自然的分组；还要看画像是否有意义、四原则是否满足 /
#   stability shows that the partition repeats, not that the data hold natural groups; check whether the
#   profiles make sense and the four principles hold
# - C. 调整兰德指数算错了 / the adjusted Rand index was computed wrongly
# - D. K 均值不能处理二维数据 / k-means cannot cluster two-dimensional data

# %%
# BEGIN SOLUTION
noise_conclusion = "B"
# END SOLUTION
ex.check("m11_noise", noise_conclusion)

# %% [markdown]
# ## 第五部分：分类还是聚类（M1）/ Part 5: classification or clustering (M1)
#
# **问题 13 (`m1_methods`)：** 下列每种方法是 **A 分类** 还是 **B 聚类**？按顺序给出六个字母。
#
# **Question 13 (`m1_methods`):** is each method **A classification** or **B clustering**? Give six letters
# in order.
#
# 1. RFM 八类：R、F、M 各与平均值比较 / the RFM eight classes: R, F and M each against the average
# 2. 对取对数并标准化的 R、F、M 做 K 均值 / k-means on log-transformed, standardised R, F, M
# 3. 用高斯混合模型找出行为相似的客户 / a Gaussian mixture that finds customers who behave alike
# 4. 会员积分分级：A < 1,000 分，B 1,000–3,000 分…… / membership tiers by points: A < 1,000, B 1,000–3,000, …
# 5. Ward 层次聚类 / Ward's hierarchical clustering
# 6. ABC 分析：按累计销售额占比 70% / 90% 切分 / ABC analysis: cuts at 70% / 90% of cumulative sales

# %%
# BEGIN SOLUTION
methods_ab = "ABBABA"
# END SOLUTION
ex.check("m1_methods", methods_ab)

# %% [markdown]
# ## 第六部分：五个步骤、七条注意事项、八个步骤（M11）/ Part 6: the five steps, seven cautions and eight steps (M11)
#
# 笔记本 `notebooks/07_clustering.ipynb` 的第 1 节和第 9 节讲了课程的五个步骤、七条注意事项和八个步骤，
# 方法说明 `notebooks/METHODS.md` 也列出了它们。
#
# Sections 1 and 9 of the notebook `notebooks/07_clustering.ipynb` teach the course's five steps, seven
# cautions and eight steps; the methods page `notebooks/METHODS.md` lists them too.
#
# **问题 14 (`m11_five_steps`)：** 下列每一项是聚类细分五个步骤中的第几步？按顺序给出五个整数的列表，例如 `[1, 2, 3, 4, 5]`。
#
# **Question 14 (`m11_five_steps`):** which of the five steps of segmentation by clustering is each of
# these? Give a list of five whole numbers in order, e.g. `[1, 2, 3, 4, 5]`.
#
# 1. 选择聚类技术，准备数据 / choose the clustering technique, prepare the data
# 2. 特征细分：地理、人口、心理和行为变量 / characteristic segmentation: geographic, demographic,
#    psychographic and behavioural variables
# 3. 评估结果：与业务目标相关、可理解、足够大、可操作 / evaluate the result: relevant, understandable,
#    large enough, actionable
# 4. 在最有价值的细分中按共同需求再细分 / common-need segmentation of the most valuable segments
# 5. 价值区间细分：大、重要、普通、小客户 / value-interval segmentation: big, important, ordinary, small

# %%
# BEGIN SOLUTION
step_numbers = [4, 1, 5, 3, 2]
# END SOLUTION
ex.check("m11_five_steps", step_numbers)

# %% [markdown]
# **问题 15 (`m11_cautions`)：** 下列哪些是课程中聚类细分的注意事项？给出所有正确选项的字母，例如 `"AE"`。
#
# **Question 15 (`m11_cautions`):** which of these are cautions of segmentation by clustering in the
# course? Give the letters of all right options, e.g. `"AE"`.
#
# - A. 每位客户恰好属于一个类别 / each customer belongs to exactly one class
# - B. 客户细分由高层管理者推动，而不是某一个部门 / segmentation is driven by senior management, not by
#   one department
# - C. 每个细分有一个负责人，负责它的盈亏平衡 / one owner per segment, responsible for its break-even
# - D. 一开始就分到最细，细分越多越好 / split as finely as possible from the start; the more segments
#   the better
# - E. 每个渠道对同一细分传递各自不同的信息 / each channel gives a segment a message of its own
# - F. 给销售人员按购买可能性排序的客户名单 / give sales ranked lists with a purchase-likelihood score

# %%
# BEGIN SOLUTION
cautions = "ABCF"
# END SOLUTION
ex.check("m11_cautions", cautions)

# %% [markdown]
# **问题 16 (`m11_eight_steps`)：** 八个步骤的最后一步是“随市场变化重做”。它说明了什么？（一个字母）
#
# **Question 16 (`m11_eight_steps`):** the last of the eight steps is "redo as the market changes".
# What does it say? (one letter)
#
# - A. 细分是一个过程，而不是一个结果 / segmentation is a process, not a result
# - B. 聚类算法每次运行的结果是随机的 / a clustering algorithm gives random results on every run
# - C. 市场变化后，旧的交易数据应当删除 / after a market change the old transactions should be deleted
# - D. 只有市场变化时才需要做细分 / segmentation is needed only when the market changes

# %%
# BEGIN SOLUTION
last_step = "A"
# END SOLUTION
ex.check("m11_eight_steps", last_step)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
