"""Search: typed queries expanded, run, counted by facet, highlighted, grouped and exported."""
