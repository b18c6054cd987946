"""The incident catalog as a static, searchable website: index.html and one page per entry.

Plain HTML with one stylesheet and one script, all relative links, and the
search data inline in index.html (a `<script type="application/json">`), so
the same files work opened from disk (file://, where a page may not fetch
its neighbours) and served over HTTP under any path (the bot serves them at
/catalog with a Content-Security-Policy of 'self': no inline script runs).
Every page renders without JavaScript; the script only ranks and filters.
The index lists the entries about Kubernetes itself first, then those about
one product, each with its product's name. Served by the bot, the index page
names the bot's search route (`search_url`) and the script shows the bot's
own ranking; the static copy ranks in the page alone.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from intents.checked import as_dict
from intents.schema import AlertMapping, CatalogEntry, EvidenceRule
from intents.search_index import search_index
from responses.links import web_url
from responses.readable_patterns import readable
from responses.site_patterns import browser_safe
from responses.site_products import ProductAdvice, for_product, generic, products

TITLE = "kubemedic incident catalog"
ASSETS = ("style.css", "search.js")
_BACKTICKS = re.compile(r"`([^`\n]{1,400})`")
_SEED = re.compile(r"\d{3}")
"""A source named by the number of the seed case it came from: nothing a reader can follow."""


@dataclass(frozen=True)
class Feedback:
    """What people said about an entry with the buttons under a diagnosis."""

    shown: int
    helpful: int
    not_this: int

    @property
    def precision(self) -> str:
        votes = self.helpful + self.not_this
        return f"{self.helpful / votes:.0%}" if votes else "no votes yet"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _prose(text: str) -> str:
    """Escaped text with `backticks` as <code>."""
    return _BACKTICKS.sub(lambda m: f"<code>{m.group(1)}</code>", _e(text))


def _page(title: str, body: str, *, root: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        f'<link rel="icon" href="data:,">\n<link rel="stylesheet" href="{root}style.css">\n</head>\n<body>\n{body}\n'
        f"<footer>kubemedic: LLM-free Kubernetes diagnosis. Generated from the catalog; "
        f"do not edit.</footer>\n</body>\n</html>\n"
    )


def index_order(entries: Sequence[CatalogEntry]) -> list[CatalogEntry]:
    """Entries about Kubernetes itself first (by id), then each product's (by product, then id)."""
    return sorted(
        entries, key=lambda e: (e.product is not None, (e.product or "").casefold(), e.id)
    )


def _index_item(entry: CatalogEntry) -> str:
    tags = f'<p class="tags">{_e(", ".join(entry.tags))}</p>' if entry.tags else ""
    product = f' <span class="product">{_e(entry.product)}</span>' if entry.product else ""
    return (
        f'<li data-id="{_e(entry.id)}"><a href="entries/{_e(entry.id)}.html">{_e(entry.title)}</a> '
        f'<code>{_e(entry.id)}</code>{product}<span class="badge" hidden></span>'
        f"<p>{_prose(entry.summary)}</p>{tags}</li>"
    )


def index_page(entries: Sequence[CatalogEntry], *, search_url: str | None = None) -> str:
    """The searchable list of every entry (in `index_order`), with the search data inline."""
    entries = index_order(entries)
    data = json.dumps(
        search_index(entries, browser_safe), ensure_ascii=False, separators=(",", ":")
    )
    safe = (
        data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )  # inert in <script>
    items = "\n".join(_index_item(entry) for entry in entries)
    body = (
        f"<header><h1>{TITLE}</h1><p>{len(entries)} known problems. Each says how it looks, why it "
        "happens and how to fix it; the bot names the id of every cause it reports.</p></header>\n"
        f"<main{_search_attribute(search_url)}>\n"
        '<label for="q">Paste an error line (or a whole log), or type a word</label>\n'
        '<textarea id="q" rows="4" spellcheck="false" placeholder="Last State: Terminated  '
        'Reason: OOMKilled  Exit Code: 137"></textarea>\n'
        f'<p id="status" role="status" aria-live="polite">{len(entries)} entries</p>\n'
        f'<ol id="results" class="entries">\n{items}\n</ol>\n</main>\n'
        f'<script type="application/json" id="search-index">{safe}</script>\n'
        '<script src="search.js"></script>'
    )
    return _page(TITLE, body, root="")


def _search_attribute(search_url: str | None) -> str:
    return f' data-search-url="{_e(search_url)}"' if search_url else ""


def _list(items: Sequence[str], *, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def _rule(rule: EvidenceRule) -> str:
    checks = as_dict(
        rule, exclude=frozenset({"describe"}), exclude_none=True, exclude_defaults=True
    )
    facts = ", ".join(
        f"<code>{_e(key)}</code> = <code>{_e(str(value))}</code>" for key, value in checks.items()
    )
    return f'{_prose(rule.describe)}<br><span class="muted">{facts}</span>'


def _fix(entry: CatalogEntry) -> str:
    steps = []
    for step in entry.fix:
        text = _prose(step.text)
        for block in (step.command, step.config):
            text += f"<pre>{_e(block)}</pre>" if block else ""
        steps.append(text)
    return _list(steps, ordered=True)


def _alert(alert: AlertMapping) -> str:
    """An alert as a reader names it: its name, the labels it must carry, what is diagnosed."""
    text = f"<code>{_e(alert.name)}</code>"
    if alert.labels:
        text += " with " + ", ".join(
            f"<code>{_e(label)}=~{_e(pattern)}</code>"
            for label, pattern in sorted(alert.labels.items())
        )
    if alert.target is None:
        text += ' <span class="muted">diagnoses the object its standard labels name</span>'
    elif alert.target:
        text += f' <span class="muted">diagnoses the object named by its {_e(", ".join(alert.target))} labels</span>'
    else:
        text += (
            ' <span class="muted">nothing in the cluster to read: explained from the catalog</span>'
        )
    return text


def _product_links(entry: CatalogEntry, advice: Sequence[ProductAdvice]) -> str:
    def more(item: ProductAdvice) -> str:
        counts = [
            f"{n} {word}{'s' if n != 1 else ''}"
            for n, word in ((item.steps, "step"), (item.links, "link"))
            if n
        ]
        return " and ".join(counts)

    return _list(
        [
            f'<a href="{_e(entry.id)}/{_e(item.slug)}.html">{_e(item.name)}</a>: {more(item)} more, '
            f'<span class="muted">shown by the bot when {_e(item.facts)}</span>'
            for item in advice
        ]
    )


def _sections(
    entry: CatalogEntry, feedback: Feedback | None, advice: Sequence[ProductAdvice] = ()
) -> list[tuple[str, str]]:
    """The page's sections; `entry` carries the steps and links this page shows, `advice` the
    products whose own pages show more."""
    sections = [
        ("Symptoms", _list([f"<code>{_e(s)}</code>" for s in entry.symptoms])),
        ("Root cause", f"<p>{_prose(entry.root_cause)}</p>"),
        ("Fix", _fix(entry)),
    ]
    if advice:
        sections.append(("Steps for one product", _product_links(entry, advice)))
    if entry.alerts:
        sections.append(("Alerts it explains", _list([_alert(a) for a in entry.alerts])))
    if entry.evidence:
        sections.append(
            ("Evidence the bot looks for in the cluster", _list([_rule(r) for r in entry.evidence]))
        )
    if entry.remediation:
        buttons = [
            f"{_e(a.label)} <code>{_e(a.kind)}</code> on {_e(a.target)}"
            + (
                f' <span class="muted">when {_e(a.when.describe())}</span>'
                if a.when.describe()
                else ""
            )
            for a in entry.remediation
        ]
        sections.append(("Remediation buttons (admins only, after a dry run)", _list(buttons)))
    if feedback is not None:
        sections.append(
            (
                "Feedback",
                (
                    f"<p>Shown {feedback.shown} times; {feedback.helpful} helpful, "
                    f"{feedback.not_this} not this; precision {feedback.precision}.</p>"
                ),
            )
        )
    links = [
        f'<a href="{_e(link.url)}" rel="noopener noreferrer">{_e(link.title)}</a>'
        if web_url(link.url)
        else f"{_e(link.title)}: <code>{_e(link.url)}</code>"
        for link in entry.links
    ]
    sections.append(("Links", _list(links)))
    if entry.patterns:  # in words ("…" for any text); the regex itself on hover
        sections.append(
            (
                "Patterns",
                _list([f'<code title="{_e(p)}">{_e(readable(p))}</code>' for p in entry.patterns]),
            )
        )
    sources = [source for source in entry.sources if not _SEED.fullmatch(source)]
    meta = f"Tags: {_e(', '.join(entry.tags) or 'none')}."
    meta += f" Sources: {_e(', '.join(sources))}." if sources else ""
    sections.append(("About this entry", f'<p class="muted">{meta}</p>'))
    return sections


def entry_page(entry: CatalogEntry, feedback: Feedback | None = None) -> str:
    """One entry: symptoms, root cause, the fix and links that apply everywhere (and the products
    whose own pages show more), evidence rules, buttons, feedback."""
    return _entry_page(generic(entry), feedback, products(entry), product=None)


def product_page(entry: CatalogEntry, item: ProductAdvice, feedback: Feedback | None = None) -> str:
    """The entry as the bot answers for one product: the general steps and links, and that product's."""
    return _entry_page(for_product(entry, item.slug), feedback, (), product=item)


def _entry_page(
    shown: CatalogEntry,
    feedback: Feedback | None,
    advice: Sequence[ProductAdvice],
    *,
    product: ProductAdvice | None,
) -> str:
    root = "../../" if product else "../"
    back = f'<a href="{root}index.html">&larr; all entries</a>' + (
        f' &middot; <a href="../{_e(shown.id)}.html">{_e(shown.id)} without {_e(product.name)}</a>'
        if product
        else ""
    )
    heading = _e(shown.title) + (
        f' <span class="product">{_e(product.name)}</span>' if product else ""
    )
    scope = (
        f'<p class="muted">With the steps and links for {_e(product.name)}: the bot shows them when '
        f"{_e(product.facts)}.</p>"
        if product
        else ""
    )
    parts = [
        (
            f"<header><p>{back}</p><h1>{heading}</h1>"
            f"<p><code>{_e(shown.id)}</code></p><p>{_prose(shown.summary)}</p>{scope}</header>\n<main>"
        )
    ]
    parts += [
        f"<h2>{_e(title)}</h2>\n{content}" for title, content in _sections(shown, feedback, advice)
    ]
    parts.append("</main>")
    title = f"{shown.id}: {shown.title}" + (f" ({product.name})" if product else "")
    return _page(title, "\n".join(parts), root=root)


def render_site(
    entries: Sequence[CatalogEntry],
    feedback: Mapping[str, Feedback] | None = None,
    *,
    search_url: str | None = None,
) -> dict[str, bytes]:
    """Every file of the site by relative path: index.html, entries/<id>.html, a page per product
    with advice of its own (entries/<id>/<product>.html) and the assets."""
    ordered = sorted(entries, key=lambda entry: entry.id)
    files = {"index.html": index_page(ordered, search_url=search_url).encode()}
    for entry in ordered:
        found = feedback.get(entry.id, Feedback(0, 0, 0)) if feedback is not None else None
        files[f"entries/{entry.id}.html"] = entry_page(entry, found).encode()
        for item in products(entry):
            files[f"entries/{entry.id}/{item.slug}.html"] = product_page(
                entry, item, found
            ).encode()
    assets = resources.files("responses") / "site_assets"
    for name in ASSETS:
        files[name] = (assets / name).read_bytes()
    return files
