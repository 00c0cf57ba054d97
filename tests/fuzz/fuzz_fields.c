/*
 * Every field's validator (the one table, src/fields.c) on any text, as typed
 * in the wizard or given by a flag or an answers file, in a connector of each
 * URL type and connection type. Properties: F5's fix, when a message names
 * one, is a value the field takes; a message, as every message is shown
 * (ident_redact_tokens), holds no 20 characters of a token in the text; the
 * identifier derived from a valid name is valid.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "fields.h"
#include "fuzz.h"
#include "ident.h"

const char fuzz_target_name[] = "fields";

/*
 * Does msg hold 20 characters in a row of the token run tok (tok_len long), as they are nowhere
 * else in the text (rest: the text with the token blanked)?
 */
static int shows_token(const char *msg, const char *tok, size_t tok_len, const char *rest)
{
	char part[21];

	for (size_t at = 0; at + 20 <= tok_len; at++) {
		memcpy(part, tok + at, 20);
		part[20] = '\0';
		if (strstr(msg, part) && !strstr(rest, part))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	size_t tok_len = 0;
	const char *tok = ident_token_run(text, &tok_len);
	char *rest = fuzz_strndup(data, size);
	char msg[FIELD_MSG_MAX], fix[FIELD_MSG_MAX], why[FIELD_MSG_MAX], id[IDENT_ID_MAX + 1];

	if (tok)
		memset(rest + (tok - text), '\1', tok_len);
	for (int variant = 0; variant < 4; variant++) {
		struct connector *c = connector_new();

		if (!c || !fields_set(c, FIELD_URL_TYPE, variant & 1 ? "repo" : "project", msg, sizeof(msg)) ||
		    !fields_set(c, FIELD_CONNECTION, variant & 2 ? "ssh" : "http", msg, sizeof(msg)))
			abort();
		for (int f = 0; f < FIELD_COUNT; f++) {
			if (fields_validate(c, (enum field_id)f, text, NULL, msg, sizeof(msg))) {
				if (f == FIELD_NAME)
					ident_from_name(text, id, sizeof(id));
				if (f == FIELD_NAME && *id && !ident_check_identifier(id, "identifier", why, sizeof(why)))
					abort(); /* a name whose derived identifier is refused */
				continue;
			}
			if (fields_suggestion(c, (enum field_id)f, msg, NULL, fix, sizeof(fix)) &&
			    !fields_validate(c, (enum field_id)f, fix, NULL, why, sizeof(why)))
				abort(); /* F5 would put in a value the field refuses */
			ident_redact_tokens(msg);
			if (tok && shows_token(msg, tok, tok_len, rest))
				abort(); /* a token on the screen */
		}
		connector_free(c);
	}
	free(rest);
	free(text);
	return 0;
}
