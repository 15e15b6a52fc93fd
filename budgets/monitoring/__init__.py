"""Monitoring returns: per schedule, financial year and period, each budget line's actual to date and forecast outturn."""
