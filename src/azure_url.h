/* Azure DevOps URLs: parse, validate against URL type and connection type, derive. */
#ifndef AZ_AZURE_URL_H
#define AZ_AZURE_URL_H

#include <stdbool.h>
#include <stddef.h>

enum az_url_type { AZ_URL_PROJECT, AZ_URL_REPO };
enum az_connection { AZ_CONN_HTTP, AZ_CONN_SSH };

/*
 * Is text a valid URL for this URL type and connection type? true, or false
 * with a one-line message naming the fix in msg (e.g. "remove '/_git/web':
 * a Project URL ends at the project").
 */
bool azure_url_check(const char *text, enum az_url_type type, enum az_connection conn,
                     bool allow_http, char *msg, size_t msglen);

enum azure_name_kind { AZURE_NAME_PROJECT, AZURE_NAME_REPO };

/* Azure naming rules for a project or repository name (a name, never a URL). */
bool azure_name_check(const char *name, enum azure_name_kind kind, char *msg, size_t msglen);

#endif
