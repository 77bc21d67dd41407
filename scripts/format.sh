#!/usr/bin/env bash
# Format the C sources (*.c, *.h under lib/, app/ and tests/unit/) as .clang-format says,
# with clang-format 14 (Debian 12's; scripts/setup.sh installs it): another version
# formats differently, so none other is used.
#   scripts/format.sh           reformat them in place
#   scripts/format.sh --check   change nothing; list the files that differ, exit 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
case "${1:-}" in
"") ;;
--check) check=true ;;
*)
	echo "usage: scripts/format.sh [--check]" >&2
	exit 2
	;;
esac

want=14
major() {
	"$1" --version 2>/dev/null | sed -n 's/.*clang-format version \([0-9]*\).*/\1/p' | head -n 1
}
cf=""
found=()
for c in clang-format-$want clang-format; do
	command -v "$c" >/dev/null || continue
	v=$(major "$c")
	if [ "$v" = "$want" ]; then
		cf=$c
		break
	fi
	found+=("$c: version ${v:-unknown}")
done
if [ -z "$cf" ]; then
	if [ ${#found[@]} -eq 0 ]; then
		found=("none")
	fi
	echo "format.sh: needs clang-format $want (scripts/setup.sh installs it); found:" \
		"$(printf '%s, ' "${found[@]}" | sed 's/, $//')" >&2
	exit 1
fi
# A .clang-format this version cannot read is said as such, not as files that differ.
"$cf" --style=file --assume-filename=lib/x.c --dump-config >/dev/null

mapfile -t files < <(find lib app tests/unit -type f \( -name '*.c' -o -name '*.h' \) | sort)

if ! $check; then
	"$cf" --style=file -i "${files[@]}"
	exit 0
fi

differ=()
for f in "${files[@]}"; do
	"$cf" --style=file --dry-run -Werror "$f" >/dev/null 2>&1 || differ+=("$f")
done
if [ ${#differ[@]} -gt 0 ]; then
	echo "format.sh: ${#differ[@]} of ${#files[@]} files differ from .clang-format" \
		"(scripts/format.sh reformats them; $cf FILE | diff FILE - shows how):" >&2
	printf '  %s\n' "${differ[@]}" >&2
	exit 1
fi
echo "format.sh: ${#files[@]} files formatted as .clang-format says ($cf)"
