/*
 * connector_file_parse (the strict reader of connector files) on any bytes.
 * Property: a connector read from a file writes a text that reads back to
 * the same text (the writer and the reader agree).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "connector_file.h"
#include "fuzz.h"

const char fuzz_target_name[] = "connector_file";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct connector *c;
	char msg[512];

	c = connector_file_parse(text, size, "fuzz.json", msg, sizeof(msg));
	if (c) {
		char *out = connector_file_text(c), *again;
		struct connector *d;

		if (!out)
			abort();
		d = connector_file_parse(out, strlen(out), "written.json", msg, sizeof(msg));
		if (!d)
			abort(); /* the reader refuses what the writer wrote */
		again = connector_file_text(d);
		if (!again || strcmp(out, again) != 0)
			abort();
		free(again);
		free(out);
		connector_free(d);
		connector_free(c);
	}
	free(text);
	return 0;
}
