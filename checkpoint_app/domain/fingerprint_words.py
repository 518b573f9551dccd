"""A certificate fingerprint in words, to read aloud over the phone and compare (the site
registration sheet, the verify page, ``checkpoint trust``): each byte of the SHA-256 becomes one
word of a fixed list of 256, common two-character nouns in Chinese and common English nouns.
32 words in 4 lines of 8; the manager reads the sheet, the auditor compares the screen.

Both forms are shown everywhere, whatever the language in use (``both``: the Chinese lines, then
the English ones): a sheet printed in Chinese and a screen in English show the same words, so
they compare word by word and not only by the hex groups.

The lists never change (a sheet printed once must still read the same): no two words alike —
every word distinct, the Chinese all two characters, the English at least two letters apart
from each other and no two rhyming by their first letter only.
"""

from __future__ import annotations

ZH = tuple("""
    苹果 香蕉 葡萄 西瓜 橘子 草莓 樱桃 菠萝 芒果 柠檬 桃子 梨子 石榴 椰子 荔枝 核桃
    花生 土豆 番茄 黄瓜 白菜 萝卜 茄子 南瓜 玉米 大米 面条 饺子 包子 馒头 豆腐 鸡蛋
    牛奶 咖啡 茶叶 蜂蜜 酱油 米醋 糖果 饼干 蛋糕 月饼 汤圆 粽子 火锅 烤鸭 面包 奶酪
    老虎 狮子 熊猫 大象 猴子 兔子 松鼠 骆驼 麋鹿 斑马 海豚 鲸鱼 企鹅 孔雀 燕子 喜鹊
    老鹰 鸽子 鹦鹉 蝴蝶 蜜蜂 蚂蚁 蜻蜓 青蛙 乌龟 螃蟹 金鱼 绵羊 黄牛 骏马 小狗 小猫
    太阳 月亮 星星 白云 彩虹 雪花 春风 秋雨 闪电 露水 冰山 沙漠 森林 草原 高山 河流
    大海 湖泊 瀑布 岛屿 峡谷 溪水 石头 泥土 沙滩 海浪 火山 平原 田野 果园 花园 竹林
    书包 铅笔 钢笔 橡皮 尺子 课本 字典 黑板 粉笔 地图 地球 算盘 信封 邮票 报纸 杂志
    桌子 椅子 沙发 柜子 镜子 窗户 门铃 台灯 闹钟 枕头 被子 毛巾 牙刷 梳子 雨伞 扇子
    剪刀 锤子 钉子 绳子 篮子 水桶 扫帚 拖把 钥匙 锁头 灯笼 蜡烛 火柴 风筝 气球 积木
    钢琴 吉他 提琴 笛子 鼓手 唢呐 二胡 琵琶 口琴 喇叭 铃铛 戏台 舞蹈 诗歌 画笔 围棋
    象棋 足球 篮球 排球 乒乓 羽毛 跳绳 滑板 游泳 登山 跑步 赛车 帆船 飞机 火车 轮船
    汽车 单车 地铁 公交 卡车 马车 摩托 雪橇 火箭 卫星 灯塔 码头 车站 机场 桥梁 隧道
    医生 护士 老师 农民 厨师 司机 警察 画家 作家 歌手 木匠 铁匠 渔夫 邮差 裁缝 园丁
    衬衫 裙子 帽子 手套 围巾 袜子 靴子 皮带 纽扣 口袋 毛衣 外套 雨衣 睡衣 领带 手表
    眼镜 项链 戒指 耳环 手镯 宝石 珍珠 黄金 白银 青铜 钻石 翡翠 玛瑙 水晶 琥珀 珊瑚
""".split())

EN = tuple("""
    apple anchor arrow autumn badge baker bamboo banana barrel basket beach beaver bell bicycle blanket bottle
    bridge bucket butter cabin cactus camel candle canoe carpet carrot castle walrus cedar chain chalk cherry
    chess circle clock cloud coffee comet copper cotton cousin cradle crayon cricket crystal cupboard dancer desert
    diamond dinner doctor dolphin hamster dragon drum eagle earth elbow engine falcon farmer feather fence ferry
    finger flag flute forest fossil volcano fox garden garlic pretzel giraffe glove goat gold grape guitar
    hammer harbor harvest helmet hill honey horse island jacket jaguar jelly jungle kettle kitten ladder lake
    lantern lemon letter lily lion lobster magnet mango maple marble meadow melon mirror monkey moon mountain
    museum needle nest noodle ocean olive onion orange orchard oven owl paddle palace panda paper flamingo
    apricot peanut pencil pepper piano pickle pillow pilot planet plum pocket pond potato pumpkin puppet puzzle
    quilt rabbit radio rainbow raven ribbon river robin sailboat ostrich salmon sandal school shadow shelf shovel
    silver trumpet sister spider spoon squirrel stamp station stone sugar summer sunset swan table tiger tomato
    tower tractor train tulip turkey turtle umbrella valley velvet violin wagon walnut window winter wizard wolf
    yogurt zebra acorn almond ankle apron attic bagel ballet banjo beetle biscuit blossom bonnet button cabbage
    canyon captain cereal chimney cinema coconut collar compass cookie corner cupcake daisy denim dentist donut ember
    fabric festival fiddle gallery glacier goose granite hazel hockey igloo ivory jasmine kayak kiwi koala lagoon
    laptop iguana hammock meteor scarf mustard napkin nickel nutmeg oyster pebble penguin pirate prism quartz raisin
""".split())

_LISTS = {"zh_CN": ZH, "en": EN}
_INDEX = {lang: {w: i for i, w in enumerate(words)} for lang, words in _LISTS.items()}
PER_LINE = 8


def _words(lang: str) -> tuple[str, ...]:
    return EN if lang.startswith("en") else ZH


def to_words(data: bytes, lang: str = "zh_CN") -> list[str]:
    """One word per byte."""
    words = _words(lang)
    return [words[b] for b in data]


def from_words(words: list[str], lang: str = "zh_CN") -> bytes:
    """The bytes back; ``ValueError`` naming the first word not in the list."""
    index = _INDEX["en" if lang.startswith("en") else "zh_CN"]
    out = bytearray()
    for w in words:
        key = w.strip().lower() if lang.startswith("en") else w.strip()
        if key not in index:
            raise ValueError(w)
        out.append(index[key])
    return bytes(out)


def lines(hex_fingerprint: str, lang: str = "zh_CN") -> list[str]:
    """The fingerprint (hex) as lines of ``PER_LINE`` words: "苹果 香蕉 …" / "apple anchor …"."""
    words = to_words(bytes.fromhex(hex_fingerprint), lang)
    sep = " " if lang.startswith("en") else "\u3000"   # an ideographic space between Chinese words
    return [sep.join(words[i:i + PER_LINE]) for i in range(0, len(words), PER_LINE)]


def both(hex_fingerprint: str) -> dict[str, list[str]]:
    """The fingerprint in both lists, Chinese first, whatever the language in use:
    ``{"zh_CN": [4 lines], "en": [4 lines]}`` — what the sheet, ``checkpoint trust`` and the
    verify page all show."""
    return {lang: lines(hex_fingerprint, lang) for lang in _LISTS}
