#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "msg.h"
#include "utf8.h"

char *json_print(const cJSON *tree)
{
	char *json = cJSON_Print(tree);
	char *text = NULL;

	if (json) {
		size_t n = strlen(json) + 2;

		text = malloc(n);
		if (text)
			snprintf(text, n, "%s\n", json);
	}
	cJSON_free(json);
	return text;
}

int json_put(FILE *out, cJSON *tree)
{
	char *text = tree ? json_print(tree) : NULL;

	cJSON_Delete(tree);
	if (!text)
		return -1;
	fputs(text, out);
	free(text);
	return 0;
}

void json_add_messages(cJSON *o, const char *said)
{
	cJSON *msgs = cJSON_AddArrayToObject(o, "messages");
	const char *prefix = AZ_PROGRAM ": ";
	size_t plen = strlen(prefix);

	for (const char *p = said ? said : ""; msgs && *p;) {
		size_t len = strcspn(p, "\n");
		size_t skip = len >= plen && strncmp(p, prefix, plen) == 0 ? plen : 0;
		char *line = strndup(p + skip, len - skip);

		/* A path or a name given may hold bytes that are not UTF-8: JSON cannot. */
		if (line) {
			utf8_scrub(line);
			cJSON_AddItemToArray(msgs, cJSON_CreateString(line));
		}
		free(line);
		p += len + (p[len] == '\n');
	}
}
