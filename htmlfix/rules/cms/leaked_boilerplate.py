"""CM003: boilerplate leaked into content (cookie banners, share bars, related posts,
subscribe prompts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...document import Document
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...tokens import CHARREF, COMMENT, END_TAG, RAWTEXT, START_TAG, TEXT, decode_charref
from ..base import Rule
from ._shared import INLINE_WRAPPERS, is_full_document, line_extent, matching_end, matching_start

#: Blocks longer than this (in words) are content, whatever they say.
MAX_WORDS = {"cookie": 80, "share": 40, "related": 150, "subscribe": 80}
#: A wrapper with more raw characters than this is looked into for its first or last child.
_WRAPPER_CHARS = 3000
#: Raw characters of a block worth reading at all.
_MAX_BLOCK_CHARS = 30000

_COOKIE = re.compile(
    r"\b(?:(?:uses?|use of|using|accept(?: all)?|allow(?: all)?|consent to(?: the use of)?|reject(?: all)?)"
    r" (?:the )?cookies\b|cookie (?:policy|settings|preferences|notice|consent|statement)\b"
    r"|cookies? (?:being used|on (?:this|our) (?:site|website))\b"
    r"|by continuing to (?:use|browse|visit)\b|manage (?:consent|cookies)\b|we value your privacy\b)"
)
_SHARE_LEAD = re.compile(
    r"^\W*(?:share (?:this|on|via|the article|this (?:article|post|story|page))\b|share\s*:"
    r"|click to share\b|like this\s*:|spread the word\b)"
)
_NETWORKS = re.compile(
    r"\b(?:facebook|twitter|linkedin|pinterest|whatsapp|reddit|tumblr|pocket|telegram|email|e-mail"
    r"|print|x|threads|mastodon|bluesky|flipboard|mix|skype|messenger)\b"
)
_LIKES = re.compile(r"\blike loading\b|\bbe the first to like this\b")
_RELATED_LEAD = re.compile(
    r"^\W*(?:related(?: (?:posts?|articles?|stories|reading|content|links))?\b"
    r"|you (?:may|might|will) also (?:like|enjoy|be interested in)\b"
    r"|recommended (?:for you|reading|posts|articles|stories)\b|more (?:stories|posts|articles) (?:like this|from)\b"
    r"|read (?:next|also)\b)"
)
_SUBSCRIBE = re.compile(
    r"\b(?:subscribe (?:to|for) (?:our|the|my)?\s?(?:\w+ )?(?:newsletter|blog|mailing list|channel|podcast|updates)"
    r"|sign up (?:for|to) (?:our|the|my)?\s?(?:\w+ ){0,2}(?:newsletter|mailing list|updates)"
    r"|join (?:our|my) (?:\w+ )?(?:newsletter|mailing list)|enter your e-?mail(?: address)?"
    r"|(?:delivered|straight|right) (?:to|in) your inbox|never miss (?:a|an) (?:post|update|story|thing)"
    r"|newsletter)\b"
)
_CALL_TO_ACTION = re.compile(
    r"\b(?:i agree|i accept|accept(?: all)?|agree|got it|ok(?:ay)?|allow(?: all)?|decline|reject(?: all)?"
    r"|dismiss|learn more|more info(?:rmation)?|read more|close|subscribe(?: now)?|sign up(?: now)?"
    r"|join(?: now)?|continue)\b\W*$"
)
_BUTTON = re.compile(r"<button\b|type\s*=\s*[\"']?submit", re.IGNORECASE)
_TOPIC = {"cookie": "cookie", "subscribe": "newsletter"}
_LABELS = {
    "cookie": "Cookie or consent banner",
    "share": "Share bar",
    "related": "Related-posts block",
    "subscribe": "Subscribe prompt",
}

#: Class names and ids of WordPress plugin widgets that inject boilerplate into the_content:
#: Jetpack sharing, likes and related posts; YARPP, Contextual Related Posts, WordPress
#: Related Posts; AddToAny, Shareaholic, Simple Share Buttons, ShareThis, Social Warfare,
#: Super Socializer, Easy Social Share Buttons, MashShare; and cookie-consent plugins
#: (Cookie Notice, CookieYes/Cookie Law Info, GDPR Cookie Compliance, Complianz,
#: Cookiebot, OneTrust, Borlabs, cookieconsent).
_WIDGETS = {
    "sharedaddy": "share", "sd-sharing-enabled": "share", "sd-like": "share",
    "jetpack-likes-widget-wrapper": "share", "addtoany_share_save_container": "share",
    "a2a_kit": "share", "shareaholic-canvas": "share", "ssba": "share", "ssba-wrap": "share",
    "sharethis-inline-share-buttons": "share", "swp_social_panel": "share",
    "heateor_sss_sharing_container": "share", "essb_links": "share", "mashsb-container": "share",
    "jp-relatedposts": "related", "yarpp-related": "related", "yarpp-related-widget": "related",
    "crp_related": "related", "rp4wp-related-posts": "related", "wp_rp_wrap": "related",
    "cookie-notice-container": "cookie", "cookie-law-info-bar": "cookie",
    "moove_gdpr_cookie_info_bar": "cookie", "cmplz-cookiebanner": "cookie",
    "cky-consent-container": "cookie", "cc-window": "cookie", "wt-cli-cookie-bar": "cookie",
    "CybotCookiebotDialog": "cookie", "onetrust-banner-sdk": "cookie",
    "onetrust-consent-sdk": "cookie", "BorlabsCookie": "cookie",
}
_WIDGET = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(name) for name in _WIDGETS) + r")(?![\w-])")
_BLOCK_SEPARATORS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p section table td th tr ul button".split()
)
_BLANK_LINES = re.compile(r"\n[ \t\r\f\xa0]*\n")


@dataclass(slots=True)
class _Block:
    start: int
    end: int
    where: str  # "start", "end" or "widget"
    #: The last two siblings together: only a heading with its list of related posts counts.
    pair: bool = False


class LeakedBoilerplate(Rule):
    """Boilerplate leaked into content: cookie banner, share bar, "Related posts", subscribe prompt.

    ## What it does
    Flags a whole block of site boilerplate that a scraper, an export or a `the_content`
    filter put into the post:
    * a block at the very start or end of the content (in a text export: the first or last
      line or paragraph) that matches the phrases of a cookie or consent banner ("This
      website uses cookies", "cookie policy", "by continuing to use"), a share bar ("Share
      this: Facebook Twitter", "Like this: Like Loading…"), a related-posts block ("Related
      posts", "You may also like") or a subscribe prompt ("Subscribe to our newsletter",
      "Enter your email"), is short, and (for banners and prompts) ends with a call to
      action ("I Agree", "Accept", "Subscribe") or repeats the phrases;
    * anywhere, an element with the class or id of a plugin widget that injects such blocks
      (`sharedaddy`, `jp-relatedposts`, `yarpp-related`, `addtoany_share_save_container`,
      `cookie-law-info-bar`, …).

    A paragraph in the middle of the post is never flagged on its phrases alone, and an
    article *about* cookies or newsletters (the topic recurs outside the block) is left
    alone. Whole pages (with a doctype or `<html>`) are not checked: their banners belong to
    the page. For every target.

    ## Why is this bad?
    The reader of the migrated post sees a cookie banner, a row of dead share links or a
    list of "related" posts from the old site as part of the article text, and search
    engines index it as the article's content (adbar/trafilatura#569, firecrawl#78).

    ## Example
    ```text
    … and that is how the treaty was signed.
    This website uses cookies. By continuing to use this website you are giving consent to cookies being used. Visit our Privacy and Cookie Policy. I Agree
    ```

    Use instead:
    ```text
    … and that is how the treaty was signed.
    ```

    ## Fix safety
    Unsafe: the fix deletes the whole block (the element, or the line or paragraph of a
    text export, with its line break), which removes text from the page. The detection is a
    judgement on phrases, position and length, so a person should confirm it.
    """

    code = "CM003"
    name = "leaked-boilerplate"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if not text.strip() or is_full_document(doc):
            return
        checked: set[tuple[int, int]] = set()
        reported: set[tuple[int, int]] = set()
        lowered: str | None = None
        for block in self._candidates(doc):
            if (block.start, block.end) in checked:
                continue
            checked.add((block.start, block.end))
            if block.where == "widget":
                category = _WIDGETS[text[block.start : block.end]]
                element = doc.tokens.index_at(block.start)
                end = matching_end(doc.tokens, element)
                if end is None:
                    continue
                span = (doc.tokens.starts[element], doc.tokens.starts[end + 1])
                if span in reported:
                    continue  # reported already (a second widget class, or as an edge block)
                message = f"{_LABELS[category]} widget `{text[block.start:block.end]}` in the content"
            else:
                visible = _visible_text(doc, block.start, block.end)
                category = _classify(visible, doc.text[block.start : block.end] if doc.is_html else "")
                if category is None or (block.pair and category != "related"):
                    continue
                topic = _TOPIC.get(category)
                if topic:
                    lowered = lowered if lowered is not None else text.lower()
                    inside = text[block.start : block.end].lower().count(topic)
                    if lowered.count(topic) - inside >= 2:
                        continue  # an article about cookies or newsletters
                span = (block.start, block.end)
                message = f"{_LABELS[category]} at the {block.where} of the content (`{_excerpt(visible)}`)"
            if any(span[0] < end and start < span[1] for start, end in reported):
                continue  # inside or around a block reported already
            reported.add(span)
            yield self.report(
                span[0], span[1], message,
                self.fix("Remove the block", Edit.delete(*line_extent(text, *span)),
                         applicability=Applicability.UNSAFE),
            )

    def _candidates(self, doc: Document) -> Iterator[_Block]:
        if not doc.is_html:
            yield from _text_blocks(doc.text)
            return
        yield from _edge_blocks(doc, at_end=True)
        yield from _edge_blocks(doc, at_end=False)
        if _WIDGET.search(doc.text) is not None:
            yield from _widget_blocks(doc)


def _classify(visible: str, raw: str) -> str | None:
    """The kind of boilerplate ``visible`` (the block's text) is, or None."""
    words = len(visible.split())
    if not words or words > max(MAX_WORDS.values()):
        return None
    lower = " ".join(visible.lower().split())
    tail = lower[-40:]
    call_to_action = _CALL_TO_ACTION.search(tail) is not None or _BUTTON.search(raw) is not None
    if words <= MAX_WORDS["cookie"]:
        hits = {m.group() for m in _COOKIE.finditer(lower)}
        if hits and (call_to_action or len(hits) >= 2):
            return "cookie"
    if words <= MAX_WORDS["share"] and _SHARE_LEAD.search(lower):
        if len(set(_NETWORKS.findall(lower))) >= 2 or _LIKES.search(lower):
            return "share"
    if words <= MAX_WORDS["related"] and _RELATED_LEAD.search(lower):
        lead = _RELATED_LEAD.search(lower)
        if lead is not None and words > len(lead.group().split()) + 2 and (not raw or "<a" in raw.lower()):
            return "related"
    if words <= MAX_WORDS["subscribe"]:
        hits = {m.group() for m in _SUBSCRIBE.finditer(lower)}
        if hits and (call_to_action or len(hits) >= 2):
            return "subscribe"
    return None


def _excerpt(visible: str, limit: int = 40) -> str:
    words = " ".join(visible.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


# --- text exports --------------------------------------------------------------------------


def _text_blocks(text: str) -> Iterator[_Block]:
    """The first and last line, and the first and last paragraph, of a plain-text export."""
    stripped_end = len(text.rstrip())
    stripped_start = len(text) - len(text.lstrip())
    if stripped_end <= stripped_start:
        return
    last_line_start = max(text.rfind("\n", 0, stripped_end), text.rfind("\r", 0, stripped_end)) + 1
    yield _Block(last_line_start, stripped_end, "end")
    paragraphs = list(_BLANK_LINES.finditer(text, stripped_start, stripped_end))
    if paragraphs:
        yield _Block(paragraphs[-1].end(), stripped_end, "end")
    newline = re.compile(r"[\r\n]").search(text, stripped_start)
    first_line_end = newline.start() if newline else stripped_end
    if first_line_end < stripped_end:
        yield _Block(stripped_start, first_line_end, "start")
    if paragraphs and paragraphs[0].start() < stripped_end:
        yield _Block(stripped_start, paragraphs[0].start(), "start")


# --- HTML ----------------------------------------------------------------------------------


def _skippable(doc: Document, i: int) -> bool:
    kind = doc.tokens.kinds[i]
    return kind is COMMENT or (kind is TEXT and not doc.tokens.src(i).strip())


def _edge_blocks(doc: Document, *, at_end: bool) -> Iterator[_Block]:
    """The first (or last) top-level block; inside a large wrapper, its first (or last)
    child, down to four levels; at the end also the last two siblings together (a heading
    and its list of related posts)."""
    stream = doc.tokens
    count = len(stream.kinds)
    where = "end" if at_end else "start"
    step = -1 if at_end else 1
    i = count - 1 if at_end else 0
    limit = -1 if at_end else count
    for _ in range(4):
        while i != limit and _skippable(doc, i):
            i += step
        if i == limit:
            return
        kind = stream.kinds[i]
        if kind is TEXT or kind is CHARREF or (kind in (START_TAG, END_TAG) and stream.names[i] in INLINE_WRAPPERS):
            span = _bare_text(doc, i, at_end)
            if span is not None:
                yield _Block(span[0], span[1], where)
            return
        if at_end and kind is END_TAG:
            first, last = matching_start(stream, i), i
        elif not at_end and kind is START_TAG:
            first, last = i, matching_end(stream, i)
        else:
            return
        if first is None or last is None:
            return
        start, end = stream.starts[first], stream.starts[last + 1]
        if end - start > _MAX_BLOCK_CHARS:
            i = last - 1 if at_end else first + 1
            continue
        yield _Block(start, end, where)
        if at_end:
            sibling = first - 1
            while sibling >= 0 and _skippable(doc, sibling):
                sibling -= 1
            if sibling >= 0 and stream.kinds[sibling] is END_TAG:
                opener = matching_start(stream, sibling)
                if opener is not None and end - stream.starts[opener] <= _MAX_BLOCK_CHARS:
                    yield _Block(stream.starts[opener], end, where, pair=True)
        if end - start <= _WRAPPER_CHARS:
            return
        i = last - 1 if at_end else first + 1


def _bare_text(doc: Document, i: int, at_end: bool) -> tuple[int, int] | None:
    """The run of text and inline markup around token ``i`` up to the nearest block tag."""
    stream = doc.tokens
    count = len(stream.kinds)
    step = -1 if at_end else 1
    j = i
    while 0 <= j + step < count:
        nxt = j + step
        kind = stream.kinds[nxt]
        if kind in (START_TAG, END_TAG) and stream.names[nxt] not in INLINE_WRAPPERS:
            break
        if kind is not TEXT and kind is not CHARREF and kind not in (START_TAG, END_TAG):
            break
        j = nxt
        if abs(stream.starts[i] - stream.starts[j]) > _WRAPPER_CHARS:
            return None
    first, last = (j, i) if at_end else (i, j)
    start, end = stream.starts[first], stream.starts[last + 1]
    chunk = doc.text[start:end]
    start += len(chunk) - len(chunk.lstrip())
    end -= len(chunk) - len(chunk.rstrip())
    return (start, end) if start < end else None


def _widget_blocks(doc: Document) -> Iterator[_Block]:
    """The class or id names of known widgets, on start tags (the span is the name)."""
    stream = doc.tokens
    for match in _WIDGET.finditer(doc.text):
        i = stream.index_at(match.start())
        if stream.kinds[i] is not START_TAG or doc.is_protected(match.start()):
            continue
        token = stream[i]
        for attribute in token.attributes:
            if attribute.name in ("class", "id") and attribute.value_start <= match.start() < attribute.value_end:
                yield _Block(match.start(), match.end(), "widget")
                break


def _visible_text(doc: Document, start: int, end: int) -> str:
    """What the block shows: its text with references decoded and block tags as spaces."""
    if not doc.is_html:
        return doc.text[start:end]
    stream = doc.tokens
    parts: list[str] = []
    i = stream.index_at(start)
    last = stream.index_at(max(start, end - 1))
    for j in range(i, last + 1):
        kind = stream.kinds[j]
        if kind is TEXT:
            parts.append(stream.src(j))
        elif kind is CHARREF:
            parts.append(decode_charref(stream.src(j)))
        elif kind is RAWTEXT:
            continue
        elif stream.names[j] in _BLOCK_SEPARATORS:
            parts.append(" ")
    return "".join(parts)
