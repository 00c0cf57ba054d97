/*
 * azure_url_parse on any text, then every derived string of a parsed URL,
 * azure_url_check for each URL type and connection, the name rules and
 * percent-decoding on the same bytes. Property: the repository URL derived
 * from a parsed URL parses again, as the same organization, project and repo;
 * and azure_url_type_of reads it as the type it is (a repository or none).
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "azure_name.h"
#include "azure_url.h"
#include "fuzz.h"

const char fuzz_target_name[] = "azure_url";

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void derive(const struct azure_url *u, const char *test_repo)
{
	char *repo = azure_url_repo_url(u, test_repo);

	free(azure_url_probe_url(u, test_repo));
	free(azure_url_rest_base(u));
	free(azure_url_rest_repo(u, test_repo));
	free(azure_url_ssh_path(u, test_repo));
	if (repo && (u->repo || test_repo) && !u->server) {
		struct azure_url v;
		char msg[256];

		if (azure_url_parse(repo, &v, msg, sizeof(msg)) != 0)
			abort(); /* a derived URL the parser refuses */
		if (!same(u->org, v.org) || !same(u->project, v.project) ||
		    !same(u->repo ? u->repo : test_repo, v.repo))
			abort();
		azure_url_free(&v);
	}
	free(repo);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct azure_url u;
	char msg[256];

	enum az_url_type type;
	bool typed = azure_url_type_of(text, &type);

	if (azure_url_parse(text, &u, msg, sizeof(msg)) == 0) {
		if (!typed || (type == AZ_URL_REPO) != (u.repo != NULL))
			abort();
		(void)azure_url_port(&u);
		derive(&u, NULL);
		/* A test repository goes with a URL taken as a Project URL, as in the program. */
		if (!u.repo && azure_url_check(text, AZ_URL_PROJECT, u.transport == AZURE_SSH ? AZ_CONN_SSH : AZ_CONN_HTTP,
		                               true, NULL, 0))
			derive(&u, "fuzz repo");
		azure_url_free(&u);
	}
	for (int t = AZ_URL_PROJECT; t <= AZ_URL_REPO; t++)
		for (int c = AZ_CONN_HTTP; c <= AZ_CONN_SSH; c++)
			(void)azure_url_check(text, (enum az_url_type)t, (enum az_connection)c, c == AZ_CONN_HTTP,
			                      msg, sizeof(msg));
	(void)azure_name_check(text, AZURE_NAME_PROJECT, msg, sizeof(msg));
	(void)azure_name_check(text, AZURE_NAME_REPO, msg, sizeof(msg));
	free(azure_name_decode((const char *)data, size));
	free(azure_name_encode(text));
	free(text);
	return 0;
}
