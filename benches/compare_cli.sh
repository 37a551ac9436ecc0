#!/usr/bin/env bash
# Side-by-side: schemadesk validate against check-jsonschema (PyPI) and ajv-cli (npm) on the
# shared workload (../shared/bench/gen_schemas.py). Needs python3/pip, node/npm and hyperfine.
# Usage: benches/compare_cli.sh [WORKDIR]   (results: WORKDIR/*.json and *.md)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
python3 "$here/../shared/bench/gen_schemas.py" "$work/data"
command -v check-jsonschema >/dev/null || pip install -q 'check-jsonschema==0.39.*'
[ -x "$work/ajv/node_modules/.bin/ajv" ] || (mkdir -p "$work/ajv" && cd "$work/ajv" && npm install --silent ajv-cli@5)
(cd "$here" && cargo build --release --locked)
sd="$here/target/release/schemadesk"
ajv="$work/ajv/node_modules/.bin/ajv"
cd "$work/data"
small=(small/*.json)
hyperfine -N --warmup 1 --runs 5 --export-json "$work/big.json" --export-markdown "$work/big.md" \
  "$sd validate big.json" \
  "check-jsonschema --check-metaschema big.json" \
  "$ajv compile --spec=draft2020 --strict=false --all-errors -s big.json"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/instance.json" --export-markdown "$work/instance.md" \
  "$sd validate big.json --sample instance.json" \
  "check-jsonschema --schemafile big.json instance.json" \
  "$ajv validate --spec=draft2020 --strict=false --all-errors -s big.json -d instance.json"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/small.json" --export-markdown "$work/small.md" \
  "$sd validate ${small[*]}" \
  "check-jsonschema --check-metaschema ${small[*]}" \
  "$ajv compile --spec=draft2020 --strict=false -s small/*.json"
for c in "$sd validate big.json" "check-jsonschema --check-metaschema big.json" \
         "$ajv compile --spec=draft2020 --strict=false --all-errors -s big.json"; do
  /usr/bin/time -f "%M KiB peak: $c" $c >/dev/null 2>>"$work/memory.txt" || true
done
echo "results in $work"
