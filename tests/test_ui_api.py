"""The running app through the official gradio_client: ask, upload, list, delete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from benchmarks.serve_child import running_app
from kb import Settings


@pytest.fixture(scope="module")
def app_url(seeded_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("ui_api") / "data", seed_from=seeded_settings.data_dir) as url:
        yield url


def test_ask_endpoint_answers_in_both_languages(app_url: str) -> None:
    client = Client(app_url, verbose=False)
    zh = client.predict("德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？", None, api_name="/ask")
    assert zh["language"] == "zh" and not zh["refused"] and "3%" in zh["answer"]
    assert zh["citations"][0]["file"].endswith("000_dd79d8dfbe91c922.txt")
    assert {"n", "doc_id", "file", "title", "page", "text", "score"} <= set(zh["citations"][0])

    en = client.predict("How many performers did the union strike of July 2023 represent?", None, api_name="/ask")
    assert en["language"] == "en" and en["citations"][0]["file"].endswith("001_d087a9b4bca2ef81.txt")

    docs = {d["name"]: d["doc_id"] for d in client.predict(api_name="/documents")}
    ng = docs["004_1fae406766ceb434.txt"]
    only = client.predict("吴恩达在圣丹斯看好哪些AI视频工具？", [ng], api_name="/ask")
    assert only["citations"] and all(c["doc_id"] == ng for c in only["citations"])
    # the strike is in another document: restricted to this one, nothing from elsewhere is cited
    elsewhere = client.predict("How many performers did the union strike of July 2023 represent?", [ng], api_name="/ask")
    assert elsewhere["refused"] or (elsewhere["citations"] and all(c["doc_id"] == ng for c in elsewhere["citations"]))


def test_upload_list_and_delete(app_url: str, tmp_path: Path) -> None:
    client = Client(app_url, verbose=False)
    note = tmp_path / "会议纪要 notes.md"
    note.write_text("# 项目会议纪要\n\n本次会议决定把蓝鲸计划的预算提高到四百二十万元。\n", encoding="utf-8")
    status, *_ = client.predict([handle_file(str(note))], api_name="/upload")
    assert "Added 1" in status
    docs = client.predict(api_name="/documents")
    uploaded = [d for d in docs if d["title"] == "项目会议纪要"]
    assert len(uploaded) == 1 and uploaded[0]["name"] == "会议纪要 notes.md"
    doc_id = uploaded[0]["doc_id"]

    ans = client.predict("蓝鲸计划的预算提高到多少？", None, api_name="/ask")
    assert "四百二十万元" in ans["answer"] and ans["citations"][0]["doc_id"] == doc_id

    status, *_ = client.predict([handle_file(str(note))], api_name="/upload")  # the same file again
    assert "already in the library as **会议纪要 notes\\.md**" in status

    deleted = client.predict(doc_id, api_name="/remove")
    assert deleted["doc_id"] == doc_id
    remaining = client.predict(api_name="/documents")
    assert remaining and all(d["doc_id"] != doc_id for d in remaining)  # the seeds are still there


def test_upload_of_a_scan_and_a_spreadsheet_cites_page_and_sheet(app_url: str, tmp_path: Path) -> None:
    import openpyxl

    from benchmarks.scans import scanned_pdf

    scanned_pdf(tmp_path / "港口年报 scan.pdf", [["港口年报", "", "第一章 概况"],
                                              ["第二章 航线", "", "去年港口新开通了十一条国际航线，集装箱吞吐量增长了百分之八。"]])
    book = openpyxl.Workbook()
    book.active.title = "Berths"
    for row in (["Berth", "Depth (m)"], ["North 1", 14.5], ["South 7", 17.8]):
        book.active.append(row)
    book.save(tmp_path / "berths.xlsx")
    client = Client(app_url, verbose=False)
    status, *_ = client.predict([handle_file(str(tmp_path / "港口年报 scan.pdf")),
                                 handle_file(str(tmp_path / "berths.xlsx"))], api_name="/upload")
    assert "Added 2" in status, status
    scan = client.predict("去年港口新开通了多少条国际航线？", None, api_name="/ask")
    assert "十一条" in scan["answer"] and (scan["citations"][0]["page"], scan["citations"][0]["ocr"]) == (2, True)
    depth = client.predict("How deep is berth South 7?", None, api_name="/ask")
    assert "17.8" in depth["answer"] and depth["citations"][0]["section"] == "Sheet Berths, rows 2-3"


def test_upload_failure_names_the_file(app_url: str, tmp_path: Path) -> None:
    client = Client(app_url, verbose=False)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    status, *_ = client.predict([handle_file(str(bad))], api_name="/upload")
    assert "failed 1" in status and "broken.pdf" in status


def test_password_protection_and_no_secret_in_logs(seeded_settings: Settings, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_app(data, seed_from=seeded_settings.data_dir, extra_env={"KB_AUTH": "analyst:s3cret-pw"}) as url:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises different types per version
            Client(url, verbose=False).predict("test", None, api_name="/ask")
        client = Client(url, auth=("analyst", "s3cret-pw"), verbose=False)
        ans = client.predict("生成对抗网络由哪两个部分构成？", None, api_name="/ask")
        assert "生成器" in ans["answer"]
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("serve-*.log"))
    assert "s3cret" not in logs
