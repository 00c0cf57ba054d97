# The manual pages render without warnings and have the sections users look for.
. "$top_srcdir/tests/tap.sh"
pages="$top_srcdir/man/azrepos-connect.1"
[ -f "$top_srcdir/man/azrepos-connect.5" ] && pages="$pages $top_srcdir/man/azrepos-connect.5"
plan $(( $(echo $pages | wc -w) * 3 + 7 ))
for page in $pages; do
	warn=$(LC_ALL=C.UTF-8 groff -ww -z -man "$page" 2>&1)
	is "$warn" "" "groff -ww -z: $(basename "$page") has no warnings"
	if command -v mandoc >/dev/null 2>&1; then
		warn=$(mandoc -T lint "$page" 2>&1)
		is "$warn" "" "mandoc -T lint: $(basename "$page") has no messages (style ones too)"
	else
		ok 0 "mandoc -T lint: $(basename "$page") # SKIP mandoc not installed"
	fi
	text=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
	like "$text" "NAME" "$(basename "$page") renders with man -l"
done
page1="$top_srcdir/man/azrepos-connect.1"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" FILES ENVIRONMENT; do
	grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}\$" "$page1"
	ok $? "azrepos-connect.1 has the $s section"
done
