"""Benchmark: render 5,000 pass cards (500 A4 sheets) and print the time and peak memory.

Target (DESIGN.md §7): 5,000 cards in ≤ 8 s on the 2-core reference machine.

    .venv/bin/python benchmarks/pass_cards.py [--cards 5000] [--out cards.pdf] [--sign]
        [--tracemalloc]

The time covers what the "print pass cards" action does after reading the database: font
loading (first use in the process), QR encoding, layout and writing the PDF; with ``--sign``
also the PAdES signature. Peak memory is the process's peak RSS (``ru_maxrss``);
``--tracemalloc`` adds Python's own peak allocation (slower, so the time is not comparable).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checkpoint_app.reports.pass_cards import PassCard, render_pass_cards  # noqa: E402

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩"
    "春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍"
    "茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融"
    "园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒"
    "影荔枝思丽"
)
SPECIAL = ["李𠮷祥", "陈䶮", "阿依古丽·买买提艾力"]


def make_cards(n: int, seed: int = 7) -> list[PassCard]:
    rnd = random.Random(seed)
    cards = []
    for i in range(n):
        if i % 500 == 0:
            name = SPECIAL[(i // 500) % len(SPECIAL)]
        else:
            given = "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2)))
            name = rnd.choice(SURNAMES) + given
        floor, room = rnd.randint(1, 33), rnd.randint(1, 4)
        household = f"{rnd.randint(1, 24)}-{rnd.randint(1, 4)}-{floor}{room:02d}"
        payload = "CP1" + "".join(rnd.choice(BASE32) for _ in range(122))
        cards.append(PassCard(household, name, f"{i + 1:06d}", 1 + i % 3,
                              date(2024, 3, 1), date(2024, 8, 31), payload))
    return cards


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=5000)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--sign", action="store_true", help="also sign the PDF (PAdES)")
    ap.add_argument("--tracemalloc", action="store_true")
    args = ap.parse_args(argv)

    cards = make_cards(args.cards)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "cards.pdf"
        if args.tracemalloc:
            tracemalloc.start()
        t0 = time.perf_counter()
        render_pass_cards(cards, out, site_name="阳光花园小区", generated_by="物业管理员 张三")
        t1 = time.perf_counter()
        if args.sign:
            from checkpoint_app.reports.signing import create_site_pki, sign_pdf

            pki = create_site_pki("YGHY", "阳光花园小区")
            t1b = time.perf_counter()
            sign_pdf(out, out, pki, reason="出入证", location="阳光花园小区")
            t2 = time.perf_counter()
        size = out.stat().st_size
        peak_py = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"pass cards: {len(cards)} cards, {-(-len(cards) // 10)} pages, {size / 1e6:.1f} MB PDF")
    print(f"render: {t1 - t0:.2f} s  (target <= 8 s)")
    if args.sign:
        print(f"sign: {t2 - t1b:.2f} s")
    print(f"peak RSS: {rss / 1024:.0f} MB (before rendering: {rss_before / 1024:.0f} MB)")
    if peak_py is not None:
        print(f"tracemalloc peak: {peak_py / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
