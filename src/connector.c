#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "connector.h"

struct connector *connector_new(void)
{
	return calloc(1, sizeof(struct connector));
}

void connector_free(struct connector *c)
{
	if (!c)
		return;
	for (int i = 0; i < FIELD_COUNT; i++)
		free(c->val[i]);
	free(c);
}

const char *connector_get(const struct connector *c, enum field_id id)
{
	return c->val[id];
}

const char *connector_value(const struct connector *c, enum field_id id)
{
	return c->val[id] ? c->val[id] : fields_at(id)->def;
}

bool connector_is(const struct connector *c, enum field_id id, const char *value)
{
	const char *v = connector_value(c, id);

	return v && strcmp(v, value) == 0;
}

int connector_put(struct connector *c, enum field_id id, const char *value)
{
	char *copy = NULL;

	if (value && *value) {
		copy = strdup(value);
		if (!copy)
			return -1;
	}
	free(c->val[id]);
	c->val[id] = copy;
	return 0;
}

struct connector *connector_dup(const struct connector *c)
{
	struct connector *d = connector_new();

	for (int i = 0; d && i < FIELD_COUNT; i++)
		if (connector_put(d, i, c->val[i]) != 0) {
			connector_free(d);
			return NULL;
		}
	return d;
}
