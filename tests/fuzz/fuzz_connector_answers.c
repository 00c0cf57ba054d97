/* connector_file_parse_answers (`new --answers`: every key optional) on any bytes. */
#include <config.h>

#include <stdlib.h>

#include "connector.h"
#include "connector_file.h"
#include "fuzz.h"

const char fuzz_target_name[] = "connector_answers";

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
	free(text);
	return 0;
}
