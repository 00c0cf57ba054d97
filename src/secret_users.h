/* Which saved connectors name a secret: the store's ids as the connector files use them. */
#ifndef AZ_SECRET_USERS_H
#define AZ_SECRET_USERS_H

#include <stdbool.h>
#include <stddef.h>

#include "connector.h"
#include "ident.h"
#include "store.h"

/* Is id a secret field of c that applies, with a store id? That id, else NULL. */
const char *secret_users_id(const struct connector *c, int id);

/* Does connector c name secret id (in a field that applies)? With kind, what the (last) one naming it needs. */
bool secret_users_names(const struct connector *c, const char *id, enum store_kind *kind);

/* The connectors saved in dir, loaded once to ask about many secrets (F4's list). */
struct secret_users {
	char **ids;            /* sorted */
	struct connector **c;  /* NULL where the file is refused */
	size_t n;
};

/* 0, or -1 (errno) when dir cannot be read. */
int secret_users_load(const char *dir, struct secret_users *u);
void secret_users_free(struct secret_users *u);

/* secret_users_of on connectors loaded before. */
void secret_users_in(const struct secret_users *u, const char *id, char *buf, size_t buflen, char *refused,
                     size_t refusedlen, enum store_kind *kind);

/*
 * The connectors saved in dir that name secret id, as "a, b" in buf ("" for none); those whose
 * file is refused (they may), apart in refused; with kind, what the (last) one naming it needs.
 */
void secret_users_of(const char *dir, const char *id, char *buf, size_t buflen, char *refused, size_t refusedlen,
                     enum store_kind *kind);

/*
 * The secrets the connector was (before an edit, or a delete) named that no
 * connector saved in dir names now, each once: into ids, at most max. Their number.
 * Those that no connector read names, but a refused file may: in maybe, as "a, b".
 */
size_t secret_users_unused(const char *dir, const struct connector *was, char (*ids)[IDENT_SECRET_ID_MAX + 1],
                           size_t max, char *maybe, size_t maybelen);

#endif
