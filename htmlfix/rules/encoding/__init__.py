"""EN: encoding damage: mojibake, double escaping, escaped markup, stripped escapes, controls."""
