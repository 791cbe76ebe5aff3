#!/usr/bin/env bash
# The import rule (docs/architecture.md): a target imports only targets of lower layers, never
# sideways or upward. Prints every import that breaks it and exits 1; `make test` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

# target → layer, as docs/architecture.md's table has it.
declare -A layer=(
  [CSndFile]=0 [CFFTW]=0 [COpenBLAS]=0 [CSoxr]=0 [CCrypto]=0
  [Randomness]=1 [Metrics]=1 [Pipeline]=1 [Diagnostics]=1 [ONNX]=1
  [Tensor]=2 [Audio]=2
  [NN]=3 [Datasets]=3 [Spec]=3 [Reports]=3
  [Models]=4
  [Training]=5 [Export]=5
  [Stages]=6
  [speakerlab]=7
)

status=0
for folder in Sources/*/; do
  target=$(basename "$folder")
  [ -n "${layer[$target]+x}" ] || { echo "check-imports: $target has no layer in scripts/check-imports.sh (add it, and to docs/architecture.md)"; status=1; continue; }
  while IFS=: read -r file line text; do
    module=$(sed -E 's/^[[:space:]]*(@testable |@_implementationOnly |internal |public |private )*import[[:space:]]+([A-Za-z0-9_]+).*/\2/' <<<"$text")
    [ -n "${layer[$module]+x}" ] || continue   # Foundation, Glibc, Yams, ArgumentParser…: not ours
    if [ "${layer[$module]}" -ge "${layer[$target]}" ]; then
      echo "$file:$line: $target (layer ${layer[$target]}) imports $module (layer ${layer[$module]}); a target imports only lower layers"
      status=1
    fi
  done < <(grep -nE '^[[:space:]]*(@testable |@_implementationOnly |internal |public |private )*import[[:space:]]' -r "$folder" --include='*.swift' || true)
done
[ "$status" -eq 0 ] && echo "check-imports: every import goes to a lower layer ($(ls -d Sources/*/ | wc -l) targets)"
exit "$status"
