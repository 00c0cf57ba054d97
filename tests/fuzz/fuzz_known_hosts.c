/*
 * OpenSSH known_hosts files as known_hosts.c reads them (line splitting,
 * then libssh's line parser): the input is written to a file in a private
 * temp folder, then known_hosts_check and known_hosts_algorithms look up a
 * few hosts in it (port 22 and "[host]:port" forms, and a pinned Azure host).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <libssh/libssh.h>

#include "fuzz.h"
#include "known_hosts.h"

const char fuzz_target_name[] = "known_hosts";

/* Test keys of tests/unit/test_known_hosts.c (ssh-keygen). */
#define ED1 "AAAAC3NzaC1lZDI1NTE5AAAAIAG3jRGgNVWmydNUIaED4Qfu1BqFYvTguUD0uKspoDmG"
#define RSA3 \
	"AAAAB3NzaC1yc2EAAAADAQABAAAAgQD5ctWA1dB3tZfYWxUaN4vzBrWIOzipA6VGg9SmgiSqtP7NPD0cX5gjhcUptzJUv7h" \
	"yZvi7Pghso+2rKAQxU3yndp58yYiU5ULpZoNHWKlhwJSgAtKvNtFHkNzIn12LgYguk8iVPVxDQvdE4m/AImO4CJn082aFqgY7" \
	"Bj4a9TcHiw=="

static ssh_key keys[2];

static void free_keys(void)
{
	ssh_key_free(keys[0]);
	ssh_key_free(keys[1]);
}

static void load_keys(void)
{
	if (keys[0])
		return;
	if (ssh_pki_import_pubkey_base64(ED1, SSH_KEYTYPE_ED25519, &keys[0]) != SSH_OK ||
	    ssh_pki_import_pubkey_base64(RSA3, SSH_KEYTYPE_RSA, &keys[1]) != SSH_OK)
		abort();
	atexit(free_keys);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char *host;
		int port;
	} hosts[] = {
		{ "git.example.com", 22 },
		{ "git.example.com", 2222 },
		{ "server.example.org", 0 },
		{ "ssh.dev.azure.com", 22 },
	};
	const char *files[2];
	char algs[512];

	load_keys();
	files[0] = fuzz_tmp_file("known_hosts", data, size);
	files[1] = NULL; /* skipped, as a missing file is */
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		for (size_t k = 0; k < 2; k++) {
			struct known_hosts_where where = { .file = NULL };
			enum known_hosts_verdict v;

			v = known_hosts_check(files, 2, hosts[i].host, hosts[i].port, keys[k], &where);
			if (v != KNOWN_HOSTS_UNKNOWN && where.line < 0)
				abort();
		}
		known_hosts_algorithms(files, 2, hosts[i].host, hosts[i].port, algs, sizeof(algs));
		if (!memchr(algs, '\0', sizeof(algs)))
			abort();
	}
	return 0;
}
