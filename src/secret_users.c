/* Which saved connectors name a secret: the store's ids as the connector files use them. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connector_file.h"
#include "fields.h"
#include "secret_users.h"

const char *secret_users_id(const struct connector *c, int id)
{
	const char *v = connector_get(c, id);

	return fields_at(id)->kind == FIELD_SECRET && fields_applies(c, id) ? v : NULL;
}

bool secret_users_names(const struct connector *c, const char *id, enum store_kind *kind)
{
	bool uses = false;

	for (int f = 0; f < FIELD_COUNT; f++)
		if (secret_users_id(c, f) && connector_is(c, f, id)) {
			uses = true;
			if (kind)
				*kind = fields_at(f)->store_kind;
		}
	return uses;
}

int secret_users_load(const char *dir, struct secret_users *u)
{
	char msg[512];

	memset(u, 0, sizeof(*u));
	if (connector_file_ids(dir, &u->ids, &u->n) != 0)
		return -1;
	if (u->n && !(u->c = calloc(u->n, sizeof(*u->c)))) {
		secret_users_free(u);
		return -1;
	}
	/* A file refused (its mode, a slip in it) stays NULL: it may name any secret. */
	for (size_t i = 0; i < u->n; i++)
		if (connector_file_load(dir, u->ids[i], &u->c[i], msg, sizeof(msg)) != CONNECTOR_FILE_OK)
			u->c[i] = NULL;
	return 0;
}

void secret_users_in(const struct secret_users *u, const char *id, char *buf, size_t buflen, char *refused,
                     size_t refusedlen, enum store_kind *kind)
{
	size_t at = 0, rat = 0;

	buf[0] = refused[0] = '\0';
	for (size_t i = 0; i < u->n; i++) {
		/* Said apart, so nothing a refused file needs goes unasked. */
		if (!u->c[i]) {
			if (rat < refusedlen)
				rat += (size_t)snprintf(refused + rat, refusedlen - rat, "%s%s", rat ? ", " : "", u->ids[i]);
			continue;
		}
		if (secret_users_names(u->c[i], id, kind) && at < buflen)
			at += (size_t)snprintf(buf + at, buflen - at, "%s%s", at ? ", " : "", u->ids[i]);
	}
}

void secret_users_free(struct secret_users *u)
{
	for (size_t i = 0; u->c && i < u->n; i++)
		connector_free(u->c[i]);
	free(u->c);
	connector_file_free_ids(u->ids, u->n);
	memset(u, 0, sizeof(*u));
}

void secret_users_of(const char *dir, const char *id, char *buf, size_t buflen, char *refused, size_t refusedlen,
                     enum store_kind *kind)
{
	struct secret_users u;

	buf[0] = refused[0] = '\0';
	if (secret_users_load(dir, &u) != 0)
		return;
	secret_users_in(&u, id, buf, buflen, refused, refusedlen, kind);
	secret_users_free(&u);
}

size_t secret_users_unused(const char *dir, const struct connector *was, char (*ids)[IDENT_SECRET_ID_MAX + 1],
                           size_t max, char *maybe, size_t maybelen)
{
	struct secret_users u;
	char users[1024], refused[1024];
	size_t n = 0, at = 0;

	*maybe = '\0';
	/* Not read: none known to be unused. */
	if (!was || secret_users_load(dir, &u) != 0)
		return 0;
	for (int id = 0; id < FIELD_COUNT && n < max; id++) {
		const char *v = secret_users_id(was, id);
		bool seen = false;

		/* Two fields may share one secret (the API token is the HTTP token's by default): said once. */
		for (int o = 0; v && o < id; o++)
			seen |= secret_users_id(was, o) && strcmp(secret_users_id(was, o), v) == 0;
		if (!v || seen || strlen(v) > IDENT_SECRET_ID_MAX)
			continue;
		/* With a refused file about, not known to be unused: not offered for removal. */
		secret_users_in(&u, v, users, sizeof(users), refused, sizeof(refused), NULL);
		if (!*users && !*refused)
			snprintf(ids[n++], sizeof(ids[0]), "%s", v);
		else if (!*users && at < maybelen) /* an id that looks like a token is not repeated */
			at += (size_t)snprintf(maybe + at, maybelen - at, "%s%s", at ? ", " : "",
			                       ident_looks_like_token(v) ? "(withheld)" : v);
	}
	secret_users_free(&u);
	return n;
}
