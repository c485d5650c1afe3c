"""Officer triage beyond the basic ticket operations: merges, held messages, analysis, APIP, R8 reports."""
