#!/usr/bin/env bash
# What one Backstop instance sustains with many schedules (default 10,000), against the same
# instance with none as the baseline. Usage: bench/scheduler-overhead.sh [schedules]
exec "$(dirname "$0")/run-benchmark.sh" SchedulerOverheadBenchmark "${1:-10000}"
