"""Classification: countries, target types, indicators, dates and language of a text."""
