"""OF: markup pasted from Microsoft Word and Google Docs."""
