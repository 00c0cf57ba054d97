# The program as a user meets it: help, version, usage errors, no terminal.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
bin=${AZREPOS_CONNECT:?}
export AZREPOS_CONNECT_HOME="$tap_tmp/home"
plan 85

run "$bin" --help </dev/null
is "$rc" 0 "--help exits 0"
like "$out" '^Usage: azrepos-connect' "--help prints the usage"
for c in new edit list show test delete export secret; do
	like "$out" "^  $c " "--help lists the '$c' command"
done
is "$err" "" "--help writes nothing to stderr"

# Every help fits an 80-column terminal (a line wrapped there reads as two).
wide=
for c in "" new edit list show test delete export secret completion; do
	wide="$wide$("$bin" $c --help </dev/null 2>&1 | awk -v c="${c:-azrepos-connect}" 'length($0) > 80 { print c ": " $0 }')"
done
for f in $("$bin" new --help </dev/null | sed -n '/^Fields/,$s/^  --\([a-z-]*\)[ -].*/\1/p' | sed 's/-file$//'); do
	wide="$wide$("$bin" help "$f" </dev/null 2>&1 | awk -v c="help $f" 'length($0) > 80 { print c ": " $0 }')"
done
is "$wide" "" "every --help and 'help FIELD' line fits in 80 columns"

# help COMMAND: that command's --help; an unknown one is a usage error.
run "$bin" help secret </dev/null
is "$rc:$out" "0:$("$bin" secret --help)" "help secret: what secret --help prints (exit 0)"
run "$bin" help secrt </dev/null
is "$rc:$err" "2:azrepos-connect: help: unknown command or field 'secrt' (did you mean 'secret'?)
Try 'azrepos-connect --help' for more information." "help of an unknown command: said, with the one meant (exit 2)"
run "$bin" help secret set </dev/null
is "$rc:$out" "0:$("$bin" secret --help)" "help secret set: the help of secret, which has set"

# help FIELD: what new --help says of it, with its help, by any of its names.
run "$bin" help validationRepo </dev/null
is "$rc:$(printf '%s\n' "$out" | head -n 3)" "0:The field test-repo of new and edit, on the wizard's Details page:
  --test-repo VALUE
        Test repository (required with url-type project)" "help validationRepo: the field test-repo, its flag and when it applies"
like "$out" "^        The name \(not the URL\) of a repository in the project" "... its help"
like "$out" '^In an answers file: "test-repo"\.$' "... its answers-file key"
run "$bin" help pat-file </dev/null
is "$rc:$(printf '%s\n' "$out" | sed -n 2p)" "0:  --token-file F | --token-stdin | --token-secret ID" "help pat-file: the token's ways in"
like "$out" 'An answers file never holds its value' "... and never in an answers file"
run "$bin" help nope </dev/null
is "$rc:$out" "2:" "help of neither a command nor a field: exit 2, nothing on stdout"
run "$bin" help URL type </dev/null
is "$rc:$(printf '%s\n' "$out" | head -n 1)" "0:The field url-type of new and edit, on the wizard's Details page:" \
	"help URL type, unquoted: the field of that label, not the first word's"
run "$bin" help url junk </dev/null
like "$rc:$err" "^2:azrepos-connect: help: unknown command or field 'url junk'" "help url junk: not url's help (exit 2)"
run "$bin" help url --pat=s3cretvalue123 </dev/null
is "$rc:$(printf '%s' "$err" | grep -c s3cretvalue)" "2:0" "help url with an option after it: exit 2, its value never said back"
run "$bin" --version </dev/null
like "$out" '^azrepos-connect [0-9]+\.[0-9]+\.[0-9]+$' "--version prints name and version"

run "$bin" frobnicate </dev/null
is "$rc" 2 "an unknown command exits 2"
is "$(printf '%s\n' "$err" | head -n 1)" "azrepos-connect: unknown command 'frobnicate'" "the error names the command"
like "$err" "Try 'azrepos-connect --help'" "the error gives the usage hint"
is "$out" "" "nothing on stdout for a usage error"

run "$bin" --no-such-flag </dev/null
is "$rc" 2 "an unknown flag exits 2"
like "$err" "unknown option '--no-such-flag'" "the error names the flag"

# Options by their whole name only: a script's "--dry" would change meaning with a new option.
run "$bin" new --non-interactive --name=x --dry --skip-test </dev/null
is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: new: unknown option '--dry' (did you mean --dry-run?)" \
	"a command's option cut short: exit 2, the whole name offered"
run "$bin" --hom "$tap_tmp/h" list </dev/null
is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: unknown option '--hom' (did you mean --home?)" \
	"... a global option too"
run "$bin" new --non-interactive --tok x </dev/null
like "$err" "unknown option '--tok' \(did you mean --token-file F, --token-stdin or --token-secret ID\?\)" \
	"a secret's flag cut short: its three ways in are named"
# A field by the name the wizard's label, the Harness YAML or a habit gives it: the flag it is.
for o in "connection-type:connection" "validation-repo:test-repo" "pat-file:token-file" \
	"ssh-private-key-file:ssh-key-file" "delegateSelectors:delegate-tags" \
	"personal-access-token:token-file F, --token-stdin or --token-secret ID"; do
	run "$bin" edit x --non-interactive "--${o%%:*}=s3cr3t" </dev/null
	is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: edit: unknown option '--${o%%:*}' (did you mean --${o#*:}?)" \
		"--${o%%:*}: exit 2, --${o#*:} offered"
	unlike "$out$err" "s3cr3t" "--${o%%:*}: the value not repeated"
done

# An option with a value given twice: which one was meant? Said (exit 2), never the last taken
# silently; a list field's flag repeats, as documented.
for args in "secret get x --to-file a --to-file b:secret: --to-file" "export x --format yaml --format json:export: --format" \
	"test x --timeout 5 --timeout 6:test: --timeout" "--home /a --home /b list:--home" \
	"--key-file /a --key-file /b list:--key-file" "new --non-interactive --timeout 5 --timeout 6:new: --timeout" \
	"edit x --non-interactive --description a --description b:edit: --description" \
	"new --non-interactive --token-secret a --token-secret b:new: --token-secret"; do
	run "$bin" ${args%%:*} </dev/null
	is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: ${args#*:} is given twice: give it once" \
		"${args%%:*}: exit 2, the option named"
done
# Options that cancel each other: exit 2, both named.
run "$bin" new --non-interactive --skip-test --save-on-failure </dev/null
like "$rc:$err" "^2:azrepos-connect: new: --save-on-failure keeps a connector whose test failed, and --skip-test runs none" \
	"--skip-test with --save-on-failure: exit 2, said"
run "$bin" new --non-interactive --ascii </dev/null
like "$rc:$err" "^2:azrepos-connect: new: --ascii is how the wizard draws, and --non-interactive runs none" \
	"--ascii with --non-interactive: exit 2, said"
# --json added to a template with --output text: one would be ignored. Both asking for JSON
# agree (as export's --format json --json); test takes --output as new does.
for args in "new --non-interactive --json --output text" "new --non-interactive --output text --json" \
	"test x --output text --json"; do
	run "$bin" $args </dev/null
	like "$rc:$err" "^2:azrepos-connect: ${args%% *}: --output text and --json ask for two formats: give one" "$args: exit 2, said"
done
run "$bin" new --non-interactive --output json --json </dev/null
like "$rc:$out" '^3:\{' "new --output json --json: taken (exit 3 for the missing values, answered in JSON)"
run "$bin" test x --output yaml </dev/null
like "$rc:$err" "^2:azrepos-connect: test: --output takes text or json, not 'yaml'" "test --output yaml: exit 2, said"

# An empty value (a variable not set in a playbook): said, never taken as "here" or a default.
for args in "new --non-interactive --answers:new: --answers" "--home:--home" "--key-file:--key-file" \
	"secret get x --to-file:secret: --to-file" "export x --format:export: --format"; do
	run "$bin" ${args%%:*} "" </dev/null
	is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:azrepos-connect: ${args#*:}: an empty value (an unset variable?)" \
		"${args%%:*} '': exit 2, said"
done
run "$bin" new --non-interactive --dry-run --skip-test --name x --url-type repo --tags a --tags b \
	--url https://dev.azure.com/o/p/_git/r --username u --token-secret t </dev/null
unlike "$err" "given twice" "--tags given twice: both taken (a list)"

# No terminal and no --non-interactive: fail at once, never wait for input.
# A pipe that never closes stands for a stuck stdin; timeout catches a hang.
mkfifo "$tap_tmp/never"
exec 3<>"$tap_tmp/never"
timeout 10 "$bin" <&3 >"$tap_tmp/o" 2>"$tap_tmp/e"
rc=$?
exec 3>&-
is "$rc" 2 "the wizard without a terminal exits 2 at once (124 would be a hang)"
like "$(cat "$tap_tmp/e")" "no terminal.*--non-interactive" "the message says what to do instead"
run "$bin" --home "$tap_tmp/other home" --key-file /k new </dev/null
is "$rc:$err" "2:azrepos-connect: no terminal: the wizard needs one on stdin and stdout; for scripts use 'azrepos-connect --home '$tap_tmp/other home' --key-file /k new --non-interactive' with flags or --answers FILE" \
	"... with this run's --home and --key-file in the command it gives"
run "$bin" --home "$tap_tmp/other home" secret rm x </dev/null
is "$rc:$err" "17:azrepos-connect: there is no secret store yet ($tap_tmp/other home/secrets.store): 'azrepos-connect --home '$tap_tmp/other home' secret set ID' creates it" \
	"no store yet: exit 17, and the command that makes one in this --home"

# A home that is a file: said at once, before any check or prompt (exit 1), the file untouched.
printf 'notes\n' >"$tap_tmp/a-file"
for how in "--home" "AZREPOS_CONNECT_HOME"; do
	if [ "$how" = --home ]; then run "$bin" --home "$tap_tmp/a-file" list </dev/null
	else run env AZREPOS_CONNECT_HOME="$tap_tmp/a-file" "$bin" list </dev/null; fi
	is "$rc:$err:$(cat "$tap_tmp/a-file")" "1:azrepos-connect: $tap_tmp/a-file is not a folder: give a folder as the home (--home DIR, or AZREPOS_CONNECT_HOME); one not there yet is made:notes" \
		"a file as the home ($how): exit 1, said, the file as it was"
done

"$bin" --help >/dev/full 2>/dev/null
is "$?" 1 "a failed write of the output is an error (exit 1)"

[ ! -e "$AZREPOS_CONNECT_HOME" ]
ok $? "usage errors and help create no files"

# A command printed to copy names the program as the shell would find it: by its name when PATH
# finds this program first (installed, or a link to it), else by its absolute path (run from a
# build folder, as the quick start does), so that pasted anywhere it runs this program.
said() { printf '%s\n' "$err" | sed -n "s/.*: '\(.*\) list' shows the saved ones$/\1/p"; }
self=$(realpath "$bin")
mkdir "$tap_tmp/other" "$tap_tmp/link"
ln -s /bin/true "$tap_tmp/other/azrepos-connect"
ln -s "$bin" "$tap_tmp/link/azrepos-connect"
PATH=/usr/bin:/bin run "$bin" show nope </dev/null
is "$(said)" "$self" "not on PATH: the commands printed name its absolute path"
PATH="$tap_tmp/other:$(dirname "$bin"):/usr/bin:/bin" run "$bin" show nope </dev/null
is "$(said)" "$self" "another azrepos-connect first on PATH: the absolute path of this one"
PATH="$tap_tmp/link:/usr/bin:/bin" run "$bin" show nope </dev/null
is "$(said)" "azrepos-connect" "PATH finds this program (through a link): its name"
(cd "$(dirname "$bin")" && PATH=/usr/bin:/bin run ./azrepos-connect show nope </dev/null; printf '%s' "$err" >"$tap_tmp/dot.err")
err=$(cat "$tap_tmp/dot.err")
is "$(said)" "$self" "run as ./azrepos-connect: the absolute path, which works from any folder"

# A token pasted into a path is never repeated in a message (a mistaken paste at 2 a.m.):
# the message stays, the token shows as withheld.
tok=$(head -c 100 /dev/urandom | base32 | tr -d '=\n' | tr 'A-Z' 'a-z' | head -c 52)
: >"$tap_tmp/plainfile"
run "$bin" --home "$tap_tmp/plainfile/$tok" list </dev/null
like "$rc:$err" "^1:azrepos-connect: list: cannot open the connectors folder $tap_tmp/plainfile/\\(a token, not shown\\)/connectors: Not a directory" \
	"a token in --home: said as withheld in a message (msg_error)"
unlike "$out$err" "$tok" "and not repeated anywhere"
run "$bin" new --non-interactive --answers "$tap_tmp/nodir/$tok" </dev/null
like "$rc:$err" "^3:azrepos-connect: answers: cannot read $tap_tmp/nodir/\\(a token, not shown\\): No such file" \
	"a token in an answers file's path: said as withheld in the list of errors"
unlike "$out$err" "$tok" "and not repeated anywhere"

# --flag=value for a flag that takes no value: said as such (exit 2), the value never repeated.
run "$bin" list --json=yes </dev/null
is "$rc:$err" "2:azrepos-connect: list: --json takes no value: give it alone
Try 'azrepos-connect list --help' for more information." "list --json=yes: --json takes no value (exit 2)"
run "$bin" --version=1 </dev/null
like "$rc:$err" "^2:azrepos-connect: --version takes no value: give it alone" "--version=1 (a global option): the same"
