"""Page CSS and the small scripts: citation markers linked to their sources, the page's language."""

from web.i18n import t

CSS = """
#kb-sources { max-height: 640px; overflow-y: auto; }
.kb-turn { margin-bottom: .6em; }
.kb-turn > summary { cursor: pointer; font-weight: 600; margin-bottom: .4em; }
.kb-src { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6em .8em; margin: .5em 0;
          transition: box-shadow .3s, border-color .3s; }
.kb-src-head { font-weight: 600; }
.kb-n { color: var(--color-accent); }
.kb-src-meta { font-size: .85em; opacity: .75; margin: .15em 0 .35em; }
.kb-src-text { font-size: .92em; line-height: 1.55; white-space: normal; }
.kb-src-text mark { background: #fff3a3; color: inherit; padding: 0 .1em; }
.kb-selected { border-color: var(--color-accent); }
.kb-flash { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft); }
a.kb-cite { text-decoration: none; font-weight: 600; cursor: pointer; }
.kb-unsupported { color: #b45309; font-weight: 700; cursor: help; }
.kb-sources-empty { opacity: .7; font-size: .92em; }
.kb-related-head { opacity: .75; font-size: .92em; margin: .2em 0 .5em; }
.kb-page-img { width: 100%; margin-top: .5em; border: 1px solid var(--border-color-primary); border-radius: 4px;
               background: #fff; display: block; }
.kb-src-links { font-size: .85em; margin-top: .35em; }
.kb-src-links a { white-space: nowrap; }
.kb-notice { font-size: .85em; background: #fff8c5; color: #5c4700; border-radius: 4px; padding: .3em .5em;
             margin-top: .35em; }
/* An empty chat: its words and example questions scroll inside it, from the top (Gradio scrolls a
   chat to its end, which on a phone hid the words above the examples). */
#kb-chat .bubble-wrap:has(.placeholder-content) { overflow: hidden !important; }
#kb-chat .placeholder-content { overflow-y: auto !important; padding-left: 8px; padding-right: 8px; }
#kb-header h2 { word-break: keep-all; overflow-wrap: normal; hyphens: none; }
.kb-back-row { display: none; margin-top: .4em; font-size: .9em; }
.kb-doc-table { width: 100%; border-collapse: collapse; font-size: .92em; border: 0 !important; margin: 0; }
.kb-doc-table tr, .kb-doc-table thead, .kb-doc-table tbody { border: 0 !important; background: none; }
.kb-doc-table th, .kb-doc-table td { text-align: left; padding: .45em .6em; vertical-align: top; border: 0 !important;
                                     border-bottom: 1px solid var(--border-color-primary) !important; }
.kb-doc-table th { font-weight: 600; background: var(--table-even-background-fill); }
.kb-doc-table .kb-col-pages, .kb-doc-table .kb-col-chunks { text-align: right; white-space: nowrap; }
.kb-doc-table .kb-col-date, .kb-doc-table .kb-col-file { white-space: nowrap; }
.kb-unit { display: none; }
#kb-upload [data-testid="upload-text"] { font-size: 0; }
#kb-upload [data-testid="upload-text"] .or { display: none; }
#kb-upload [data-testid="upload-text"]::after { font-size: var(--text-lg); }

/* Phones (and any window too narrow for the chat and the sources side by side). */
@media (max-width: 760px) {
  #kb-top { flex-wrap: wrap !important; gap: 8px !important; }
  #kb-top > #kb-header { flex: 1 1 100% !important; min-width: 100% !important; }
  #kb-top > #kb-lib-col { flex: 1 1 0 !important; min-width: 0 !important; }
  #kb-top > #kb-lang-col { flex: 0 0 auto !important; min-width: 0 !important; }
  #kb-lang .wrap { flex-wrap: nowrap !important; gap: 6px !important; }
  #kb-lang label { padding: 6px 10px !important; }
  #kb-ask-row { flex-wrap: nowrap !important; gap: 8px !important; }
  #kb-ask-row > #kb-question { flex: 1 1 auto !important; min-width: 0 !important; padding: 6px !important; }
  #kb-ask-row > #kb-send { flex: 0 0 auto !important; min-width: 64px !important; padding-left: 12px;
                           padding-right: 12px; }
  #kb-header h2 { font-size: 1.35em; margin: 0; }
  #kb-header p { font-size: .85em; margin: .2em 0 0; }
  #kb-chat { height: 46vh !important; min-height: 260px; }
  #kb-question textarea { font-size: 16px; }  /* 16 px: phones do not zoom into the box */
  .kb-back-row { display: block; }
  .kb-doc-table thead { display: none; }
  .kb-doc-table tr { display: block; padding: .55em .2em;
                     border-bottom: 1px solid var(--border-color-primary) !important; }
  .kb-doc-table td { display: inline; border: 0 !important; padding: 0; white-space: normal !important; }
  .kb-doc-table td.kb-col-title { display: block; font-weight: 600; margin-bottom: .15em; }
  .kb-doc-table td:not(.kb-col-title):not(:empty) ~ td:not(:empty)::before { content: " · "; opacity: .6; }
  .kb-doc-table td.kb-col-file { overflow-wrap: anywhere; font-size: .9em; }
  .kb-doc-table td:not(.kb-col-title) { font-size: .88em; opacity: .85; }
  .kb-unit { display: inline; }
}
"""

# Clicking (or hovering) a marker like [2] opens its turn in the Sources panel, scrolls source 2
# into view and flashes it. Delegated on document, so answers streamed in later work too.
HEAD = """
<script>
(() => {
  function target(ev) {
    const a = ev.target && ev.target.closest ? ev.target.closest('a.kb-cite') : null;
    return a ? document.getElementById(a.dataset.src || a.getAttribute('href').slice(1)) : null;
  }
  let lastCite = null;  // the marker a reader followed: "back to the answer" returns to it
  document.addEventListener('click', (ev) => {
    const back = ev.target && ev.target.closest ? ev.target.closest('a.kb-back') : null;
    if (back) {
      ev.preventDefault();
      const to = lastCite && document.contains(lastCite) ? lastCite : document.getElementById('kb-chat');
      to.scrollIntoView({behavior: 'smooth', block: 'center'});
      return;
    }
    const el = target(ev);
    if (!el) return;
    lastCite = ev.target.closest('a.kb-cite');
    ev.preventDefault(); ev.stopPropagation();
    const d = el.closest('details'); if (d) d.open = true;
    document.querySelectorAll('.kb-src.kb-selected').forEach((x) => x.classList.remove('kb-selected'));
    el.classList.add('kb-selected');
    el.scrollIntoView({behavior: 'smooth', block: 'center'});
    el.classList.add('kb-flash'); setTimeout(() => el.classList.remove('kb-flash'), 1600);
  }, true);
  document.addEventListener('mouseover', (ev) => {
    const el = target(ev); if (el) el.classList.add('kb-flash');
  });
  document.addEventListener('mouseout', (ev) => {
    const el = target(ev); if (el) el.classList.remove('kb-flash');
  });
})();
</script>
"""

# The page's language on <html lang>: the pop-ups' titles below follow it.
_SET_LANG = "document.documentElement.lang = String(code).toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';"
BROWSER_LANGUAGE_JS = ("() => { const code = (navigator.languages && navigator.languages[0]) || navigator.language "
                       f"|| 'en'; {_SET_LANG} return code; }}")
LANGUAGE_SWITCH_JS = f"(code) => {{ {_SET_LANG} return code; }}"

# Gradio draws the upload box's words in the browser's language: ours are drawn in the page's.
# (Gradio repeats every rule under ".gradio-container .contain", where no "html" can match: the
# Chinese rules say !important to win over that more specific copy of the English ones.)
CSS += "".join(f'{sel}#kb-upload [data-testid="upload-text"]::after {{ content: "{t(code, "drop_files")}"{imp}; }}\n'
               for sel, code, imp in (("", "en", ""), ('html[lang|="zh"] ', "zh", " !important")))

# Gradio 6 titles every pop-up with its type in English ("Warning", "Error"), whatever ``title`` it is
# given: the word is hidden and the title in the page's language is drawn in its place.
CSS += ".toast-title { font-size: 0 !important; }\n.toast-title::before { font-size: var(--text-lg); }\n" + "".join(
    f'.toast-title.{kind}::before {{ content: "{t("en", key)}"; }}\n'
    f'html[lang|="zh"] .toast-title.{kind}::before {{ content: "{t("zh", key)}" !important; }}\n'
    for kind, key in (("error", "error_title"), ("warning", "warning_title"), ("info", "info_title"),
                      ("success", "info_title")))
