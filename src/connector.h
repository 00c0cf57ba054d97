/*
 * The connector model: one value per field of the table (fields.h), held as
 * strings; NULL means not set. Secrets are held as store ids only.
 */
#ifndef AZ_CONNECTOR_H
#define AZ_CONNECTOR_H

#include <stdbool.h>

#include "fields.h"

struct connector {
	char *val[FIELD_COUNT];
};

/* An empty connector (NULL when out of memory); free with connector_free (NULL is fine). */
struct connector *connector_new(void);
void connector_free(struct connector *c);

/* A copy (NULL when out of memory). */
struct connector *connector_dup(const struct connector *c);

/* The stored value, or NULL. */
const char *connector_get(const struct connector *c, enum field_id id);

/* The stored value, else the field's static default, else NULL. */
const char *connector_value(const struct connector *c, enum field_id id);

/* Is connector_value(c, id) equal to value (e.g. FIELD_CONNECTION, "ssh")? */
bool connector_is(const struct connector *c, enum field_id id, const char *value);

/* Store a copy of value as is (NULL or "" clears). 0, or -1 when out of memory. */
int connector_put(struct connector *c, enum field_id id, const char *value);

#endif
