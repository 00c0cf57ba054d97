/*
 * connector_file_parse_answers (`new --answers`: every key optional) on any
 * bytes; and the same bytes as the wizard's draft, whose values and extras
 * must come back as they were from the draft text written of them.
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "connector_file.h"
#include "fuzz.h"

const char fuzz_target_name[] = "connector_answers";

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void draft_round_trip(const char *text, size_t size)
{
	struct connector_draft d, back;
	char msg[512];
	struct connector *c = connector_file_parse_draft(text, size, "draft.json", &d, msg, sizeof(msg));

	if (!c)
		return;
	char *again = connector_file_draft_text(c, &d);
	struct connector *c2 = again ? connector_file_parse_draft(again, strlen(again), "draft.json", &back, msg,
	                                                          sizeof(msg)) : NULL;
	if (again && !c2)
		abort(); /* a draft written that its reader refuses */
	if (c2) {
		if (!connector_file_same(c, c2) || !same_text(d.key_file, back.key_file) ||
		    !same_text(d.key_made, back.key_made) || !same_text(d.base, back.base) ||
		    !same_text(d.ca_file, back.ca_file) || d.at.page != back.at.page || d.at.field != back.at.field ||
		    d.at.sid != back.at.sid)
			abort();
		connector_file_draft_free(&back);
		connector_free(c2);
	}
	free(again);
	connector_file_draft_free(&d);
	connector_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct connector *c;
	char msg[512];

	c = connector_file_parse_answers(text, size, "answers.json", msg, sizeof(msg));
	if (c) {
		free(connector_file_text(c));
		connector_free(c);
	}
	draft_round_trip(text, size);
	free(text);
	return 0;
}
