"""The CMS (CM) and WordPress (WP) rules where users meet them: the seed export on the command
line, the target setting, and the WordPress Theme Unit Test exports (legitimate WordPress
content: with target "wordpress" they must stay almost silent)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import htmlfix
from htmlfix.cli import main
from htmlfix.config import Settings

from .corpus import CORPORA, SEED, require

THEME_TEST = CORPORA / "wordpress-wxr" / "theme-test-data" / "themeunittestdata.wordpress.xml"
A11Y_TEST = CORPORA / "wordpress-wxr" / "a11y-theme-unit-test" / "a11y-theme-unit-test-data.xml"
BLOCK_TEST = CORPORA / "wordpress-wxr" / "theme-test-data" / "64-block-test-data.xml"

CAPTIONED = (
    '<p>[caption id="attachment_6" align="alignright" width="300"]<img src="boat.jpg" alt="" />'
    " The boat[/caption]</p>\n<!-- wp:paragraph -->\n<p>Next.</p>\n<!-- /wp:paragraph -->"
)


def post_bodies(path: Path) -> list[str]:
    """The ``content:encoded`` of every item of a WXR export (a test helper, not a reader)."""
    from lxml import etree

    tree = etree.parse(str(require(path)), etree.XMLParser(huge_tree=True))
    encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
    return [item.findtext(encoded) or "" for item in tree.iter("item")]


def test_seed_cookie_banner_is_reported_on_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    seed = require(SEED)
    last_row = len(seed.read_text(encoding="utf-8").splitlines())
    code = main(["check", "--select", "CM003", str(seed)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"article-export.txt:{last_row}:1: CM003 Cookie or consent banner" in out


def test_seed_banner_removal_is_unsafe_and_removes_only_that_line() -> None:
    text = require(SEED).read_text(encoding="utf-8")
    assert not htmlfix.fix(text, mode="text", select=["CM003"]).changed
    result = htmlfix.fix(text, mode="text", select=["CM003"], unsafe_fixes=True)
    assert result.text == text[: text.rindex("\n")]
    assert "This website uses cookies" not in result.text


@pytest.mark.parametrize(
    "target, codes",
    [
        ("wordpress", []),
        ("generic", ["WP001", "WP008"]),
        ("static", ["WP001", "WP007", "WP007", "WP008"]),
        ("ghost", ["WP001", "WP007", "WP007", "WP008"]),
    ],
)
def test_the_target_decides_what_wordpress_markup_is(target: str, codes: list[str]) -> None:
    found = htmlfix.check(CAPTIONED, mode="html", select=["WP", "CM"], settings=Settings(target=target))
    assert sorted(d.code for d in found) == codes


def test_leaving_wordpress_converts_captions_and_drops_block_comments() -> None:
    result = htmlfix.fix(CAPTIONED, mode="html", select=["WP", "CM"], unsafe_fixes=True,
                         settings=Settings(target="static"))
    assert result.text == (
        '<figure id="attachment_6" class="wp-caption alignright" style="width: 300px">'
        '<img src="boat.jpg" alt="" /><figcaption class="wp-caption-text">The boat</figcaption>'
        "</figure>\n<p>Next.</p>"
    )
    assert not result.remaining and not result.rejected


@pytest.mark.corpus
@pytest.mark.parametrize("path", [THEME_TEST, A11Y_TEST, BLOCK_TEST], ids=lambda p: p.name)
def test_theme_unit_tests_are_almost_silent_for_wordpress(path: Path) -> None:
    settings = Settings(target="wordpress")
    found: Counter[str] = Counter()
    for body in post_bodies(path):
        found.update(d.code for d in htmlfix.check(body, mode="html", select=["WP", "CM"], settings=settings))
    # Read one by one: the only findings are typed double spaces stored as "&nbsp; " (CM002).
    assert set(found) <= {"CM002"}
    assert sum(found.values()) <= 6


@pytest.mark.corpus
def test_block_test_data_leaves_wordpress_cleanly() -> None:
    settings = Settings(target="static")
    for body in post_bodies(BLOCK_TEST):
        result = htmlfix.fix(body, mode="html", select=["WP", "CM"], unsafe_fixes=True, settings=settings)
        assert not result.rejected
        assert "<!-- wp:" not in result.text and "<!-- /wp:" not in result.text
        again = htmlfix.fix(result.text, mode="html", select=["WP", "CM"], unsafe_fixes=True, settings=settings)
        assert again.text == result.text


@pytest.mark.parametrize(
    ("block", "category"),
    [
        ("We use cookies to improve your experience. Accept", "cookie"),
        ("See our cookie settings. Got it", "cookie"),
        ("Cookies being used here. OK", "cookie"),
        ("By continuing to browse you agree. I agree", "cookie"),
        ("Manage consent. Accept all", "cookie"),
        ("We value your privacy. Accept", "cookie"),
        ("Share this: Facebook Twitter", "share"),
        ("Click to share: Email Print", "share"),
        ("Like this: Like Loading…", "share"),
        ("Spread the word: Reddit Pocket", "share"),
        ("Related\u2029First post\u2029Second post\u2029Third post", "related"),
        ("You might also enjoy\u2029First post\u2029Second post\u2029Third", "related"),
        ("Recommended reading\u2029First post\u2029Second post\u2029Third", "related"),
        ("More stories like this\u2029First post\u2029Second post\u2029Third", "related"),
        ("Read next\u2029First post\u2029Second post\u2029Third", "related"),
        ("Subscribe to our weekly newsletter. Subscribe", "subscribe"),
        ("Sign up for our updates. Sign up now", "subscribe"),
        ("Join our mailing list. Join now", "subscribe"),
        ("Enter your email address. Subscribe", "subscribe"),
        ("Delivered to your inbox. Subscribe", "subscribe"),
        ("Never miss a story. Subscribe", "subscribe"),
    ],
)
def test_leaked_boilerplate_classifies_every_phrase_family(block: str, category: str) -> None:
    # Guards the one-regex gate in front of the category patterns: each phrase family must
    # still reach its pattern.
    from htmlfix.rules.cms.leaked_boilerplate import _classify

    assert _classify(block, "<a href='/x'>x</a>") == category
