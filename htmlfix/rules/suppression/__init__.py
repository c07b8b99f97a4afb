"""HF: htmlfix's own directives (inline suppression comments)."""
