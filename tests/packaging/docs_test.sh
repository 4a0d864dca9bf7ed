#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The man pages and the bash completion tell the truth about the programs:
# each page's OPTIONS section lists exactly the options of `PROGRAM --help`
# and formats without warnings; completing `lottery --` offers exactly those
# options, every value it offers for --backend and --policy is accepted, and
# `lottery run ... -- ` completes a command.
# Usage: docs_test.sh SOURCE_DIR BIN_DIR
set -euo pipefail

top=$1
bin=$2
failures=0

check() {
	if "$@"; then
		return 0
	fi
	failures=$((failures + 1))
}

options_in_help() {
	"$bin/$1" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u
}

options_in_page() {
	sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$top/doc/$1.1" | sed 's/\\-/-/g' |
		grep -oE -- '--[a-z][a-z-]*' | sort -u
}

page_matches_help() {
	local program=$1 warnings
	if ! diff -u <(options_in_help "$program") <(options_in_page "$program") >/tmp/docs.$$; then
		echo "FAIL: $program.1 and '$program --help' list different options (- help, + page):"
		sed -n '3,$p' /tmp/docs.$$
		rm -f /tmp/docs.$$
		return 1
	fi
	rm -f /tmp/docs.$$
	warnings=$(LC_ALL=C.UTF-8 man --warnings -l "$top/doc/$program.1" 2>&1 >/dev/null)
	[ -z "$warnings" ] || { echo "FAIL: $program.1 formats with warnings: $warnings"; return 1; }
	echo "PASS: $program.1 documents the $(options_in_help "$program" | wc -l) options of $program --help"
}

for program in lottery lottery-spawn lottery-tracer; do
	check page_matches_help "$program"
done

# --- bash completion ----------------------------------------------------------
completions() {
	PATH="$bin:$PATH" bash -c 'source /usr/share/bash-completion/bash_completion
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_lottery lottery "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}"' _ "$top/completion/lottery" "$@"
}

# A value is accepted when lottery fails on the missing device or pin
# directory (1), not on its arguments (2).
accepted() {
	local status=0
	"$bin/lottery" "$@" --device /nonexistent/lottery --pin-dir /nonexistent/sched_trace \
		--rounds 1 >/dev/null 2>&1 || status=$?
	[ $status -ne 2 ]
}

completion_is_right() {
	diff -u <(options_in_help lottery) <(completions lottery -- | sort) ||
		{ echo "FAIL: 'lottery --<TAB>' differs from lottery --help (above)"; return 1; }
	local option value offered
	for option in --backend --policy; do
		offered=$(completions lottery "$option" '' | tr '\n' ' ')
		[ -n "$offered" ] || { echo "FAIL: 'lottery $option <TAB>' offers nothing"; return 1; }
		for value in $offered; do
			accepted "$option" "$value" ||
				{ echo "FAIL: lottery refuses '$option $value', which completion offers"; return 1; }
		done
		echo "PASS: 'lottery $option <TAB>' offers $offered"
	done
	echo "PASS: 'lottery --<TAB>' offers the $(options_in_help lottery | wc -l) options of lottery --help"
	if "$bin/lottery" --help | grep -q '^ *lottery run '; then
		[ "$(completions lottery r)" = run ] ||
			{ echo "FAIL: 'lottery r<TAB>' does not offer run"; return 1; }
		completions lottery run --cpus 0 -- cpu_ta | grep -qx cpu_task ||
			{ echo "FAIL: 'lottery run -- cpu_ta<TAB>' does not complete the command"; return 1; }
		echo "PASS: 'lottery r<TAB>' offers run, and 'lottery run -- cpu_ta<TAB>' the command"
	fi
}

if [ -r /usr/share/bash-completion/bash_completion ]; then
	check completion_is_right
else
	echo "FAIL: bash-completion is not installed: apt-get install bash-completion"
	failures=$((failures + 1))
fi

[ $failures -eq 0 ]
