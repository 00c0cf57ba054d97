#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

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
