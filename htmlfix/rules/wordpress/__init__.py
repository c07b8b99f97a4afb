"""WordPress rules (code family ``WP``): shortcodes, Gutenberg block comments, wpautop artifacts
and WXR transport damage. Which of these are content and which are damage depends on the target
(``doc.settings.target``); see :mod:`htmlfix.rules.cms._shared`."""
