"""Random tag soup: the structural rules never crash and their safe fixes keep the DOM.

The inputs mix start and end tags of elements with special parsing rules (formatting, tables,
lists, select, SVG/MathML, raw text, document tags) with text, references and comments. For
each: checking and fixing (safe and unsafe) raise nothing; no safe fix is refused by the
oracle; the safe-fixed text parses to the same html5lib tree; nothing safely fixable is left.
The examples are inputs that once broke one of these.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from htmlfix.config import Settings
from htmlfix.document import Mode
from htmlfix.engine import Linter
from htmlfix.model import Applicability
from htmlfix.oracle import dom_fingerprint

TAGS = (
    "a b i em strong span div p ul ol li table tr td th tbody caption h1 h2 select option form svg "
    "math mi path g font nobr button br img hr textarea title script pre code blockquote section "
    "body html head"
).split()
PIECES = ["x", " ", "\n", "&amp;", "&reg", "<!-- c -->", "text", "<!--", "</>", "<div/>", "<p/>", '<b class="c">']

piece = st.one_of(
    st.sampled_from(TAGS).map(lambda name: f"<{name}>"),
    st.sampled_from(TAGS).map(lambda name: f"</{name}>"),
    st.sampled_from(PIECES),
)
SAFE = Linter(Settings(select=("ST",)))
UNSAFE = Linter(Settings(select=("ST",), unsafe_fixes=True))


@settings(max_examples=250, deadline=None)
@given(st.lists(piece, max_size=16).map("".join))
@example("<li><html><h2 class=\"c\"><nobr></svg><p/></body><th></h1></hr><g class=\"c\">")
@example("\n<strong>&amp;<h2><em>x<p/></h2><ul><span>\n")
@example("<nobr></mi><li><svg class=\"c\"><caption></ul></tr><p><strong></th></body><p/><textarea class=\"c\"><pre>")
@example("<table>text</section></ol></ol> <tbody><font>")
@example("</form><math><a><body></select>\n<!--</><tbody></blockquote>")
@example("<!DOCTYPE html></body><head><!-- c --></span></code><pre><html>\n")
@example("<section></svg></hr><li></a> <table>text<li>")
@example("</p><math><mi></a></option></></table><script><code><nobr><strong> ")
def test_safe_structural_fixes_keep_the_dom(text: str) -> None:
    result = SAFE.fix(text, Mode.HTML)
    UNSAFE.fix(text, Mode.HTML)
    assert result.rejected == []
    if result.changed:
        assert dom_fingerprint(result.text) == dom_fingerprint(text)
    assert not any(d.fix is not None and d.fix.applicability is Applicability.SAFE for d in result.remaining)
