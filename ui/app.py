"""The Gradio app: layout and wiring only; handlers live in ``ui.handlers``."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ingest.loaders import SUPPORTED_SUFFIXES
from kb import KnowledgeBase
from kb.libraries import Libraries

from .assets import BROWSER_LANGUAGE_JS
from .handlers import Handlers
from .i18n import pick_lang, t
from .render import sources_html

FILE_TYPES = sorted(SUPPORTED_SUFFIXES)


def build(libraries: Libraries) -> gr.Blocks:
    h = Handlers(libraries)
    with gr.Blocks(title="文档知识库 · Knowledge base", analytics_enabled=False) as demo:
        lang = gr.State("en")
        lib = gr.State(libraries.default)
        turns = gr.State([])
        browser_lang = gr.Textbox(visible=False)  # filled by JS on load: State inputs cannot be
        with gr.Row(equal_height=True):
            header = gr.Markdown(elem_id="kb-header")
            # One picker for both tabs: a new name (typed) becomes a library on its first upload.
            # Each control in its own column: side by side in a row, Gradio would group them into
            # one form box.
            with gr.Column(scale=0, min_width=220):
                lib_pick = gr.Dropdown(libraries.names(), value=libraries.default, allow_custom_value=True,
                                       elem_id="kb-library", label="Library")
            with gr.Column(scale=0, min_width=220):
                lang_radio = gr.Radio([("中文", "zh"), ("English", "en")], value="en", elem_id="kb-lang",
                                      show_label=False)
        with gr.Tabs():
            with gr.Tab("Ask", id="chat") as chat_tab:
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(height=540, buttons=["copy"], elem_id="kb-chat", show_label=False)
                        with gr.Row():
                            box = gr.Textbox(show_label=False, scale=8, lines=1, max_lines=6, autofocus=True,
                                             elem_id="kb-question", submit_btn=False)
                            send = gr.Button("Send", variant="primary", scale=1, min_width=80, elem_id="kb-send")
                        with gr.Row():
                            new_chat = gr.Button("New conversation", size="sm", scale=0, elem_id="kb-new")
                            doc_filter = gr.Dropdown([], multiselect=True, scale=3, elem_id="kb-filter")
                    with gr.Column(scale=2):
                        sources_title = gr.Markdown("### Sources")
                        sources = gr.HTML(elem_id="kb-sources")
            with gr.Tab("Library", id="library") as lib_tab:
                upload = gr.File(file_count="multiple", file_types=FILE_TYPES, elem_id="kb-upload")
                status = gr.Markdown(elem_id="kb-status")
                table = gr.Dataframe(interactive=False, wrap=True, elem_id="kb-docs")
                with gr.Row():
                    pick = gr.Dropdown([], scale=4, elem_id="kb-pick")
                    delete = gr.Button("Delete…", variant="stop", scale=1, elem_id="kb-delete")
                doc_links = gr.HTML(elem_id="kb-doc-links")
                with gr.Row(visible=False) as confirm_row:
                    confirm_text = gr.Markdown()
                    confirm = gr.Button("Yes, delete it", variant="stop", elem_id="kb-confirm")
                    cancel = gr.Button("Cancel", elem_id="kb-cancel")

        def labels(code: str) -> tuple[Any, ...]:
            return (
                code,
                gr.update(value=code),
                f"## {t(code, 'title')}\n{t(code, 'subtitle')}",
                gr.update(label=t(code, "tab_chat")),
                gr.update(label=t(code, "tab_library")),
                gr.update(placeholder=t(code, "placeholder"), label=t(code, "question")),
                gr.update(value=t(code, "send")),
                gr.update(value=t(code, "new_chat")),
                gr.update(label=t(code, "filter")),
                f"### {t(code, 'sources')}",
                gr.update(label=t(code, "upload")),
                gr.update(label=t(code, "delete_pick")),
                gr.update(value=t(code, "delete")),
                gr.update(value=t(code, "confirm")),
                gr.update(value=t(code, "cancel")),
                gr.update(label=t(code, "lang_switch")),
                gr.update(label=t(code, "library")),
            )

        label_outputs = [lang, lang_radio, header, chat_tab, lib_tab, box, send, new_chat, doc_filter, sources_title,
                         upload, pick, delete, confirm, cancel, lang_radio, lib_pick]
        library_outputs = [table, doc_filter, pick]

        def refresh(code: str, current_turns: list[dict[str, Any]], name: str) -> tuple[Any, ...]:
            return (*h.library_view(code, name), h.chat_placeholder(code, name),
                    sources_html(current_turns, code, name), h.library_choices(name))

        refresh_outputs = [*library_outputs, chatbot, sources, lib_pick]

        demo.load(lambda code: labels(pick_lang(code)), inputs=[browser_lang], outputs=label_outputs,
                  js=BROWSER_LANGUAGE_JS, api_visibility="private").then(
            refresh, inputs=[lang, turns, lib], outputs=refresh_outputs, api_visibility="private")
        lang_radio.input(labels, inputs=[lang_radio], outputs=label_outputs, api_visibility="private").then(
            refresh, inputs=[lang, turns, lib], outputs=refresh_outputs, api_visibility="private")
        # Another library: a new conversation over its documents.
        lib_pick.input(h.pick_library, inputs=[lib_pick, lang], outputs=[lib], api_visibility="private").success(
            lambda: ([], [], ""), outputs=[chatbot, turns, box], api_visibility="private").then(
            refresh, inputs=[lang, turns, lib], outputs=refresh_outputs, api_visibility="private")

        chat_io = dict(inputs=[box, chatbot, turns, doc_filter, lang, lib], outputs=[chatbot, turns, sources, box])
        box.submit(h.respond, **chat_io, api_visibility="private")  # type: ignore[arg-type]
        send.click(h.respond, **chat_io, api_visibility="private")  # type: ignore[arg-type]
        chatbot.example_select(_example_text, None, box, api_visibility="private").then(
            h.respond, **chat_io, api_visibility="private")  # type: ignore[arg-type]
        chatbot.like(h.feedback, inputs=[turns, lang, lib], outputs=None, api_visibility="private")
        new_chat.click(lambda code: ([], [], sources_html([], code), ""),
                       inputs=[lang], outputs=[chatbot, turns, sources, box], api_visibility="private").then(
            h.chat_placeholder, inputs=[lang, lib], outputs=[chatbot], api_visibility="private")

        upload.upload(h.upload, inputs=[upload, lang, lib], outputs=[status, *library_outputs],
                      api_name="upload").then(
            lambda code, name: (None, h.chat_placeholder(code, name), h.library_choices(name)), inputs=[lang, lib],
            outputs=[upload, chatbot, lib_pick], api_visibility="private")
        pick.change(h.document_links, inputs=[pick, lang, lib], outputs=[doc_links], api_visibility="private")
        delete.click(h.ask_delete, inputs=[pick, lang, lib], outputs=[confirm_row, confirm_text],
                     api_visibility="private")
        cancel.click(lambda: gr.update(visible=False), outputs=[confirm_row], api_visibility="private")
        confirm.click(h.delete, inputs=[pick, lang, lib], outputs=[confirm_row, status, *library_outputs],
                      api_visibility="private")

        gr.api(h.api_ask, api_name="ask")
        gr.api(h.api_documents, api_name="documents")
        gr.api(h.api_delete, api_name="remove")
    return demo


def _example_text(data: gr.SelectData) -> str:
    value = data.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)


def launch(kb: KnowledgeBase) -> None:
    """Serve the app on ``settings.host:port`` until Ctrl-C; password-protected when ``KB_AUTH`` is set."""
    import socket

    import uvicorn

    from .server import create_app

    settings = kb.settings
    kb.warm_up()
    libraries = Libraries(settings, first=kb)
    demo = build(libraries)
    demo.queue(default_concurrency_limit=8)
    app, access = create_app(libraries, demo)
    # Bound here, not by uvicorn: a busy port is then an OSError the CLI turns into a message.
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
    except OSError:
        sock.close()
        raise
    shown_host = "127.0.0.1" if settings.host in ("0.0.0.0", "") else settings.host
    base = f"http://{shown_host}:{settings.port}"
    count = len(kb.documents())
    print(f"Chat UI on {base}/ (library '{settings.library}', {count} document{'' if count == 1 else 's'}"
          f"{', password protected' if settings.auth else ''}). Ctrl-C to stop.", flush=True)
    print(f"OpenAI-compatible API on {base}/v1 (models = libraries: {', '.join(libraries.names())}), "
          f"REST API on {base}/api (docs: {base}/api/docs); {access}.", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3))
    server.run(sockets=[sock])
