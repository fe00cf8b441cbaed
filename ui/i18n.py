"""UI labels in Chinese and English. The page picks one from the browser language; a switch changes it."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Document knowledge base",
        "subtitle": "Ask in Chinese or English; every answer cites the passages it comes from.",
        "tab_chat": "Ask",
        "tab_library": "Library",
        "question": "Your question",
        "placeholder": "Ask a question about your documents… (Enter to send)",
        "send": "Send",
        "new_chat": "New conversation",
        "filter": "Only search these documents (empty = all)",
        "sources": "Sources",
        "no_sources": "Sources of the answer appear here: click a number such as [1] in the answer to jump to it.",
        "empty_chat": "Ask anything about the documents in the library. Try one of these:",
        "empty_kb": "The knowledge base is empty. Add files in the **Library** tab, or run `kb ingest PATH` in a terminal.",
        "searching": "Searching the documents…",
        "writing": "Writing the answer from the sources…",
        "unsupported": "No passage supports this sentence: check it before relying on it.",
        "searched": "Searched for",
        "by_llm": "Written by the language model from the sources; each [n] was checked against its passage.",
        "quoted": "Sentences quoted from the sources, as written.",
        "refused_quoted": "Searched the documents; no sentence answers the question.",
        "refused_llm": "The language model found no answer in the retrieved passages.",
        "refused_hint": "Nothing in the documents answers this. Try other words, or check the Library for the right file.",
        "upload": "Add files (PDF, TXT, MD, HTML, DOCX, PPTX, XLSX)",
        "documents": "Documents",
        "delete_pick": "Document to delete",
        "delete": "Delete…",
        "confirm": "Yes, delete it",
        "cancel": "Cancel",
        "confirm_q": "Delete **{title}** and its {chunks} passages? This cannot be undone.",
        "deleted": "Deleted **{title}**.",
        "pick_first": "Pick a document first.",
        "lang_switch": "界面语言 / Language",
        "col_title": "Title", "col_file": "File", "col_lang": "Lang", "col_pages": "Pages",
        "col_chunks": "Passages", "col_date": "Added",
        "ingest_done": "Added {added}, updated {updated}, unchanged {unchanged}, already in the library {duplicate}, failed {failed}.",
        "failed_row": "`{file}`: {reason}",
        "duplicate_row": "`{file}`: already in the library as **{other}** (same content); not added again.",
        "relevance": "relevance",
        "page": "p. {page}",
        "feedback_thanks": "Thanks, your feedback was saved.",
        "for_question": "For:",
    },
    "zh": {
        "title": "文档知识库",
        "subtitle": "用中文或英文提问；每个回答都注明出处段落。",
        "tab_chat": "问答",
        "tab_library": "文档库",
        "question": "你的问题",
        "placeholder": "就文档内容提问……（回车发送）",
        "send": "发送",
        "new_chat": "新对话",
        "filter": "只在这些文档中查找（留空 = 全部）",
        "sources": "出处",
        "no_sources": "回答的出处会显示在这里：点击回答中的 [1] 等编号即可跳到对应段落。",
        "empty_chat": "可以就文档库中的任何内容提问，例如：",
        "empty_kb": "知识库还是空的。请在 **文档库** 标签页上传文件，或在终端运行 `kb ingest 路径`。",
        "searching": "正在检索文档……",
        "writing": "正在根据出处撰写回答……",
        "unsupported": "没有任何段落支持这句话，引用前请自行核实。",
        "searched": "检索的问题",
        "by_llm": "由语言模型根据出处撰写；每个 [n] 都已与对应段落核对。",
        "quoted": "以上句子原样摘自出处。",
        "refused_quoted": "已检索文档，没有句子能回答这个问题。",
        "refused_llm": "语言模型在检索到的段落中没有找到答案。",
        "refused_hint": "文档中没有能回答这个问题的内容。可以换个说法，或到文档库确认文件是否已加入。",
        "upload": "添加文件（PDF、TXT、MD、HTML、DOCX、PPTX、XLSX）",
        "documents": "文档",
        "delete_pick": "要删除的文档",
        "delete": "删除……",
        "confirm": "确认删除",
        "cancel": "取消",
        "confirm_q": "删除 **{title}** 及其 {chunks} 个段落？此操作无法撤销。",
        "deleted": "已删除 **{title}**。",
        "pick_first": "请先选择一个文档。",
        "lang_switch": "界面语言 / Language",
        "col_title": "标题", "col_file": "文件", "col_lang": "语言", "col_pages": "页数",
        "col_chunks": "段落数", "col_date": "加入时间",
        "ingest_done": "新增 {added}，更新 {updated}，未变 {unchanged}，已在库中 {duplicate}，失败 {failed}。",
        "failed_row": "`{file}`：{reason}",
        "duplicate_row": "`{file}`：库中已有内容相同的文档 **{other}**，未重复添加。",
        "relevance": "相关度",
        "page": "第 {page} 页",
        "feedback_thanks": "感谢反馈，已保存。",
        "for_question": "问题：",
    },
}

# Example questions drawn from the seed documents, shown on an empty chat when those are loaded.
EXAMPLES: list[tuple[str, str]] = [
    ("000_dd79d8dfbe91c922.txt", "德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？"),
    ("001_d087a9b4bca2ef81.txt", "How many performers did the union strike of July 2023 represent?"),
    ("003_c3fa23c84cad2f17.txt", "生成对抗网络（GAN）由哪两个部分构成？"),
    ("004_1fae406766ceb434.txt", "Why is Hollywood worried about AI, according to Andrew Ng?"),
]


def pick_lang(browser_language: str | None) -> str:
    return "zh" if (browser_language or "").lower().startswith("zh") else "en"


def t(lang: str, key: str, **kw: object) -> str:
    text = LABELS.get(lang, LABELS["en"]).get(key) or LABELS["en"][key]
    return text.format(**kw) if kw else text
