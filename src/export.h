/*
 * The Harness connector definition of a connector (azure-facts.md §1): one
 * tree built here, printed as JSON (cJSON) or YAML (libyaml's emitter), so the
 * two formats always carry the same values.
 */
#ifndef AZ_EXPORT_H
#define AZ_EXPORT_H

#include <cjson/cJSON.h>

#include "connector.h"

enum export_format { EXPORT_YAML, EXPORT_JSON };

/*
 * {"connector": {name, identifier, description, orgIdentifier,
 * projectIdentifier, tags, type: AzureRepo, spec}} for a valid connector
 * (fields_validate_all finds nothing). NULL when out of memory.
 */
cJSON *export_tree(const struct connector *c);

/* What goes before a store id in a secret reference: "account.", "org." or "" (the secret scope's value). */
const char *export_ref_prefix(const char *scope);

/*
 * The secret scope as said to a person, with the references Harness is given
 * (export writes them; "Account: account.web-token, account.web-api"): what
 * must exist there, by those names. sids: the store ids of the secrets the
 * connector refers to (NULL for none), each said once.
 */
void export_scope_text(const char *scope, const char *const sids[3], char *out, size_t outlen);

/* The definition as text ending with a newline (malloc'ed; NULL on failure). */
char *export_text(const struct connector *c, enum export_format format);

#endif
