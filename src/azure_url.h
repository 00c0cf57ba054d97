/* Azure DevOps URLs: parse, validate against URL type and connection type, derive. */
#ifndef AZ_AZURE_URL_H
#define AZ_AZURE_URL_H

#include <stdbool.h>
#include <stddef.h>

enum az_url_type { AZ_URL_PROJECT, AZ_URL_REPO };
enum az_connection { AZ_CONN_HTTP, AZ_CONN_SSH };

/*
 * Does text (spaces around it aside) hold a password, or a user name that is
 * not the organization (maybe a token), before its host? Such text is refused
 * by azure_url_check, and must not be kept anywhere (a draft).
 */
bool azure_url_has_credentials(const char *text);

/*
 * Is text a valid URL for this URL type and connection type? true, or false
 * with a one-line message naming the fix in msg (e.g. "remove '/_git/web':
 * a Project URL ends at the project").
 */
bool azure_url_check(const char *text, enum az_url_type type, enum az_connection conn,
                     bool allow_http, char *msg, size_t msglen);

/*
 * Can Harness's API access read the organization and project from text (a
 * URL azure_url_check takes)? Its cuts need the Services' plain forms
 * (git@ssh.dev.azure.com:v3/..., https://dev.azure.com/... without a port or
 * the _git shorthand, or {org}.visualstudio.com/DefaultCollection/...).
 * true, or false with the same project or repository in such a form in msg.
 */
bool azure_url_api_ok(const char *text, char *msg, size_t msglen);

/*
 * The URL type text reads as, its raw spaces or '.git' suffix aside: whether
 * it names a repository. false when it is no Azure URL to tell from.
 */
bool azure_url_type_of(const char *text, enum az_url_type *type);

/*
 * The repository text names (decoded, malloc'ed), the slips its message sets aside (spaces
 * around it, raw spaces, a query, '.git'); NULL when it names none.
 */
char *azure_url_repo_named(const char *text);

enum azure_transport { AZURE_HTTPS, AZURE_HTTP, AZURE_SSH };

/*
 * A parsed Azure DevOps URL. Names are stored decoded (real spaces, UTF-8);
 * every derived URL encodes them again (%20 ...).
 *
 * Services: host dev.azure.com, {org}.visualstudio.com, ssh.dev.azure.com or
 * vs-ssh.visualstudio.com; org is the organization. Any other host is
 * Azure DevOps Server (server = true): org and collection are both the
 * collection, which plays the organization's role (REST base, API paths).
 */
struct azure_url {
	enum azure_transport transport;
	bool server;      /* Azure DevOps Server or another host, not the Services */
	bool scp;         /* SSH in scp syntax user@host:path (no leading '/') */
	bool shorthand;   /* .../{org}/_git/{repo}: project named like the repo */
	bool tfs;         /* Server path starts with /tfs */
	char *text;       /* the URL as typed, without a trailing '/' */
	char *host;       /* lower case; IPv6 in brackets */
	int port;         /* 0: the transport's default */
	char *user;       /* user-info (never a password); NULL if none */
	char *org;        /* organization (Server: the collection) */
	char *collection; /* Server or DefaultCollection segment; NULL if none */
	char *project;    /* decoded */
	char *repo;       /* decoded; NULL for a project URL */
	char *root;       /* encoded path before the project: "/contoso", "/tfs/Coll", "v3/org" */
	const char *marker; /* segment before the repo in this URL: "_git", "_ssh" or NULL */
};

/*
 * Parse text as any Azure DevOps Git URL form (azure-facts §3). Checks the
 * shape and the names, not the URL type, connection type or http://.
 * 0, or -1 with a one-line message in msg and *u zeroed.
 */
int azure_url_parse(const char *text, struct azure_url *u, char *msg, size_t msglen);
void azure_url_free(struct azure_url *u);

/* The transport's port when none is given: 443, 80 or 22. */
int azure_url_port(const struct azure_url *u);

/* The user an SSH URL logs in as: its own (git@..., or the organization's), else git. */
const char *azure_url_ssh_user(const struct azure_url *u);

/*
 * Derived strings, malloc'ed (NULL when out of memory or not applicable).
 * repo is the URL's own repository, else test_repo (a name; may be NULL
 * for a repository URL).
 *
 * Full repository URL by Harness's rule, on the URL as typed: a repository
 * URL is returned as is; for a project URL, "/_git/<repo>" (HTTP) or
 * "/<repo>" (SSH) is appended with repo percent-encoded. Harness appends the
 * bare name for every SSH URL, also Server ones: this mirrors Harness.
 */
char *azure_url_repo_url(const struct azure_url *u, const char *test_repo);

/*
 * The smart-HTTP ref discovery URL, built from the parts (no user-info,
 * canonical encoding): scheme://host[:port]/.../_git/<repo>/info/refs?service=git-upload-pack.
 * NULL for SSH URLs.
 */
char *azure_url_probe_url(const struct azure_url *u, const char *test_repo);

/*
 * The REST base: https://dev.azure.com/{org} for the Services (also for
 * {org}.visualstudio.com URLs, as Harness rewrites them), else
 * scheme://host[:port]/[tfs/]{collection}. For Server SSH URLs the base is
 * https://host/[tfs/]{collection} (the SSH port says nothing of HTTPS).
 */
char *azure_url_rest_base(const struct azure_url *u);

/* {rest base}/{project}/_apis/git/repositories/{repo} (add ?api-version=...). */
char *azure_url_rest_repo(const struct azure_url *u, const char *test_repo);

/*
 * The argument of git-upload-pack '...', as git sends it for the repository
 * URL (Harness's rule for a project URL): "v3/org/project/repo" for scp
 * syntax, "/v3/org/project/repo" or "/tfs/Coll/Proj/_git/repo" for ssh://.
 * NULL for HTTP URLs.
 */
char *azure_url_ssh_path(const struct azure_url *u, const char *test_repo);

#endif
