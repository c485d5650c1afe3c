"""Reports for supervisors and the head: periods, arithmetic, queries, charts, exports and pages."""
