"""TY: typography damage from tokenizers, spinners and rewriters."""
