#!/usr/bin/env bash
# What one Backstop instance sustains with many schedules (default 100,000): idle CPU against the
# same instance with no clusters and with the clusters but no schedules, the due-poll query, the
# rate of setting schedules through the API (the first [throughApi], default 10,000; the rest are
# written with SQL as the API writes them), and how fast runs that all come due at once are
# dispatched. Usage: bench/scheduler-overhead.sh [schedules] [throughApi] [dispatch limit, minutes]
exec "$(dirname "$0")/run-benchmark.sh" SchedulerOverheadBenchmark "${1:-100000}" "${2:-10000}" "${3:-20}"
