"""The English site's check for the browser tests: Chinese text on an English page must sit inside an element
whose nearest `lang` says Chinese (`lang="zh-Hans"` on the content element, docs/portal.md)."""

# Han ideographs, CJK symbols and punctuation (、。〔〕《》) and full-width forms (（）：，). Curly quotes are
# not counted: English uses them too.
_WALK = r"""() => {
  const chinese = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  const zh = el => { const owner = el && el.closest('[lang]'); return !!owner && /^zh/i.test(owner.getAttribute('lang')); };
  const where = el => { const parts = []; for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.classList.length ? '.' + [...e.classList].join('.') : '')); }
    return parts.join(' > '); };
  const found = [];
  const skip = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip.has(el.tagName) || !chinese.test(node.data) || zh(el)) continue;
    found.push(where(el) + ': ' + node.data.trim().slice(0, 60));
  }
  const attributes = ['aria-label', 'placeholder', 'title', 'alt', 'data-label-stop'];
  for (const el of document.body.querySelectorAll('*')) {
    for (const name of attributes) {
      const value = el.getAttribute(name);
      if (value && chinese.test(value) && !zh(el)) found.push(where(el) + ' [' + name + ']: ' + value.slice(0, 60));
    }
    if (el.matches('input[type=submit], input[type=button]') && chinese.test(el.value) && !zh(el))
      found.push(where(el) + ' [value]: ' + el.value.slice(0, 60));
  }
  return found;
}"""


def untagged_chinese(page) -> list[str]:
    """Every piece of Chinese text (text nodes, labelling attributes, button values) in the page's body whose
    nearest element with a `lang` attribute is not Chinese, as readable lines (empty: none). The <title> is not
    checked: a Chinese document's title there is the document's own (HTML cannot tag part of a title)."""
    return page.evaluate(_WALK)
