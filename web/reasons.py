"""Why a file was not ingested, in the reader's language.

``ingest`` says why in English (the CLI's words) and names the reason by a code with its details
(``FileOutcome.reason_code`` / ``reason_params``); this table says it in Chinese. A code missing
here still shows, as the English reason inside a Chinese sentence (``tests/test_ui_messages.py``
checks that every code ``ingest`` raises is here).
"""

from __future__ import annotations

from kb.records import FileOutcome

REASONS_ZH: dict[str, str] = {
    "unsupported": "不支持的文件类型“{suffix}”（支持 PDF、TXT、MD、HTML、Word、PowerPoint、Excel 和 PNG、JPEG、TIFF、WebP 图片；装有 LibreOffice 时也支持 DOC、PPT、XLS）",
    "needs_libreoffice": "旧版二进制 Office 格式“{suffix}”需要 LibreOffice 才能读取：请安装（apt install libreoffice-nogui），或把文件另存为“{modern}”后重试",
    "unreadable": "无法读取文件：{detail}",
    "empty": "空文件（0 字节）",
    "blank": "文件里没有文字（只有空行或空格）：请加上内容后再导入",
    "too_large": "文件大小 {size} MB，超过 {limit} MB 的上限（KB_MAX_FILE_MB）",
    "image_ocr_off": "图片需要 OCR 识别，但 OCR 已关闭（KB_OCR=false）",
    "image_no_ocr": "图片需要 OCR 识别，但没有安装 OCR，可以这样添加：{install}",
    "image_no_text": "图片中没有识别出文字（OCR 什么也没读到）",
    "bad_bom": "文件以 {codec} 字节顺序标记开头，内容却不是有效的 {codec}",
    "binary": "这像是二进制文件，不是文本（含有 NUL 字节）",
    "unknown_encoding": "无法识别文本编码（不是 UTF-8、UTF-16 或 GB18030）；请另存为 UTF-8 后重试",
    "libreoffice_timeout": "LibreOffice 没能在 {seconds} 秒内转换这个“{suffix}”文件",
    "libreoffice_failed": "无法运行 LibreOffice：{detail}",
    "libreoffice_refused": "LibreOffice 无法转换这个“{suffix}”文件（文件损坏或有密码？）：{detail}",
    "ocr_render_failed": "无法把 PDF 页面渲染成图片来做 OCR 识别（{detail}）",
    "damaged_image": "图片已损坏或无法读取（{detail}）",
    "image_too_large": "图片太大，无法读取（超过 2 亿像素）",
    "office_password": "无法读取这个 {kind} 文件：文件有密码保护（或是旧版二进制格式）；请去掉密码，另存为 .docx/.pptx/.xlsx 后重试",
    "office_damaged": "无法读取这个 {kind} 文件：文件已损坏（{detail}）",
    "office_not_ooxml": "无法读取这个 {kind} 文件：文件已损坏（不是有效的 Office Open XML 文件包）",
    "not_pdf": "不是 PDF 文件（没有 %PDF 文件头）",
    "pdf_encrypted": "PDF 已加密，需要密码才能打开",
    "pdf_damaged": "PDF 文件损坏或不完整（{detail}）",
    "pdf_no_pages": "PDF 没有任何页面",
    "no_text": "没有可提取的文字",
    "scan_ocr_off": "没有可提取的文字（扫描版 PDF；OCR 已由 KB_OCR=false 关闭）",
    "scan_no_text": "没有找到文字，OCR 也没有识别出内容（空白页或没有文字的图片）",
    "scan_no_ocr": "没有可提取的文字（扫描版 PDF）；没有安装 OCR，可以这样添加：{install}",
    "garbled_no_ocr": "文字层无法读取（字体编码损坏）；没有安装 OCR，可以这样添加：{install}",
    "garbled": "文字层无法读取（字体编码损坏）",
    "missing": "没有这个文件或文件夹",
    "folder_denied": "文件夹无法读取（没有权限）",
    "folder_unreadable": "无法读取文件夹：{detail}",
    "unexpected": "意外错误：{detail}",
    "only_markup": "清理后没有剩下文字（文件只有标记或链接）",
    "upload_lost": "没有收到上传的文件：{detail}",
    "bad_name": "文件名无效",
}


def reason_text(outcome: FileOutcome, lang: str) -> str:
    """The outcome's reason in ``lang`` ("zh" or "en")."""
    english = outcome.reason or ""
    if lang != "zh":
        return english
    template = REASONS_ZH.get(outcome.reason_code or "")
    if template is None:
        return f"无法读取（{english}）"
    try:
        return template.format(**outcome.reason_params)
    except (KeyError, IndexError):  # a detail the table expects is missing: say it without
        return f"{template.split('（')[0].split('：')[0]}（{english}）"
