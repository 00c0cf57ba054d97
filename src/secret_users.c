/* Which saved connectors name a secret: the store's ids as the connector files use them. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "connector_file.h"
#include "fields.h"
#include "secret_users.h"

const char *secret_users_id(const struct connector *c, int id)
{
	const char *v = connector_get(c, id);

	return fields_at(id)->kind == FIELD_SECRET && fields_applies(c, id) ? v : NULL;
}

void secret_users_of(const char *dir, const char *id, char *buf, size_t buflen, char *refused, size_t refusedlen,
                     enum store_kind *kind)
{
	char **ids = NULL, msg[512];
	size_t n = 0, at = 0, rat = 0;

	buf[0] = refused[0] = '\0';
	if (connector_file_ids(dir, &ids, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct connector *c = NULL;
		bool uses = false;

		/* A file refused (its mode, a slip in it) may name it: said apart, so nothing it needs goes unasked. */
		if (connector_file_load(dir, ids[i], &c, msg, sizeof(msg)) != CONNECTOR_FILE_OK) {
			if (rat < refusedlen)
				rat += (size_t)snprintf(refused + rat, refusedlen - rat, "%s%s", rat ? ", " : "", ids[i]);
			continue;
		}
		for (int f = 0; f < FIELD_COUNT; f++)
			if (secret_users_id(c, f) && connector_is(c, f, id)) {
				uses = true;
				if (kind)
					*kind = fields_at(f)->store_kind;
			}
		connector_free(c);
		if (uses && at < buflen)
			at += (size_t)snprintf(buf + at, buflen - at, "%s%s", at ? ", " : "", ids[i]);
	}
	connector_file_free_ids(ids, n);
}

size_t secret_users_unused(const char *dir, const struct connector *was, char (*ids)[IDENT_SECRET_ID_MAX + 1],
                           size_t max)
{
	char users[1024], refused[1024];
	size_t n = 0;

	for (int id = 0; was && id < FIELD_COUNT && n < max; id++) {
		const char *v = secret_users_id(was, id);
		bool listed = false;

		/* Two fields may share one secret (the API token is the HTTP token's by default). */
		for (size_t i = 0; v && i < n; i++)
			listed |= strcmp(ids[i], v) == 0;
		if (!v || listed || strlen(v) > IDENT_SECRET_ID_MAX)
			continue;
		/* With a refused file about, not known to be unused: not offered for removal. */
		secret_users_of(dir, v, users, sizeof(users), refused, sizeof(refused), NULL);
		if (!*users && !*refused)
			snprintf(ids[n++], sizeof(ids[0]), "%s", v);
	}
	return n;
}
