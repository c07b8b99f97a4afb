"""WP002: core media shortcodes (``[gallery]``, ``[embed]``, ``[audio]``, ``[video]``,
``[playlist]``, Jetpack embeds) in content that leaves WordPress."""

from __future__ import annotations

import re
from collections.abc import Callable

from ...document import Document
from ...model import Applicability, Edit, Fix, FixAvailability
from ._shortcodes import Shortcode, ShortcodeFamilyRule, parse_attributes

#: An absolute http(s) URL, protocol-relative or root-relative path: never ``javascript:``,
#: never a quote or bracket that could break out of the attribute.
_URL = re.compile(r"(?:https?:)?//[^\s\"'<>\[\]`]+|/[^\s\"'<>\[\]`/][^\s\"'<>\[\]`]*")
_AUDIO_SOURCES = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac")
_VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")


class MediaShortcode(ShortcodeFamilyRule):
    """Media shortcode (`[gallery]`, `[embed]`, `[audio]`, `[video]`, `[playlist]`) left in content that leaves WordPress.

    ## What it does
    Flags the core media shortcodes `[gallery]`, `[embed]`, `[audio]`, `[video]` and
    `[playlist]`, and the WordPress.com/Jetpack embeds (`[youtube URL]`, `[vimeo …]`,
    `[soundcloud …]`, `[tweet …]`, ...), and a closer such as `[/embed]` with no opener.

    The target decides: with target `generic`, `static` or `ghost` they are reported; with
    target `wordpress` WordPress renders them, so only a stray closer is reported.

    ## Why is this bad?
    Outside WordPress nothing renders them: the reader sees `[embed]https://…[/embed]` or
    `[audio mp3="…"][/audio]` as text and gets no player. A `[gallery]` or `[playlist]`
    names attachments by id (or means "the post's attachments"): the media are not in the
    content at all.

    ## Example
    ```html
    <p>[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]</p>
    <p>[audio mp3="https://example.com/talk.mp3"][/audio]</p>
    ```

    Use instead:
    ```html
    <p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>
    <p><audio controls src="https://example.com/talk.mp3"><a href="https://example.com/talk.mp3">https://example.com/talk.mp3</a></audio></p>
    ```

    ## Fix safety
    Unsafe: the page shows a link or a player where it showed the shortcode's text. `[embed]`
    and the Jetpack embeds become a link to their URL (an oEmbed needs the provider; a link
    keeps the content reachable); `[audio]` and `[video]` become `<audio controls>`/`<video
    controls>` with their first source, `poster`, `width` and `height`, and a fallback link.
    Only http(s), protocol-relative and root-relative URLs are used, so no fix creates a
    `javascript:` URL. `[gallery]`, `[playlist]` and embeds without a URL (`[vimeo 12345]`)
    are reported without a fix: what they show is not in the content. In text mode the fix
    leaves the bare URL. Deleting a stray closer is safe: it removes only the debris.
    """

    code = "WP002"
    name = "media-shortcode"
    fix_availability = FixAvailability.SOMETIMES
    family = "media"
    noun = "Media shortcode"

    def conversion(
        self, doc: Document, opener: Shortcode, closer: Shortcode | None,
        deletion: Callable[[int, int], tuple[int, int]],
    ) -> Fix | None:
        named, positional = parse_attributes(opener.attrs)
        inner = doc.text[opener.end : closer.start].strip() if closer else ""
        end = closer.end if closer else opener.end
        name = opener.name
        if name in ("audio", "video"):
            if inner:
                return None
            sources = _AUDIO_SOURCES if name == "audio" else _VIDEO_SOURCES
            url = next((named[key] for key in sources if _URL.fullmatch(named.get(key, ""))), None)
            if url is None:
                return None
            replacement = _player(name, url, named) if doc.is_html else url
            message = f"Replace the shortcode with an `<{name}>` player" if doc.is_html else "Replace the shortcode with its URL"
        elif name in ("gallery", "playlist"):
            return None
        else:  # [embed] and the Jetpack embeds: the URL is the content or the first argument
            if opener.attrs.startswith("="):  # Jetpack's [youtube=URL]
                positional = [opener.attrs[1:].strip()]
            candidates = [inner, named.get("url", ""), named.get("src", ""), *positional[:1]]
            url = next((c for c in candidates if _URL.fullmatch(c)), None)
            if url is None:
                return None
            replacement = f'<a href="{url}">{url}</a>' if doc.is_html else url
            message = "Replace the shortcode with a link to its URL" if doc.is_html else "Replace the shortcode with its URL"
        return self.fix(message, Edit.replace(opener.start, end, replacement), applicability=Applicability.UNSAFE)


def _player(name: str, url: str, named: dict[str, str]) -> str:
    attributes = [f'controls src="{url}"']
    if name == "video":
        for key in ("width", "height"):
            if named.get(key, "").isdigit():
                attributes.append(f'{key}="{named[key]}"')
        if _URL.fullmatch(named.get("poster", "")):
            attributes.append(f'poster="{named["poster"]}"')
    if named.get("loop", "") in ("on", "1", "true"):
        attributes.append("loop")
    return f'<{name} {" ".join(attributes)}><a href="{url}">{url}</a></{name}>'
