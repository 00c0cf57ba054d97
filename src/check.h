/*
 * The connectivity check (DESIGN.md §4): the probes of one connector run
 * concurrently under one deadline and each gives a result naming the fix.
 *
 *   git-http  GET <git_url> (info/refs?service=git-upload-pack), Basic auth
 *   git-ssh   libssh: host key, public key auth, exec git-upload-pack
 *   api       GET <api_base>/_apis/connectionData, then <api_repo_url>
 *
 * The probes know nothing of connectors, the store or how Azure's URLs are
 * made: the caller fills a check_target (the URLs from the Azure URL model,
 * azure_url.h; secrets as secbufs it owns) and gets check_result structs back.
 */
#ifndef AZ_CHECK_H
#define AZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "secbuf.h"

enum check_transport { CHECK_HTTP, CHECK_SSH };

struct check_target {
	enum check_transport transport;

	/* git-http (CHECK_HTTP): the ref discovery URL (azure_url_probe_url), e.g.
	 * https://dev.azure.com/org/project/_git/repo/info/refs?service=git-upload-pack
	 * (user-info is ignored). username must not be empty (Azure's rule for
	 * Git); token is the PAT. */
	const char *git_url;
	const char *username;
	const struct secbuf *token;

	/* api (when api is true). api_base is the organization or collection
	 * URL (azure_url_rest_base: https://dev.azure.com/org,
	 * https://server/tfs/Collection); also used, when set, to name the page
	 * where a PAT or SSH key is created. api_repo_url is the repository's
	 * REST URL without its api-version (azure_url_rest_repo); NULL: only
	 * connectionData is asked. */
	bool api;
	const char *api_base;
	const char *api_repo_url;
	const struct secbuf *api_token;
	bool api_token_own;   /* not the git token: the api probe's token messages say "the API token" */

	/* git-ssh (CHECK_SSH). ssh_path is the path as in the URL, e.g.
	 * v3/org/project/repo (percent-encoding kept, Azure expects it). */
	const char *ssh_host;
	int ssh_port;                  /* 0: 22 */
	const char *ssh_user;
	const char *ssh_path;
	const struct secbuf *ssh_key;  /* private key text: PEM or OpenSSH */
	const struct secbuf *ssh_key_passphrase; /* NULL: none */
	const char *known_hosts_file;      /* the tool's known_hosts (paths.known_hosts), may be NULL */
	const char *user_known_hosts_file; /* NULL: $HOME/.ssh/known_hosts; "": none */
	const char *accept_host_key;       /* "SHA256:..." from --accept-host-key, or NULL */

	/* All probes. */
	const char *test_repo; /* the test repository of a Project URL (a "not found" names it), or NULL */
	/* The names in the URL, decoded, for a "not found" to say which (any may be NULL). */
	const char *org;      /* the organization, or an Azure DevOps Server's collection (server) */
	const char *project;
	const char *repo;     /* the URL's repository; NULL for a Project URL */
	bool server;
	bool shorthand;       /* .../{org}/_git/{repo}: no project in the URL */
	const char *ca_file;  /* extra trust for a private CA (--ca-file), or NULL */
	bool allow_http;      /* plain http:// allowed (--allow-http) */
	int timeout_ms;       /* the one deadline for everything; <= 0: 30 s */
};

enum check_status { CHECK_OK, CHECK_FAILED, CHECK_SKIPPED };

enum check_category {
	CHECK_CAT_NONE,      /* ok or skipped */
	CHECK_CAT_DNS,
	CHECK_CAT_CONNECT,
	CHECK_CAT_TLS,
	CHECK_CAT_AUTH,
	CHECK_CAT_FORBIDDEN,
	CHECK_CAT_NOT_FOUND,
	CHECK_CAT_PROTOCOL,  /* not git, not Azure, a redirect, a response too big */
	CHECK_CAT_HOST_KEY,
	CHECK_CAT_TIMEOUT,
	CHECK_CAT_SERVER,    /* the server is busy or failing (HTTP 429, 5xx): nothing given is at fault */
	CHECK_CAT_CONFIG,    /* refused before connecting: http not allowed, bad key, ... */
};

enum check_hostkey {
	CHECK_HOSTKEY_NONE,     /* not an SSH probe, or no key seen */
	CHECK_HOSTKEY_PINNED,   /* ssh.dev.azure.com's key built into the program */
	CHECK_HOSTKEY_KNOWN,    /* found in a known_hosts file */
	CHECK_HOSTKEY_ACCEPTED, /* unknown, accepted by accept_host_key: record it */
	CHECK_HOSTKEY_UNKNOWN,  /* unknown: probe FAILED, fingerprint in host_key_fp */
	CHECK_HOSTKEY_CHANGED,  /* differs from a known key: probe FAILED */
	CHECK_HOSTKEY_REVOKED,  /* marked @revoked in a known_hosts file: probe FAILED */
	CHECK_HOSTKEY_UNCHECKED, /* unknown, and a known_hosts file could not be read: probe FAILED */
};

#define CHECK_MAX_PROBES 2
/* The deadline of all probes when none is given (timeout_ms <= 0). */
#define CHECK_DEFAULT_TIMEOUT_MS 30000

struct check_result {
	const char *probe;              /* "git-http", "git-ssh" or "api" */
	enum check_status status;
	enum check_category category;
	char message[1024];             /* one line; on failure it names the fix (paths, fingerprints: room for them) */
	long duration_ms;               /* from the start of the check */
	int ref_count;                  /* git probes: refs advertised, -1 if not read */
	char default_branch[256];       /* git probes: "" when unknown */
	enum check_hostkey host_key_status; /* git-ssh */
	char host_key_fp[128];          /* git-ssh: "SHA256:..." of the server's key */
	char host_key[2048];            /* git-ssh: "<type> <base64>", for known_hosts_add() */
	char key_pub[2048];             /* git-ssh, the key refused: its public key "<type> <base64>" to add */
	bool untrusted_ca;              /* HTTPS: the certificate's issuer is not trusted (a CA file helps) */
	bool bad_ca_file;               /* HTTPS: the CA file given would not load (another one helps) */
};

/*
 * Called while the check runs: when a probe finishes and at least every
 * 100 ms (results[i].status is CHECK_SKIPPED with an empty message while a
 * probe still runs). Return non-zero to cancel: unfinished probes then end
 * as SKIPPED "stopped before it finished".
 */
typedef int (*check_progress_fn)(const struct check_result *results, size_t n, void *user);

/*
 * Run the probes of target concurrently: the git probe of its transport, then
 * api when target->api. Fills results (room for CHECK_MAX_PROBES), returns how
 * many. progress may be NULL. Nothing is written to disk; an accepted host key
 * is reported (CHECK_HOSTKEY_ACCEPTED) for the caller to record.
 */
size_t check_run(const struct check_target *target, struct check_result *results,
                 check_progress_fn progress, void *user);

/* true when every result is OK (exit code AZ_EXIT_CHECK otherwise). */
bool check_all_ok(const struct check_result *results, size_t n);

/*
 * One line per probe: status, probe, seconds, message; an SSH key refused adds an indented line
 * with its public key.
 */
void check_print_text(FILE *out, const struct check_result *results, size_t n);

/* The results as a cJSON tree (the caller deletes it; NULL: no memory), as printed below. */
struct cJSON;
struct cJSON *check_json(const struct check_result *results, size_t n);

/*
 * {"ok":bool,"probes":[{"probe","status","category","message","duration_ms",...,"public_key"}],
 *  "messages":[...]}: ok is false without probes (the check could not run), and
 * messages holds what was said meanwhile (said: msg_capture's text, or NULL).
 */
int check_print_json(FILE *out, const struct check_result *results, size_t n, const char *said);

/* The JSON name of a category ("not-found", ...) or status ("ok", ...). */
const char *check_category_name(enum check_category c);
const char *check_status_name(enum check_status s);

#endif
