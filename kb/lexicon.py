"""Every phrase list the search and answer path reads, Chinese and English side by side.

Each list says what it is for; ``tests/unit/test_lexicon.py`` checks each one on examples of what
it must and must not match. Nothing here is keyed to a question of a dev set: these are the
language's function words and the forms a question or a document's furniture takes.
"""

from __future__ import annotations

import re

# --- words that carry no topic (BM25 and term coverage skip them) -----------------------------
EN_STOPWORDS = frozenset("""
    a an the of to in on for and or but is are was were be been being by with as at from that this these those
    it its into than then there their they them he she his her we our you your i me my do does did done
    what which who whom whose when where why how whether if not no so such can could would should will shall
    may might must about according also any all some more most other one two three several has have had
    having up out over under between after before during s t say says said many much very just only like
    kind kinds certain article paper report list lists listed expect expects expected roughly approximately
    around mention mentions mentioned describe describes described give gives given name names named way ways
    think thinks main
""".split())
ZH_STOPWORDS = frozenset("""
    的 了 是 在 和 与 及 或 也 都 就 而 被 把 对 从 为 以 于 之 其 这 那 这个 那个 哪 哪些 哪个 什么 怎么 怎样 如何
    为什么 多少 几 吗 呢 吧 啊 呀 么 有 没有 会 能 可以 一个 一种 一些 有些 我们 你们 他们 它们 他 她 它 我 你 谁 是谁
    上 中 下 说 认为 提到 根据 文章 论文 是否 还是 以及 并 等 将 又 该 所 着 过 给 让 向 由 还 更 会不会 什么样 哪位
    哪部 哪款 哪家 哪一 哪一款 哪一个 是什么 为何 怎么样 多大 何时 哪里 哪儿 分别 其中 之中 当中 同时 文中 指出 表示
    称 所说 所谓
""".split())

# --- what kind of answer a question asks for, and what offers it ------------------------------
ZH_NUMERAL = r"[0-9０-９]+(?:[.,][0-9]+)?|[一二两三四五六七八九十百千万亿半几数]+"
# (type, question pattern): the first that matches names the type. "哪几家" asks which ones, not how many.
QUESTION_TYPES: tuple[tuple[str, str], ...] = (
    ("age", r"多大年纪|多少岁|几岁|年龄|岁数|how old|what age|aged? how"),
    ("duration", r"(多少|(?<!哪)几)(天|日|个月|年|周|小时|星期)|多长时间|多久|how long"
                 r"|how many (days|weeks|months|years|hours)"),
    ("percent", r"百分之|比例|占比|多少%|what (percentage|share|portion|proportion|fraction)|how much of"
                r"|what per ?cent"),
    ("money", r"多少钱|多少(美)?元|价格|估值|how much (money|does|did|do|is|was|will)|what (price|valuation)"
              r"|valuation|how much .* cost"),
    ("date", r"什么时候|何时|哪一?年|哪天|哪个月|^\W*when\b|\bwhen (did|was|were|is|will|does|do|has|had)\b"
             r"|what (year|date|month)|which (year|date|month)"),
    ("number", r"多少|(?<!哪)几[个位家部名种人]|how (many|much)|what (number|amount)"),
)
ANSWER_TYPES: dict[str, str] = {
    "age": rf"(?:{ZH_NUMERAL})\s*(?:多)?岁|\b\d{{1,3}}[- ]years?[- ]old\b|\baged \d{{1,3}}\b|\bat the age of \d{{1,3}}\b",
    "duration": rf"(?<![月0-9])(?:{ZH_NUMERAL})\s*(?:天|日|个月|周|小时|星期)(?![前后初底末])"
                r"|(?<![0-9])(?:[0-9]{1,2}|[一二两三四五六七八九十几数]+)\s*(?:多)?年(?![前后初底末代级])"
                r"|\b\d+\s*(days?|weeks?|months?|years?|hours?)\b",
    "percent": rf"(?:{ZH_NUMERAL})\s*(?:%|％|成)|百分之|\bper ?cent\b|\d\s*percent",
    "money": rf"(?:{ZH_NUMERAL})\s*(?:万|亿|千)?\s*(?:元|美元|美金|英镑|欧元|块)|[$€£¥]\s*\d"
             r"|\d\s*(?:dollars|usd|billion|million)",
    "date": r"(?:19|20)\d{2}\s*年?|\d{1,2}\s*月|[一二三四五六七八九十]+月|年底|年初|去年|今年|明年"
            r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    "number": rf"\d|(?:{ZH_NUMERAL})\s*(?:个|位|家|部|名|种|人|万|亿|倍|次|项|款)"
              r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b",
}
# Words that name the kind of answer asked for, not the subject it is about ("how *old* is X"):
# never a question's key term (a sentence with "26 years old" is not about X for having "old").
TYPE_WORDS = frozenset("old age aged ages year years day days month months percent percentage share "
                       "amount number price cost costs date time 年纪 年龄 岁数 多大 多少 多久 比例 价格 时间 日期 数量".split())
COUNTED = r"how many\s+(?:of\s+the\s+|more\s+|other\s+)?([a-z][a-z\-]+)" \
          r"|(?:多少|几)\s*(?:个|位|家|部|名|种|项|款|次)?\s*([\u4e00-\u9fff]{2,4})"

# --- how sentences lean on their neighbours ---------------------------------------------------
# A sentence that opens by pointing back ("He is also…", "该法令…") leaves its subject in the one before.
ANAPHORA = r"^(?:(?:he|she|it|they|this|these|that|those|his|her|its|their|such)\b" \
           r"|(?:他们|她们|它们|他|她|它|该|此|这些|这一|这个|这种|这|其))"
# A sentence opening with one of these answers or qualifies the one before it.
CONTINUES = r"^(?:对此|为此|因此|所以|但是|然而|不过|相反|这并不|这意味着" \
            r"|However\b|But\b|Instead\b|In response\b|Therefore\b)"

# --- conversations ----------------------------------------------------------------------------
# Ellipsis: the question names only what changes and leaves the rest to the previous one.
ELLIPSIS = r"^\s*(?:那么?|还有|而|那如果|如果是)?\s*\S{0,16}?\s*呢\s*[？?]?\s*$" \
           r"|^\s*(?:and|but|so)?\s*(?:what|how)\s+about\b" \
           r"|^\s*(?:and|also|same for)\b[^?]{0,40}\??\s*$"
# Greetings, thanks and small talk: answered with what the library holds, not searched for.
SMALL_TALK = r"^\W*(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|greetings|howdy" \
             r"|thanks?(?: you)?(?: (?:so|very) much)?|thank u|thx|ty|cheers|ok(?:ay)?|cool|great|nice" \
             r"|bye|goodbye|see you|how are you(?: doing)?|who are you|what can you do|help" \
             r"|你好|您好|嗨|哈喽|早上好|下午好|晚上好|早安|晚安|在吗|在不在|谢谢(?:你|您)?|多谢|感谢|好的|好|嗯|再见|拜拜" \
             r"|你是谁|你能做什么|你会什么|帮助)(?:[\s,，!！.。?？~～]*(?:there|everyone|all|啊|呀|哦|呢|吧|啦)?)*\W*$"

# What the small-talk reply says (``kb.answering.small_talk``); thanks get the short one.
THANKS = ("thank", "thx", "ty", "cheers", "谢", "感谢")
SMALL_TALK_REPLY = {
    "en": ("Hello! I answer questions about the {n} documents in this library{titles}, quoting them with "
           "numbered sources. Ask in English or Chinese, for example: \u201c{example}\u201d"),
    "zh": "你好！我可以回答关于本知识库中 {n} 篇文档{titles}的问题，并引用原文、标注出处。可以用中文或英文提问，例如：“{example}”",
}
SMALL_TALK_THANKED = {"en": "You're welcome. Ask me anything else about the documents.", "zh": "不客气！还有什么想了解的，直接提问即可。"}
SMALL_TALK_EMPTY = {"en": "Hello! This library holds no documents yet: add some (the Library tab or `kb ingest PATH`), "
                "then ask about them in English or Chinese.",
          "zh": "你好！这个知识库还没有文档：先添加文档（“文档库”标签页或 `kb ingest PATH`），再用中文或英文提问。"}
SMALL_TALK_EXAMPLE = {"en": "What does {title} say about …?", "zh": "《{title}》讲了什么？"}

# --- overview questions: about a whole document -----------------------------------------------
# "Summarise X", "What is X about?", "总结一下 X", "X 主要讲了什么": the rest of the question names X.
OVERVIEW = r"^\W*(?:please\s+|can you\s+|could you\s+)?(?:summari[sz]e|sum up|give (?:me )?(?:a |an )?" \
           r"(?:short |brief |quick )?(?:summary|overview|gist|tl;?dr) of)\b" \
           r"|\bwhat(?:'s| is| are) (?:the )?(?:main (?:points?|ideas?|argument)|gist|key takeaways?) of\b" \
           r"|^\W*what (?:is|are|was) (?:[\w'’.-]+ ){0,8}(?:about|saying)\W*$" \
           r"|^\W*what does (?:[\w'’.-]+ ){0,8}(?:say|argue|cover) (?:overall|in (?:short|brief))?\W*$" \
           r"|^\W*(?:tl;?dr|summary|overview)\b" \
           r"|总结|概括|概述|归纳|主要内容|主要讲|讲了什么|讲的是什么|讲些什么|说了什么|写了什么|主旨|大意|核心观点|关于什么|讲什么|梗概"
# The overview words themselves, cut out of the question to leave what names the document.
OVERVIEW_WORDS = r"总结|概括|概述|归纳|主要内容|主要讲|讲了什么|讲的是什么|讲些什么|说了什么|写了什么|主旨|大意|核心观点|关于什么|讲什么|梗概" \
                 r"|\b(?:summari[sz]e|sum up|summary|overview|gist|tl;?dr|main (?:points?|ideas?|argument)|key takeaways?)\b"
# Words that only say "give me an overview" (and "of the document"); what remains names the document.
OVERVIEW_FILLER = r"请|帮我|一下|简要|简单|地|这篇|这份|那篇|那份|该|的|了|什么|是|吗|呢|[？?。.!！,，]" \
                  r"|\b(?:please|can|could|you|briefly|give|me|an?|the|this|that|of|for|what|is|are|was|does|do" \
                  r"|about|say|saying|argue|cover|overall|short|brief|quick|summari[sz]e|sum|up|summary|overview" \
                  r"|gist|main|points?|ideas?|key|takeaways?)\b"
# A word that names a kind of document ("the BBC article", "那篇报告"), not which one.
DOCUMENT_WORDS = r"\b(?:article|paper|report|document|doc|file|piece|story|post|essay|study|text|pdf)s?\b" \
                 r"|文章|论文|报告|文档|文件|文本|报道|稿子|研究"
# The label an author puts before a summary.
SUMMARY_LABEL = r"^\s*(?:[\[【(（]?\s*(?:摘\s*要|内容提要|提要|导读|导语|概要|结语|结论|总结)\s*[\]】)）]?\s*[:：]?" \
                r"|(?:abstract|summary|tl;?dr|in summary|conclusions?)\s*[:：.]?)\s*"
# "作者: 某某", "Published: 2024-10-08": a document's fields, not its summary.
FIELD_LINE = r"^[^\s:：]{1,12}\s*[:：]\s*\S[^。！？.!?]{0,60}$"
# A numbered heading written into the text ("(二)生成式人工智能在电影产业的兴起", "三、结论", "第二章 …"):
# short, with no sentence punctuation. Scored as a heading (``kb.answering.evidence``), never the answer.
HEADING_LINE = r"^\s*(?:[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、．]" \
               r"|第[一二三四五六七八九十百\d]{1,4}\s*[章节部分篇])\s*[^。！？!?；;，,：:]{1,30}$"

# --- what is never quoted as an answer: a document's furniture, not its content ----------------
# Each pattern is matched against one sentence (hard wraps kept); a sentence that matches is still
# searchable (``kb search``) but never quoted. Measured on every corpus by
# ``benchmarks/boilerplate_survey.py``.
BOILERPLATE: dict[str, str] = {
    "byline": r"^\W*by\W+(?-i:[A-Z][\w.'-]+)(?:[ \t]+(?-i:[A-Z][\w.'-]+)){0,3}[ \t*]*(?:\n|$)"
              r"|^\W*(?:作者|文|撰文|记者|编辑|责任编辑|编译|校对|审核|出品)\s*[:：/|]\s*\S{1,20}\W*$"
              r"|^\W*[（(]?\s*责任编辑\s*[:：]"
              r"|^\W*(?:authors? would like to thank|the authors? (?:thank|are grateful))"
              r"|^\W*(?:cover image|photo|illustration|image) (?:by|credit|courtesy)\b"
              # an author list: a name on one line, the country on the next
              r"|^[\W_]*(?-i:[A-Z][\w.'-]+)(?:[ \t]+(?-i:[A-Z][\w.'-]+)){0,3}[ \t*_]*\n[ \t*_]*(?:United States|United Kingdom"
              r"|USA|UK|China|Canada|Germany|France|India|Japan|Australia|Singapore|Hong Kong|Mainland China)[ \t*_]*$",
    "disclaimer": r"should consult (?:a|your) (?:qualified )?(?:professional|adviser|advisor)"
                  r"|(?:does not|do not|shall not) constitute (?:professional|legal|investment|financial) advice"
                  r"|contains general information only|is not a substitute for (?:such )?professional advice"
                  r"|咨询合格的专业顾问|不因此构成提供任何专业建议|并未对本(?:通讯|报告|文)所含信息的准确性"
                  # a firm's network notice ("Deloitte refers to one or more of …, each of which is a legally
                  # separate and independent entity"; "泛指一家或多家…均为具有独立法律地位的法律实体")
                  r"|\brefers to one or more of\b|\b(?:legally )?separate and independent (?:legal )?entit(?:y|ies)"
                  r"|\bis a separate legal entity\b|does not provide services to clients"
                  r"|泛指一家或多家|具有独立法律地位的法律实体|仅对自身行为承担责任|并不向客户提供服务"
                  r"|因使用本(?:通讯|报告|文件|网站|出版物)而[^。]{0,20}(?:损失|损害)",
    "copyright": r"版权所有(?![者人权])|保留一切权利|未经(?:许可|授权)[^。]{0,12}(?:转载|使用)|转载请注明|all rights reserved"
                 r"|^\W*(?:copyright\s*)?©\s*\d{4}|^\W*copyright\s+(?:©\s*)?\d{4}",
    "contact": r"请联系|联系方式\s*[:：]|联系(?:电话|邮箱)\s*[:：]|(?:微信|电话|邮箱|e-?mail|tel|phone|fax)\s*[:：]\s*\S"
               r"|for more information,? (?:please )?contact",
    "promo": r"关注(?:我们的)?公众号|设为(?:星标|🌟标)|扫(?:描)?(?:二维)?码关注|长按(?:识别)?二维码|点击(?:阅读)?原文|欢迎(?:各大)?品牌方"
             r"|告诉我们你的需求|^\W*-*\s*END\s*-*\W*$|subscribe to (?:our|the) newsletter|follow us on\b|sign up for our\b"
             # a sentence that is only a pointer to a web site ("请参阅www.deloitte.com/cn/about了解更多信息")
             r"|^\W*请?(?:参阅|访问|浏览|登录)\s*\S{0,120}?(?:www\.|https?://)\S*?\s*以?(?:了解|获取|查看)更多(?:信息|详情|内容)?\W*$"
             r"|^\W*(?:please )?(?:visit|see|go to)\s+\S*(?:www\.|https?://)\S*\s+(?:to learn more|for more (?:information|details))\W*$",
    "credit": r"^\W*[（(]\s*(?:图源|图片来源|图片|图|来源|摄影|视频来源|image|photo|source)\s*[:：][^）)]{0,40}[）)]\W*$"
              r"|^\W*(?:图片来源|图源|image source|photo credit)\s*[:：]\s*\S{1,40}$",
    # A dot leader ends a contents entry, with its page number or without it (the sentence splitter
    # may cut the number off: "1) 介绍........" then "3").
    "contents": r"^\W*(?:目\s*录|table of contents|contents)\W*$|\.{5,}\s*\d+\s*$|…{3,}\s*\d+\s*$"
                r"|(?:\.\s?){10,}\s*\d*\s*$|…{6,}$|[·•]{10,}\s*\d*\s*$",
    # A paper's front matter: keyword list, library classification, document code, article number.
    "metadata": r"^\W*(?:关键词|关键字|中图分类号|分类号|文献标识码|文献标志码|文章编号|收稿日期|修回日期|本刊网址)\s*(?:[\]】]|[:：])"
                r"|^\W*(?:key\s?words|index terms|CLC (?:number|no\.?)|document code|article id)\s*[:：—-]"
                # a paper's dates: "Received: 12 March 2024", "Revised: 2024-05-02"
                r"|^\W*(?:received|revised|accepted)(?: date)?\s*[:：]\s*"
                r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)"
                # a journal's page-turn note: "(下转第 124 页)", "(continued on page 9)"
                r"|^\W*[（(]\s*(?:下转|上接|转|接)第?\s*\d{1,4}\s*页\s*[）)]\W*$|^\W*[（(]\s*continued (?:on|from) page \d{1,4}\s*[）)]\W*$",
    "reference": r"^\s*\[\d{1,3}\]\s*\S.*\b(?:19|20)\d{2}\b"
                 r"|^\s*\d{1,3}\.\s+(?-i:[A-Z][\w'-]+)(?:\s(?-i:[A-Z][\w'.-]+)){0,3},.*\b(?:19|20)\d{2}\b"
                 r"|\[(?:J|M|C|D|N|R|S|P|EB/OL)\]|\bet al\.\s*[,(]?\s*\d{4}|\bdoi\s*[:：]\s*10\."
                 r"|\bRetrieved (?:from|on)\b|\bAccessed (?:on )?(?-i:[A-Z])[a-z]+ \d"
                 # a note that repeats the one before ("14. Ibid; Sweeting, “…”"): Latin citation words
                 r"|\bibid\b|\bop\. ?cit\b|\bloc\. ?cit\b"
                 # "A. Author, B. Author, and C. Author, “Title,” …" and "…, Variety, April 17, 2024."
                 r"|^(?-i:[A-Z][\w'-]+ [A-Z][\w'-]+)(?:, (?-i:[A-Z][\w'-]+ [A-Z][\w'-]+))*(?:,? and (?-i:[A-Z][\w'-]+ [A-Z][\w'-]+))?, [“\"]"
                 r"|[,”\"]\s*(?-i:[A-Z][\w&.' ]{2,40}),\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+(?:19|20)\d{2}\.?\s*$"
                 # "Deloitte, The State of …, June 2024." (an organisation, a title, a month and year)
                 r"|^(?-i:[A-Z][\w&.'-]+)(?: (?-i:[A-Z][\w&.'-]+)){0,3}, (?-i:[A-Z]).{5,200}, (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (?:19|20)\d{2}\.?\s*$",
}
# An inline image credit written into a sentence ("（图源：豆包AI生成）对于…"): cut off before quoting.
INLINE_CREDIT = r"[（(]\s*(?:图源|图片来源|图片|来源|摄影|image|photo)\s*[:：][^）)]{0,40}[）)]"
# A web page's "read more" link left at the head of a sentence ("[欲了解更多…，请参阅德勤…报告]但若…",
# "[Read more: Studio profit report]"): a pointer to another article, not what this one says.
LEADING_LINK_NOTE = (r"^\s*[\[【][^\]】]{0,80}(?:阅读|了解更多|请参阅|参阅|参见|详见|点击|推荐|延伸|相关报道|相关文章"
                     r"|\bread\b|\bsee\b|\brelated\b|\blearn more\b|\bclick\b)[^\]】]{0,80}[\]】]\s*")

# --- what the answer says ---------------------------------------------------------------------
REFUSAL = {
    "zh": "知识库中没有找到相关内容。",
    "en": "I could not find this in the documents.",
}
LEAD_FOREIGN = {
    ("en", "zh"): "The documents say (in Chinese): ",
    ("zh", "en"): "文档原文（英文）：",
}


def compiled(pattern: str) -> re.Pattern[str]:
    """The lists above as case-insensitive regular expressions."""
    return re.compile(pattern, re.I)
