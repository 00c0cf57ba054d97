# bash completion: commands, options (from --help), choices, saved connector ids.
. "$top_srcdir/tests/tap.sh"
tap_tmpdir
[ -r /usr/share/bash-completion/bash_completion ] || skip_all "bash-completion is not installed"
plan 8
export AZREPOS_CONNECT_HOME="$tap_tmp/home"
PATH="$(dirname "${AZREPOS_CONNECT:?}"):$PATH"
export PATH

# complete WORDS...: what completing the last word offers, sorted, one line.
complete_words() {
	bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1/tools/bash-completion/azrepos-connect"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_azrepos_connect
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
	' complete "$top_srcdir" "$@"
}

is "$(complete_words azrepos-connect "")" "delete edit export list new secret show test " "commands"
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
