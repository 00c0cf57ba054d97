/*
 * Test driver for the connectivity check: builds a check_target from options
 * and secret files, runs check_run and prints the results (JSON, or text
 * with --text). Exit 0 when every probe passed, 4 otherwise, 2 on bad usage.
 * With --record, a host key accepted by --accept-host-key is recorded in the
 * --known-hosts file as the program records it (conncheck_record_host_key;
 * --dry-run and --only-if-passed set its conncheck_opts). The JSON
 * also gives each probe's untrusted_ca, which the program's JSON leaves out.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "check.h"
#include "conncheck.h"
#include "exitcode.h"
#include "secbuf.h"

#define SECRET_MAX (64u * 1024u)

enum {
	OPT_GIT_URL = 256, OPT_USERNAME, OPT_TOKEN_FILE, OPT_API, OPT_API_BASE, OPT_API_REPO_URL,
	OPT_API_TOKEN_FILE, OPT_SSH_HOST, OPT_SSH_PORT, OPT_SSH_USER, OPT_SSH_PATH, OPT_SSH_KEY_FILE,
	OPT_SSH_PASS_FILE, OPT_KNOWN_HOSTS, OPT_USER_KNOWN_HOSTS, OPT_ACCEPT, OPT_CA_FILE, OPT_ALLOW_HTTP,
	OPT_TIMEOUT_MS, OPT_TEXT, OPT_RECORD, OPT_DRY_RUN, OPT_ONLY_IF_PASSED, OPT_SSH, OPT_ORG, OPT_SERVER,
};

static struct secbuf *probe_secret(const char *path)
{
	struct secbuf *sb = secbuf_read_file(path, SECRET_MAX, true);

	if (!sb) {
		perror(path);
		exit(AZ_EXIT_USAGE);
	}
	return sb;
}

static void probe_print_json(const struct check_result *results, size_t n)
{
	cJSON *root = check_json(results, n);
	cJSON *probes = cJSON_GetObjectItemCaseSensitive(root, "probes");
	char *out;

	for (size_t i = 0; i < n; i++)
		cJSON_AddBoolToObject(cJSON_GetArrayItem(probes, (int)i), "untrusted_ca", results[i].untrusted_ca);
	out = cJSON_PrintUnformatted(root);
	if (!out) {
		fprintf(stderr, "check_probe: out of memory\n");
		exit(AZ_EXIT_ERROR);
	}
	printf("%s\n", out);
	cJSON_free(out);
	cJSON_Delete(root);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ssh", no_argument, NULL, OPT_SSH },
		{ "git-url", required_argument, NULL, OPT_GIT_URL },
		{ "username", required_argument, NULL, OPT_USERNAME },
		{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
		{ "api", no_argument, NULL, OPT_API },
		{ "api-base", required_argument, NULL, OPT_API_BASE },
		{ "api-repo-url", required_argument, NULL, OPT_API_REPO_URL },
		{ "api-token-file", required_argument, NULL, OPT_API_TOKEN_FILE },
		{ "ssh-host", required_argument, NULL, OPT_SSH_HOST },
		{ "ssh-port", required_argument, NULL, OPT_SSH_PORT },
		{ "ssh-user", required_argument, NULL, OPT_SSH_USER },
		{ "ssh-path", required_argument, NULL, OPT_SSH_PATH },
		{ "ssh-key-file", required_argument, NULL, OPT_SSH_KEY_FILE },
		{ "ssh-passphrase-file", required_argument, NULL, OPT_SSH_PASS_FILE },
		{ "known-hosts", required_argument, NULL, OPT_KNOWN_HOSTS },
		{ "user-known-hosts", required_argument, NULL, OPT_USER_KNOWN_HOSTS },
		{ "accept-host-key", required_argument, NULL, OPT_ACCEPT },
		{ "ca-file", required_argument, NULL, OPT_CA_FILE },
		{ "allow-http", no_argument, NULL, OPT_ALLOW_HTTP },
		{ "timeout-ms", required_argument, NULL, OPT_TIMEOUT_MS },
		{ "text", no_argument, NULL, OPT_TEXT },
		{ "record", no_argument, NULL, OPT_RECORD },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "only-if-passed", no_argument, NULL, OPT_ONLY_IF_PASSED },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "server", no_argument, NULL, OPT_SERVER },
		{ NULL, 0, NULL, 0 },
	};
	struct check_target t = { .transport = CHECK_HTTP };
	struct secbuf *token = NULL, *api_token = NULL, *key = NULL, *pass = NULL;
	struct check_result results[CHECK_MAX_PROBES];
	struct conncheck_opts record_opts = { 0 };
	bool text = false, record = false;
	char msg[512];
	size_t n;
	int opt, rc;

	if (sodium_init() < 0)
		return AZ_EXIT_ERROR;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_SSH: t.transport = CHECK_SSH; break;
		case OPT_GIT_URL: t.git_url = optarg; break;
		case OPT_USERNAME: t.username = optarg; break;
		case OPT_TOKEN_FILE: t.token = token = probe_secret(optarg); break;
		case OPT_API: t.api = true; break;
		case OPT_API_BASE: t.api_base = optarg; break;
		case OPT_API_REPO_URL: t.api_repo_url = optarg; break;
		case OPT_API_TOKEN_FILE: t.api_token = api_token = probe_secret(optarg); break;
		case OPT_SSH_HOST: t.ssh_host = optarg; break;
		case OPT_SSH_PORT: t.ssh_port = atoi(optarg); break;
		case OPT_SSH_USER: t.ssh_user = optarg; break;
		case OPT_SSH_PATH: t.ssh_path = optarg; break;
		case OPT_SSH_KEY_FILE: t.ssh_key = key = probe_secret(optarg); break;
		case OPT_SSH_PASS_FILE: t.ssh_key_passphrase = pass = probe_secret(optarg); break;
		case OPT_KNOWN_HOSTS: t.known_hosts_file = optarg; break;
		case OPT_USER_KNOWN_HOSTS: t.user_known_hosts_file = optarg; break;
		case OPT_ACCEPT: t.accept_host_key = optarg; break;
		case OPT_CA_FILE: t.ca_file = optarg; break;
		case OPT_ALLOW_HTTP: t.allow_http = true; break;
		case OPT_TIMEOUT_MS: t.timeout_ms = atoi(optarg); break;
		case OPT_TEXT: text = true; break;
		case OPT_RECORD: record = true; break;
		case OPT_DRY_RUN: record_opts.dry_run = true; break;
		case OPT_ONLY_IF_PASSED: record_opts.record_only_if_passed = true; break;
		case OPT_ORG: t.org = optarg; break;
		case OPT_SERVER: t.server = true; break;
		default:
			fprintf(stderr, "usage: check_probe [--ssh] [options]: see the source\n");
			return AZ_EXIT_USAGE;
		}
	}
	n = check_run(&t, results, NULL, NULL);
	if (text)
		check_print_text(stdout, results, n);
	else
		probe_print_json(results, n);
	rc = check_all_ok(results, n) ? AZ_EXIT_OK : AZ_EXIT_CHECK;
	record_opts.known_hosts = t.known_hosts_file;
	if (record && conncheck_record_host_key(&record_opts, t.ssh_host, t.ssh_port, results, n, msg,
	                                        sizeof(msg)) != 0) {
		fprintf(stderr, "check_probe: %s\n", msg);
		rc = AZ_EXIT_ERROR;
	}
	secbuf_free(token);
	secbuf_free(api_token);
	secbuf_free(key);
	secbuf_free(pass);
	return rc;
}
