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
.kb-page-img { width: 100%; margin-top: .5em; border: 1px solid var(--border-color-primary); border-radius: 4px;
               background: #fff; display: block; }
.kb-src-links { font-size: .85em; margin-top: .35em; }
.kb-src-links a { white-space: nowrap; }
.kb-notice { font-size: .85em; background: #fff8c5; color: #5c4700; border-radius: 4px; padding: .3em .5em;
             margin-top: .35em; }
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
  document.addEventListener('click', (ev) => {
    const el = target(ev);
    if (!el) return;
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

# Gradio 6 titles every pop-up with its type in English ("Warning", "Error"), whatever ``title`` it is
# given: the word is hidden and the title in the page's language is drawn in its place.
CSS += ".toast-title { font-size: 0 !important; }\n.toast-title::before { font-size: var(--text-lg); }\n" + "".join(
    f'.toast-title.{kind}::before {{ content: "{t("en", key)}"; }}\n'
    f'html[lang|="zh"] .toast-title.{kind}::before {{ content: "{t("zh", key)}"; }}\n'
    for kind, key in (("error", "error_title"), ("warning", "warning_title"), ("info", "info_title"),
                      ("success", "info_title")))
