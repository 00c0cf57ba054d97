# bash completion: commands, options (from --help), choices, saved connector ids.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
[ -r /usr/share/bash-completion/bash_completion ] || skip_all "bash-completion is not installed"
plan 46
export AZREPOS_CONNECT_HOME="$tap_tmp/home"
PATH="$(dirname "${AZREPOS_CONNECT:?}"):$PATH"
export PATH
unset CREDENTIALS_DIRECTORY

# complete WORDS...: what completing the last word offers, sorted, one line.
# A word "=" is what bash makes of --opt=value: the line has no blanks around it.
complete_words() {
	bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1/tools/bash-completion/azrepos-connect"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_LINE=${COMP_LINE// = /=}
		[[ ${COMP_WORDS[COMP_CWORD]} == = ]] && COMP_LINE="${COMP_LINE% =}="
		COMP_POINT=${#COMP_LINE}
		_azrepos_connect
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
	' complete "$top_srcdir" "$@"
}

is "$(complete_words azrepos-connect "")" "delete edit export help list new secret show test " "commands"
is "$(complete_words azrepos-connect help "")" "allow-http api-access api-token connection delegate-tags delegates delete description edit export identifier list name new org project scope secret secret-scope show ssh-key ssh-key-passphrase tags test test-repo token url url-type username " \
	"help COMMAND or FIELD: the commands and the fields"
is "$(complete_words azrepos-connect help list "")" "" "... one only"
is "$(complete_words azrepos-connect --h)" "--help --home " "global options"
like "$(complete_words azrepos-connect new --url-)" "--url-type" "new's field flags come from its --help"
like "$(complete_words azrepos-connect new --tok)" "--token-file --token-secret --token-stdin" "secret flags"
is "$(complete_words azrepos-connect new --connection "")" "http ssh " "the choices of a field"
is "$(complete_words azrepos-connect secret "")" "get list rekey rm set " "secret subcommands"

mkdir -p "$AZREPOS_CONNECT_HOME/connectors"
cp "$top_srcdir/tests/data/connectors/"*.json "$AZREPOS_CONNECT_HOME/connectors/"
ids=$(azrepos-connect list --ids | sort | tr '\n' ' ')
[ -n "$ids" ]
ok $? "list --ids prints the saved identifiers"
is "$(complete_words azrepos-connect show "")" "$ids" "saved connector ids for show"
is "$(complete_words azrepos-connect export --format yaml "")" "$ids" "connector ids after an option's value"
is "$(complete_words azrepos-connect edit --name "")" "" "nothing for a value to type (not the connector ids)"

# Global options before the command only: after it the program refuses them.
unlike "$(complete_words azrepos-connect new --)" "--(key-file|home|version)( |$)" "no global options after new"
unlike "$(complete_words azrepos-connect edit web --)" "--(key-file|home|version)( |$)" "no global options after edit"
is "$(complete_words azrepos-connect secret --k)" "--kind " "no --key-file after secret"
is "$(complete_words azrepos-connect --home /x --k)" "--key-file " "global options before the command"
is "$(complete_words azrepos-connect --ascii --non)" "--non-interactive " "an option first starts new: its options"

# Only the options of the secret subcommand typed.
is "$(complete_words azrepos-connect secret set x --)" "--from-file --generate --help --kind " "secret set options"
is "$(complete_words azrepos-connect secret get x --)" "--help --pem --to-file " "secret get options"
is "$(complete_words azrepos-connect secret rm x --)" "--help --withheld --yes " "secret rm options"
is "$(complete_words azrepos-connect secret rekey --)" "--credential --help --new-key-file --reset --yes " \
	"secret rekey options"
is "$(complete_words azrepos-connect secret rekey --reset --)" "--help --yes " \
	"secret rekey --reset: only what goes with it, not --reset again"
v=$(complete_words azrepos-connect secret list --)
has "$v" "--help" "secret list: --help"
unlike "$v" "--(kind|from-file|generate|pem|to-file|yes|withheld|new-key-file|credential|reset) " \
	"secret list: no options of the other subcommands"

# The values of options: choices (from --help), files, folders.
is "$(complete_words azrepos-connect secret set x --kind "")" "password ssh-key-passphrase ssh-private-key token " \
	"secret set --kind choices"
is "$(complete_words azrepos-connect export web --format "")" "json yaml " "export --format choices"
is "$(complete_words azrepos-connect export web --format = "")" "json yaml " "export --format=choices"
is "$(complete_words azrepos-connect new --output "")" "json text " "new --output choices"
is "$(complete_words azrepos-connect edit web --url-type "")" "project repo " "--url-type choices"
is "$(complete_words azrepos-connect new --scope "")" "account org project " "--scope choices"
is "$(complete_words azrepos-connect new --delegates "")" "any tags " "--delegates choices"
is "$(complete_words azrepos-connect new --api-access "")" "false true " "--api-access choices"
d="$tap_tmp/files"
{ mkdir -p "$d/sub" && : >"$d/a.key"; } || bail "cannot make $d"
is "$(complete_words azrepos-connect new --token-file "$d/")" "$d/a.key $d/sub " "--token-file: files"
is "$(complete_words azrepos-connect --answers "$d/")" "$d/a.key $d/sub " "--answers (new, first): files"
is "$(complete_words azrepos-connect test web --ca-file "$d/")" "$d/a.key $d/sub " "test --ca-file: files"
is "$(complete_words azrepos-connect secret get x --to-file "$d/")" "$d/a.key $d/sub " "secret --to-file: files"
is "$(complete_words azrepos-connect --key-file = "$d/")" "$d/a.key $d/sub " "--key-file=: files"
is "$(complete_words azrepos-connect --home "$d/")" "$d/sub " "--home: folders only"

# Secret ids: only when the store opens without a passphrase (key file, credential).
key="$tap_tmp/store.key"
{ head -c 32 /dev/urandom >"$key" && chmod 600 "$key" && printf 'v\n' >"$tap_tmp/value"; } || bail "no key file"
for s in alpha beta; do
	azrepos-connect --key-file "$key" secret set "$s" --from-file "$tap_tmp/value" >/dev/null </dev/null ||
		bail "secret set $s failed"
done
is "$(complete_words azrepos-connect --key-file "$key" secret get "")" "alpha beta " "secret get: secret ids"
is "$(complete_words azrepos-connect --key-file = "$key" secret rm b)" "beta " "secret rm: secret ids"
is "$(complete_words azrepos-connect --key-file "$key" secret rm --withheld "")" "" "rm --withheld takes no id"
is "$(complete_words azrepos-connect --key-file "$key" new --token-secret "")" "alpha beta " "--token-secret: secret ids"

# A stand-in that logs its calls and lists a withheld id: without a key it is not asked.
fake="$tap_tmp/bin/azrepos-connect"
mkdir -p "$tap_tmp/bin" || bail "cannot make $tap_tmp/bin"
{ printf '%s\n' '#!/bin/sh' \
	"printf '%s\\n' \"\$*\" >>'$tap_tmp/calls'" \
	'case " $* " in' \
	"*\" secret list \"*) printf 'ID          KIND   CREATED  UPDATED\\n(withheld)  token  -  -\\nweb-token   token  -  -\\n'; exit 0 ;;" \
	'esac' \
	"exec '$AZREPOS_CONNECT' \"\$@\"" >"$fake" && chmod +x "$fake"; } || bail "cannot make $fake"
: >"$tap_tmp/calls"
is "$(complete_words "$fake" --home "$AZREPOS_CONNECT_HOME" secret get "")" "" "no key: no secret ids"
unlike "$(tr '\n' ';' <"$tap_tmp/calls")" "secret list" "no key: secret list is not run (it would ask a passphrase)"
is "$(complete_words "$fake" --key-file "$key" secret rm "")" "web-token " "no header, no (withheld) entry"

# The systemd credential opens a store without --key-file.
cred="$tap_tmp/cred"
{ mkdir -p "$cred" && head -c 32 /dev/urandom >"$cred/azrepos-connect.key" && chmod 600 "$cred/azrepos-connect.key" &&
	CREDENTIALS_DIRECTORY="$cred" azrepos-connect --key-file "$key" secret rekey --credential >/dev/null </dev/null; } ||
	bail "secret rekey --credential failed"
expected="alpha beta "
command -v setsid >/dev/null || expected="" # without setsid, only --key-file cannot ask
is "$(CREDENTIALS_DIRECTORY="$cred" complete_words azrepos-connect secret get "")" "$expected" \
	"the systemd credential: secret ids"
