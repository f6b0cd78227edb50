"""Grouping opinions and self-check findings by similarity, to find the prominent problems.

Each text is segmented with rjieba (the Rust port of jieba: same dictionary and results,
about fifteen times faster); stop words, punctuation and numbers are dropped and a few
synonyms folded together, leaving a set of content words per text. Two texts are
near-duplicates when the Jaccard similarity of their word sets is at least THRESHOLD
and they share at least MIN_COMMON words.

To avoid comparing every pair, texts are compared only with earlier texts that share one of
the rarest words of their "prefix" (the prefix-filtering principle of set-similarity joins:
two sets with Jaccard ≥ t always share a word among the first |x| - ⌈t·|x|⌉ + 1 words of
each, when the words are ordered from rarest to most common). Each text joins the most
similar earlier group leader, or becomes a leader itself; only leaders are indexed, so
large groups stay cheap and different topics are never chained together through a run of
in-between texts (as single-linkage would). Exact copies join their twin at once.

Keywords of a group are its words with the highest summed TF-IDF.
"""

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import rjieba
from django.db import transaction
from django.utils import timezone

from biaoshuai.appraisal.selectors import self_check_findings

from .models import GroupingRun, GroupMember, Opinion, OpinionGroup

THRESHOLD = 0.25
# And at least this many words in common, so two short texts never match on one word.
MIN_COMMON = 2
MIN_GROUP_SIZE = 2
KEYWORDS_PER_GROUP = 5
# Leaders kept per word in the index: bounds the work for very common words.
BUCKET_CAP = 200
# In a large corpus, words in more than this share of texts carry no information.
MAX_DOC_SHARE = 0.2
MIN_DOCS_FOR_SHARE = 200
MEMBER_TEXT_CHARS = 300
SAMPLE_CHARS = 200

# Chinese stop words: function words and the phrases every opinion uses.
STOP_WORDS = frozenset(
    """
    的 了 在 是 和 与 及 或 也 都 就 还 又 再 很 太 更 最 非常 比较 一些 一点 有些 这 那 这个
    那个 这些 那些 这样 那样 这里 那里 什么 怎么 怎样 如何 为什么 因为 所以 但是 但 而且 并且
    然后 而 于是 如果 虽然 即使 只是 只有 还是 就是 不是 没有 有 无 被 把 让 给 向 从 对 对于
    关于 由于 为了 为 以 以及 等 等等 之 其 其中 其他 另外 此外 同时 并 并不 不 没 要 会 能
    可以 可能 应该 应当 需要 必须 希望 建议 请 请求 要求 反映 认为 觉得 感觉 我们 我 你 您 他
    她 它 他们 她们 大家 自己 别人 有的 有时 有人 一个 一次 一下 一直 已经 正在 曾经 现在 目前
    今年 去年 经常 总是 常常 往往 每次 每 各 各个 各种 个别 部分 存在 问题 情况 方面 工作 相关
    有关 进行 进一步 加强 提高 切实 认真 真正 一定 尽快 及时 能够 得到 出现 造成 导致 解决
    之后 以后 以前 之前 时候 时间 地方 事情 东西 一样 这种 那种 哪些 哪里 吗 呢 吧 啊 呀 哦
    着 过 来 去 上 下 里 中 后 前 个 们 地 得 所 该 此 之类 方式 通过 作为 还有 而是 不能 不会
    一是 二是 三是 第一 第二 第三 同志 领导 单位 部门 群众 意见 组织 谢谢 回复 盼 望 尽快
    改进 重视 研究 同感 比较 多次 一下子 有点 还要 今后 以后 如今 总之
    """.split()
)
# Single characters that carry the meaning of a complaint.
SINGLE_KEPT = frozenset("难慢乱差贵累推拖卡冷硬")
# Spellings of the same thing folded into one word.
SYNONYMS = {
    "没人": "无人",
    "没有人": "无人",
    "空岗": "无人",
    "午休": "中午",
    "午间": "中午",
    "中午休息": "中午",
    "麻烦": "繁琐",
    "繁杂": "繁琐",
    "复杂": "繁琐",
    "烦琐": "繁琐",
    "手续": "手续",
    "村官": "村干部",
    "两委": "村干部",
    "不切实际": "脱离实际",
    "不实用": "脱离实际",
    "用不上": "脱离实际",
    "培训班": "培训",
}


@dataclass
class Item:
    kind: str
    source_id: int
    text: str
    dimension: str = ""
    unit_id: int | None = None


@dataclass
class Group:
    members: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    dimension: str = ""


def words(text):
    """The content words of `text`, in order, stop words and punctuation removed."""
    out = []
    for word in rjieba.cut(text or ""):
        word = word.strip()
        if not word or word in STOP_WORDS:
            continue
        if len(word) == 1 and word not in SINGLE_KEPT:
            continue
        if not any(ch.isalpha() for ch in word):
            continue
        out.append(SYNONYMS.get(word, word))
    return out


def group_items(items, *, threshold=THRESHOLD):
    """The groups (≥ MIN_GROUP_SIZE members) of near-duplicate items, largest first."""
    tokenized = [words(item.text) for item in items]
    sets = [frozenset(ws) for ws in tokenized]
    df = Counter(w for s in sets for w in s)
    n = len(items)
    if n >= MIN_DOCS_FOR_SHARE:
        too_common = {w for w, c in df.items() if c > MAX_DOC_SHARE * n}
        sets = [s - too_common if too_common & s else s for s in sets]
    roots = _cluster(sets, df, threshold)
    components = defaultdict(list)
    for index, root in enumerate(roots):
        if root is not None:
            components[root].append(index)
    idf = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()}
    groups = []
    for indexes in components.values():
        if len(indexes) < MIN_GROUP_SIZE:
            continue
        weight = Counter()
        for i in indexes:
            for w, count in Counter(tokenized[i]).items():
                if w in sets[i]:
                    weight[w] += count * idf[w]
        keywords = [w for w, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
        dims = Counter(items[i].dimension for i in indexes if items[i].dimension)
        groups.append(
            Group(
                members=[items[i] for i in indexes],
                keywords=keywords[:KEYWORDS_PER_GROUP],
                dimension=dims.most_common(1)[0][0] if dims else "",
            )
        )
    groups.sort(key=lambda g: (-len(g.members), g.members[0].kind, g.members[0].source_id))
    return groups


def _cluster(sets, df, threshold):
    """Leader clustering: each text joins the most similar earlier leader, or leads a group.

    A text is compared only with leaders sharing a word of its prefix (see the module
    docstring); a group is a leader and the texts that chose it, so unlike single-linkage
    two different topics are never chained together through a run of in-between texts.
    """
    roots = [None] * len(sets)
    index = defaultdict(list)
    exact = {}
    for i, s in enumerate(sets):
        if not s:
            continue
        twin = exact.get(s)
        if twin is not None:
            roots[i] = roots[twin]
            continue
        exact[s] = i
        ordered = sorted(s, key=lambda w: (df[w], w))
        prefix = ordered[: len(s) - math.ceil(threshold * len(s)) + 1]
        seen = set()
        best, best_similarity = None, threshold
        for w in prefix:
            for j in index.get(w, ()):
                if j in seen:
                    continue
                seen.add(j)
                other = sets[j]
                common = len(s & other)
                if common < MIN_COMMON:
                    continue
                similarity = common / (len(s) + len(other) - common)
                if similarity >= best_similarity:
                    best, best_similarity = j, similarity
        if best is not None:
            roots[i] = best
            continue
        roots[i] = i
        for w in prefix:
            bucket = index[w]
            bucket.append(i)
            if len(bucket) > BUCKET_CAP:
                del bucket[0]
    return roots


def grouping_items(*, campaign):
    """The campaign's opinions and self-check findings, as plain items to group."""
    items = [
        Item("opinion", pk, text, dimension, unit_id)
        for pk, text, dimension, unit_id in Opinion.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("pk", "content", "dimension", "unit_id")
        .iterator(chunk_size=5000)
    ]
    return items + _self_check_items(campaign)


def _self_check_items(campaign):
    findings = self_check_findings(campaign=campaign).order_by("pk")
    return [
        Item("self_check", pk, text, dimension or "", unit_id)
        for pk, text, dimension, unit_id in findings.values_list(
            "pk", "text", "dimension", "self_check__unit_id"
        ).iterator(chunk_size=5000)
    ]


def grouping_compute(*, run_id):
    """Compute and store the groups of one run; older runs of the campaign are removed."""
    run = GroupingRun.objects.select_related("campaign").get(pk=run_id)
    started = time.perf_counter()
    try:
        items = grouping_items(campaign=run.campaign)
        groups = group_items(items)
        _store(run, items, groups, time.perf_counter() - started)
    except Exception as exc:
        GroupingRun.objects.filter(pk=run.pk).update(state=GroupingRun.State.FAILED, error=str(exc))
        raise
    return run.pk


@transaction.atomic
def _store(run, items, groups, seconds):
    rows = OpinionGroup.objects.bulk_create(
        [
            OpinionGroup(
                run=run,
                dimension=g.dimension,
                keywords=g.keywords,
                size=len(g.members),
                sample=g.members[0].text[:SAMPLE_CHARS],
            )
            for g in groups
        ],
        batch_size=1000,
    )
    GroupMember.objects.bulk_create(
        (
            GroupMember(
                group=row,
                kind=m.kind,
                source_id=m.source_id,
                unit_id=m.unit_id,
                dimension=m.dimension,
                text=m.text[:MEMBER_TEXT_CHARS],
            )
            for row, g in zip(rows, groups, strict=True)
            for m in g.members
        ),
        batch_size=2000,
    )
    run.state, run.computed_at, run.seconds = GroupingRun.State.DONE, timezone.now(), seconds
    run.item_count, run.group_count = len(items), len(groups)
    run.save(update_fields=["state", "computed_at", "seconds", "item_count", "group_count"])
    GroupingRun.objects.filter(campaign=run.campaign, requested_at__lt=run.requested_at).exclude(
        state=GroupingRun.State.PENDING
    ).delete()
