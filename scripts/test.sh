#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what the tests need, then runs every test.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl jynamo-testkit -am -Dtest=LlamaCppAgreementTest
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/java.sh
source scripts/lib/java.sh
scripts/setup-test-deps.sh
export JYN_DEPS_DIR="$root/.jynamo/deps"
exec ./mvnw -B -ntp install -Djyn.deps.dir="$JYN_DEPS_DIR" "$@"
