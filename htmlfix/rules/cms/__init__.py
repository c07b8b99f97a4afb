"""CMS cruft rules (code family ``CM``): empty paragraphs, ``&nbsp;`` runs, leaked boilerplate."""
