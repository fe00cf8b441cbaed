"""The Gradio app: layout and wiring only; handlers live in ``ui.handlers``.

Every component has a name (``ui.wiring.Components``); events are wired by name and handlers
return the components they change by name, so no output list has to line up with a tuple.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ingest.loaders import SUPPORTED_SUFFIXES
from kb.libraries import Libraries
from web.i18n import pick_lang, t

from .assets import BROWSER_LANGUAGE_JS, LANGUAGE_SWITCH_JS
from .handlers import Handlers
from .render import sources_html
from .wiring import Components, Updates, updates

FILE_TYPES = sorted(SUPPORTED_SUFFIXES)
PRIVATE = {"api_visibility": "private"}  # UI events are not part of the app's API (see gr.api below)


def layout(libraries: Libraries) -> Components:
    """The components, each under its name."""
    c = Components()
    c.add("lang", gr.State("en"))
    c.add("lib", gr.State(libraries.default))
    c.add("turns", gr.State([]))
    c.add("browser_lang", gr.Textbox(visible=False))  # filled by JS on load: State inputs cannot be
    with gr.Row(equal_height=True, elem_id="kb-top"):
        c.add("header", gr.Markdown(elem_id="kb-header"))
        # One picker for both tabs: a new name (typed) becomes a library on its first upload.
        # Each control in its own column: side by side in a row, Gradio would group them into
        # one form box.
        with gr.Column(scale=0, min_width=220, elem_id="kb-lib-col"):
            c.add("lib_pick", gr.Dropdown(libraries.names(), value=libraries.default, allow_custom_value=True,
                                          elem_id="kb-library", label="Library"))
        with gr.Column(scale=0, min_width=220, elem_id="kb-lang-col"):
            c.add("lang_radio", gr.Radio([("中文", "zh"), ("English", "en")], value="en", elem_id="kb-lang",
                                         show_label=False))
    with gr.Tabs():
        with c.add("chat_tab", gr.Tab("Ask", id="chat")):
            with gr.Row():
                with gr.Column(scale=3):
                    c.add("chat", gr.Chatbot(height=540, buttons=["copy"], elem_id="kb-chat", show_label=False))
                    with gr.Row(elem_id="kb-ask-row"):
                        c.add("box", gr.Textbox(show_label=False, scale=8, lines=1, max_lines=6, autofocus=True,
                                                elem_id="kb-question", submit_btn=False))
                        c.add("send", gr.Button("Send", variant="primary", scale=1, min_width=80, elem_id="kb-send"))
                    with gr.Row():
                        c.add("new_chat", gr.Button("New conversation", size="sm", scale=0, elem_id="kb-new"))
                        c.add("doc_filter", gr.Dropdown([], multiselect=True, scale=3, elem_id="kb-filter"))
                with gr.Column(scale=2):
                    c.add("sources_title", gr.Markdown("### Sources"))
                    c.add("sources", gr.HTML(elem_id="kb-sources"))
        with c.add("lib_tab", gr.Tab("Library", id="library")):
            c.add("upload", gr.File(file_count="multiple", file_types=FILE_TYPES, elem_id="kb-upload"))
            c.add("status", gr.Markdown(elem_id="kb-status"))
            c.add("table", gr.HTML(elem_id="kb-docs"))  # a table on wide screens, cards on narrow ones
            with gr.Row():
                c.add("pick", gr.Dropdown([], scale=4, elem_id="kb-pick"))
                c.add("delete", gr.Button("Delete…", variant="stop", scale=1, elem_id="kb-delete"))
            c.add("doc_links", gr.HTML(elem_id="kb-doc-links"))
            with c.add("confirm_row", gr.Row(visible=False)):
                c.add("confirm_text", gr.Markdown())
                c.add("confirm", gr.Button("Yes, delete it", variant="stop", elem_id="kb-confirm"))
                c.add("cancel", gr.Button("Cancel", elem_id="kb-cancel"))
    return c


@updates("lang", "lang_radio", "header", "chat_tab", "lib_tab", "box", "send", "new_chat", "doc_filter",
         "sources_title", "upload", "pick", "delete", "confirm", "cancel", "lib_pick")
def labels(code: str) -> Updates:
    """Every label in the chosen language."""
    return {
        "lang": code,
        "lang_radio": gr.update(value=code, label=t(code, "lang_switch")),
        "header": f"## {t(code, 'title')}\n{t(code, 'subtitle')}",
        "chat_tab": gr.update(label=t(code, "tab_chat")),
        "lib_tab": gr.update(label=t(code, "tab_library")),
        "box": gr.update(placeholder=t(code, "placeholder"), label=t(code, "question")),
        "send": gr.update(value=t(code, "send")),
        "new_chat": gr.update(value=t(code, "new_chat")),
        "doc_filter": gr.update(label=t(code, "filter")),
        "sources_title": f"### {t(code, 'sources')}",
        "upload": gr.update(label=t(code, "upload")),
        "pick": gr.update(label=t(code, "delete_pick")),
        "delete": gr.update(value=t(code, "delete")),
        "confirm": gr.update(value=t(code, "confirm")),
        "cancel": gr.update(value=t(code, "cancel")),
        "lib_pick": gr.update(label=t(code, "library")),
    }


@updates("lang", "lang_radio", "header", "chat_tab", "lib_tab", "box", "send", "new_chat", "doc_filter",
         "sources_title", "upload", "pick", "delete", "confirm", "cancel", "lib_pick")
def browser_labels(browser_language: str) -> Updates:
    return labels(pick_lang(browser_language))


@updates("chat", "turns", "box")
def clear_chat() -> Updates:
    return {"chat": [], "turns": [], "box": ""}


@updates("chat", "turns", "sources", "box")
def new_conversation(code: str) -> Updates:
    return {"chat": [], "turns": [], "sources": sources_html([], code), "box": ""}


@updates("confirm_row")
def hide_confirm() -> Updates:
    return {"confirm_row": gr.update(visible=False)}


@updates("box")
def example_text(data: gr.SelectData) -> Updates:
    value = data.value
    return {"box": str(value.get("text", "")) if isinstance(value, dict) else str(value)}


def build(libraries: Libraries) -> gr.Blocks:
    h = Handlers(libraries)
    with gr.Blocks(title="文档知识库 · Knowledge base", analytics_enabled=False) as demo:
        c = layout(libraries)

        @updates("table", "doc_filter", "pick", "chat", "sources", "lib_pick")
        def refresh(code: str, current_turns: list[dict[str, Any]], name: str) -> Updates:
            return {**h.library_view(code, name), **h.chat_placeholder(code, name),
                    "sources": sources_html(current_turns, code, name), **h.library_choices(name)}

        @updates("upload", "chat", "lib_pick")
        def after_upload(code: str, name: str) -> Updates:
            return {"upload": None, **h.chat_placeholder(code, name), **h.library_choices(name)}

        state = ["lang", "turns", "lib"]
        loaded = c.on(demo.load, browser_labels, ["browser_lang"], js=BROWSER_LANGUAGE_JS, **PRIVATE)
        c.on(loaded.then, refresh, state, **PRIVATE)
        switched = c.on(c["lang_radio"].input, labels, ["lang_radio"], js=LANGUAGE_SWITCH_JS, **PRIVATE)
        c.on(switched.then, refresh, state, **PRIVATE)
        # Another library: a new conversation over its documents.
        picked = c.on(c["lib_pick"].input, h.pick_library, ["lib_pick", "lang"], **PRIVATE)
        cleared = c.on(picked.success, clear_chat, **PRIVATE)
        c.on(cleared.then, refresh, state, **PRIVATE)

        ask = ["box", "chat", "turns", "doc_filter", "lang", "lib"]
        c.on(c["box"].submit, h.respond, ask, **PRIVATE)
        c.on(c["send"].click, h.respond, ask, **PRIVATE)
        example = c.on(c["chat"].example_select, example_text, **PRIVATE)
        c.on(example.then, h.respond, ask, **PRIVATE)
        c.on(c["chat"].like, h.feedback, ["turns", "lang", "lib"], **PRIVATE)
        renewed = c.on(c["new_chat"].click, new_conversation, ["lang"], **PRIVATE)
        c.on(renewed.then, h.chat_placeholder, ["lang", "lib"], **PRIVATE)

        uploaded = c.on(c["upload"].upload, h.upload, ["upload", "lang", "lib"],
                        api_name="upload")
        c.on(uploaded.then, after_upload, ["lang", "lib"], **PRIVATE)
        c.on(c["pick"].change, h.document_links, ["pick", "lang", "lib"], **PRIVATE)
        c.on(c["delete"].click, h.ask_delete, ["pick", "lang", "lib"], **PRIVATE)
        c.on(c["cancel"].click, hide_confirm, **PRIVATE)
        c.on(c["confirm"].click, h.delete, ["pick", "lang", "lib"], **PRIVATE)

        gr.api(h.api_ask, api_name="ask")
        gr.api(h.api_documents, api_name="documents")
        gr.api(h.api_delete, api_name="remove")
    return demo
