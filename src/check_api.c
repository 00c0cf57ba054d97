/* The api probe: connectionData (who the token is), then the repository. */
#include <config.h>

#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "check_probe.h"

/* The JSON object of a 200 answer; NULL after finishing the probe as failed. */
static cJSON *check_api_json(struct check_req *req)
{
	char ctype[128];
	cJSON *j;

	if (req->too_big) {
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "answer larger than %zu KiB: not the Azure DevOps REST API; check the organization URL",
		             req->max / 1024);
		return NULL;
	}
	check_req_content_type(req, ctype, sizeof(ctype));
	j = strcasecmp(ctype, "application/json") == 0 ? cJSON_ParseWithLength(req->body, req->len) : NULL;
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "not an Azure DevOps REST answer (%s): check the organization URL",
		             ctype[0] ? ctype : "no content type");
		return NULL;
	}
	return j;
}

static const char *check_api_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static void check_api_repo_done(struct check_req *req, CURLcode rc)
{
	struct check_result *res = req->res;
	const char *name, *branch;
	cJSON *j;

	if (check_req_failed(req, rc) || !(j = check_api_json(req)))
		return;
	name = check_api_string(j, "name");
	branch = check_api_string(j, "defaultBranch");
	if (!name) {
		check_finish(req->ctx, res, CHECK_FAILED, CHECK_CAT_PROTOCOL,
		             "not an Azure DevOps repository answer: check the organization URL");
	} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "isDisabled"))) {
		check_finish(req->ctx, res, CHECK_FAILED, CHECK_CAT_FORBIDDEN,
		             "repository %.100s is disabled: ask a project administrator to enable it", name);
	} else {
		if (branch && strncmp(branch, "refs/heads/", 11) == 0)
			snprintf(res->default_branch, sizeof(res->default_branch), "%s", branch + 11);
		check_finish(req->ctx, res, CHECK_OK, CHECK_CAT_NONE, "authenticated as %s; repository %.100s found%s%s",
		             req->note, name, res->default_branch[0] ? ", default branch " : "", res->default_branch);
	}
	cJSON_Delete(j);
}

/* Start GET <api_repo_url>?api-version=7.1. */
static void check_api_repo_start(struct check_req *prev)
{
	struct check_ctx *ctx = prev->ctx;
	const struct check_target *t = ctx->t;
	char *url = check_url_join(ctx, prev->res, t->api_repo_url, "", "api-version=7.1");
	struct check_req *req;

	if (!url)
		return;
	req = check_req_start(ctx, prev->res, url, "", t->api_token, CHECK_API_BODY_MAX, true, check_api_repo_done);
	if (req)
		memcpy(req->note, prev->note, sizeof(req->note));
	curl_free(url);
}

static void check_api_connection_done(struct check_req *req, CURLcode rc)
{
	const struct check_target *t = req->ctx->t;
	const cJSON *user;
	const char *id, *name, *descriptor;
	char hint[512];
	cJSON *j;

	if (check_req_failed(req, rc) || !(j = check_api_json(req)))
		return;
	user = cJSON_GetObjectItemCaseSensitive(j, "authenticatedUser");
	id = check_api_string(user, "id");
	name = check_api_string(user, "providerDisplayName");
	descriptor = check_api_string(user, "descriptor");
	/* A public organization answers without a user: the token was not used. */
	if (!id || !*id || (name && strcasecmp(name, "Anonymous") == 0) ||
	    (descriptor && strstr(descriptor, "UnauthenticatedIdentity"))) {
		check_new_pat_hint(req->ctx, true, hint, sizeof(hint));
		check_finish(req->ctx, req->res, CHECK_FAILED, CHECK_CAT_AUTH, "token not accepted (anonymous answer): %s",
		             hint);
		cJSON_Delete(j);
		return;
	}
	snprintf(req->note, sizeof(req->note), "%.150s", name && *name ? name : id);
	cJSON_Delete(j);
	if (t->api_repo_url)
		check_api_repo_start(req);
	else
		check_finish(req->ctx, req->res, CHECK_OK, CHECK_CAT_NONE, "authenticated as %s", req->note);
}

void check_api_start(struct check_ctx *ctx, struct check_result *res)
{
	char *url = check_url_join(ctx, res, ctx->t->api_base, "/_apis/connectionData", NULL);

	if (!url)
		return;
	check_req_start(ctx, res, url, "", ctx->t->api_token, CHECK_API_BODY_MAX, true, check_api_connection_done);
	curl_free(url);
}
