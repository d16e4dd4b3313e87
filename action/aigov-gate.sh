#!/usr/bin/env bash
# The steps of the aigov gate action (action.yml), one subcommand each, with the inputs in AIGOV_* variables:
#   install  npm installs $AIGOV_PACKAGE into $RUNNER_TEMP/aigov and puts its bin on the job's PATH
#   gate     aigov gate $AIGOV_PLAN: SARIF to $AIGOV_SARIF, markdown to $GITHUB_STEP_SUMMARY; exits as aigov does
#            (0 passed, 1 blocked, 2 could not judge) after writing the outputs exit-code and sarif
set -euo pipefail

install() {
  local prefix="${RUNNER_TEMP:?}/aigov"
  npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error "${AIGOV_PACKAGE:?}"
  echo "$prefix/bin" >>"${GITHUB_PATH:?}"
  # The version and the digest of the rule pack that will judge, for the log.
  "$prefix/bin/aigov" --version
}

gate() {
  local sarif="${AIGOV_SARIF:-aigov.sarif}"
  local args=(gate "${AIGOV_PLAN:?the plan input is required}" --format sarif --output "$sarif" --github-summary)
  [ -n "${AIGOV_POLICY:-}" ] && args+=(--policy "$AIGOV_POLICY")
  local dir
  while IFS= read -r dir; do
    [ -n "$dir" ] && args+=(--rules "$dir")
  done <<<"${AIGOV_RULES:-}"
  [ -n "${AIGOV_FAIL_ON:-}" ] && args+=(--fail-on "$AIGOV_FAIL_ON")
  [ "${AIGOV_BLOCK_EXISTING:-false}" = true ] && args+=(--block-existing)
  # A SARIF file left from an earlier step is not this run's verdict.
  rm -f "$sarif"
  local code=0
  aigov "${args[@]}" || code=$?
  echo "exit-code=$code" >>"${GITHUB_OUTPUT:?}"
  [ -s "$sarif" ] && echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
  return "$code"
}

case "${1:-}" in
  install) install ;;
  gate) gate ;;
  *)
    echo "usage: $0 install|gate" >&2
    exit 2
    ;;
esac
