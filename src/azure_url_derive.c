/*
 * The URLs derived from a parsed Azure DevOps URL: the repository's (Harness's
 * rule), the smart-HTTP probe, the REST API's and the SSH path. Names are
 * encoded again from their decoded parts.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "azure_name.h"
#include "azure_url.h"
#include "strbuf.h"

int azure_url_port(const struct azure_url *u)
{
	if (u->port)
		return u->port;
	return u->transport == AZURE_SSH ? 22 : u->transport == AZURE_HTTP ? 80 : 443;
}

const char *azure_url_ssh_user(const struct azure_url *u)
{
	return u->user ? u->user : "git";
}

static const char *url_repo_name(const struct azure_url *u, const char *test_repo)
{
	if (u->repo)
		return u->repo;
	return test_repo && *test_repo ? test_repo : NULL;
}

/* "/" then name; scp paths do not start with '/' (b holds what comes before). */
static void url_add_seg(struct strbuf *b, const struct azure_url *u, const char *name, bool encode)
{
	if (b->len || !u->scp)
		strbuf_add(b, "/");
	if (encode)
		azure_name_encode_to(b, name);
	else
		strbuf_add(b, name);
}

/* The repository's path from the parts: Harness's rule for a project URL. */
static void url_repo_path(struct strbuf *b, const struct azure_url *u, const char *test_repo)
{
	strbuf_add(b, u->root);
	if (!u->shorthand)
		url_add_seg(b, u, u->project, true);
	if (u->repo) {
		if (u->marker)
			url_add_seg(b, u, u->marker, false);
		url_add_seg(b, u, u->repo, true);
		return;
	}
	if (u->transport != AZURE_SSH)
		url_add_seg(b, u, "_git", false);
	url_add_seg(b, u, test_repo, true);
}

/* scheme://host[:port] */
static void url_origin(struct strbuf *b, const struct azure_url *u, bool with_port)
{
	char port[16];

	strbuf_add(b, u->transport == AZURE_HTTP ? "http://" : "https://");
	strbuf_add(b, u->host);
	if (with_port && u->port) {
		snprintf(port, sizeof(port), ":%d", u->port);
		strbuf_add(b, port);
	}
}

char *azure_url_repo_url(const struct azure_url *u, const char *test_repo)
{
	const char *repo = url_repo_name(u, test_repo);
	struct strbuf b = { 0 };

	if (!repo)
		return NULL;
	strbuf_add(&b, u->text);
	if (!u->repo) {
		strbuf_add(&b, u->transport == AZURE_SSH ? "/" : "/_git/");
		azure_name_encode_to(&b, repo);
	}
	return b.s;
}

char *azure_url_probe_url(const struct azure_url *u, const char *test_repo)
{
	const char *repo = url_repo_name(u, test_repo);
	struct strbuf b = { 0 };

	if (!repo || u->transport == AZURE_SSH)
		return NULL;
	url_origin(&b, u, true);
	url_repo_path(&b, u, repo);
	strbuf_add(&b, "/info/refs?service=git-upload-pack");
	return b.s;
}

char *azure_url_rest_base(const struct azure_url *u)
{
	struct strbuf b = { 0 };

	if (!u->server) {
		strbuf_add(&b, "https://dev.azure.com/");
		azure_name_encode_to(&b, u->org);
		return b.s;
	}
	url_origin(&b, u, u->transport != AZURE_SSH);
	if (u->tfs)
		strbuf_add(&b, "/tfs");
	strbuf_add(&b, "/");
	azure_name_encode_to(&b, u->collection);
	return b.s;
}

char *azure_url_rest_repo(const struct azure_url *u, const char *test_repo)
{
	const char *repo = url_repo_name(u, test_repo);
	char *base = repo ? azure_url_rest_base(u) : NULL;
	struct strbuf b = { 0 };

	if (!base)
		return NULL;
	strbuf_add(&b, base);
	free(base);
	strbuf_add(&b, "/");
	azure_name_encode_to(&b, u->project);
	strbuf_add(&b, "/_apis/git/repositories/");
	azure_name_encode_to(&b, repo);
	return b.s;
}

char *azure_url_ssh_path(const struct azure_url *u, const char *test_repo)
{
	const char *repo = url_repo_name(u, test_repo);
	struct strbuf b = { 0 };

	if (!repo || u->transport != AZURE_SSH)
		return NULL;
	strbuf_addn(&b, "", 0);
	url_repo_path(&b, u, repo);
	return b.s;
}
