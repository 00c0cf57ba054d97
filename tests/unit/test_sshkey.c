/*
 * SSH private keys as given: every format ssh-keygen writes, with and without
 * a passphrase, damaged and cut short; each verdict names what to do.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "core_fixture.h"
#include "secbuf.h"
#include "sshkey.h"
#include "sshkey_pem.h"

#define PASS "pass phrase"

/* The keys in tests/data/sshkey, made with ssh-keygen (test keys, used nowhere else). */
static const struct {
	const char *file, *passphrase;
	int rc;
	const char *msg; /* a part of the message, "" for none */
} key_cases[] = {
	{ "rsa_openssh", NULL, 0, "" },
	{ "rsa_openssh", PASS, 0, "" }, /* a passphrase for a key without one is not needed, not wrong */
	{ "rsa_pem", NULL, 0, "" },
	{ "rsa_pkcs8", NULL, 0, "" },
	{ "rsa_openssh_enc", PASS, 0, "" },
	{ "rsa_pem_enc", PASS, 0, "" },
	{ "rsa_pkcs8_enc", PASS, 0, "" },
	{ "rsa_openssh_enc", NULL, -2, "cannot read the SSH private key: it needs a passphrase (the SSH key passphrase field, or "
	  "--ssh-key-passphrase-file F)" },
	{ "rsa_pem_enc", NULL, -2, "it needs a passphrase" },
	{ "rsa_pkcs8_enc", NULL, -2, "it needs a passphrase" },
	{ "rsa_openssh_enc", "wrong", -2, "cannot read the SSH private key: wrong passphrase" },
	{ "rsa_pem_enc", "wrong", -2, "wrong passphrase" },
	{ "rsa_pkcs8_enc", "wrong", -2, "wrong passphrase" },
	{ "ed25519", NULL, -3, "the SSH key is ssh-ed25519: Azure DevOps accepts only RSA keys; generate one "
	                       "with ssh-keygen -t rsa -b 4096 -m PEM" },
	/* Known from its header, before any passphrase: never handed to libssh to decode. */
	{ "ed25519_enc", NULL, -3, "the SSH key is ssh-ed25519: Azure DevOps accepts only RSA keys" },
};

static struct secbuf *read_key(const char *file)
{
	char rel[64], *path, *text;
	size_t len;

	snprintf(rel, sizeof(rel), "sshkey/%s", file);
	path = fixture_data_path(rel);
	text = fixture_read(path, &len);
	struct secbuf *b = secbuf_dup(text, len);
	assert_non_null(b);
	free(text);
	free(path);
	return b;
}

/* sshkey_check's verdict and message on key with passphrase (NULL: none). */
static int verdict(const struct secbuf *key, const char *passphrase, char *msg, size_t msglen)
{
	struct secbuf *pass = passphrase ? secbuf_dup(passphrase, strlen(passphrase)) : NULL;

	msg[0] = '\0';
	int rc = sshkey_check(key, pass, msg, msglen);
	secbuf_free(pass);
	return rc;
}

static void test_formats(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++) {
		struct secbuf *key = read_key(key_cases[i].file);
		char msg[512];
		int rc = verdict(key, key_cases[i].passphrase, msg, sizeof(msg));

		if (rc != key_cases[i].rc || !strstr(msg, key_cases[i].msg) || (rc == 0) != (msg[0] == '\0'))
			fail_msg("%s with %s: %d '%s', want %d '%s'", key_cases[i].file,
			         key_cases[i].passphrase ? key_cases[i].passphrase : "no passphrase", rc, msg,
			         key_cases[i].rc, key_cases[i].msg);
		secbuf_free(key);
	}
}

/*
 * The key with a character of its structure changed (the OpenSSH magic, the
 * DER header): not a key any more. (A change deep in the private numbers may
 * go unseen: nothing checks them against each other.)
 */
static struct secbuf *damaged(const char *file)
{
	struct secbuf *key = read_key(file);
	char *at = strstr((char *)key->data, "-----\n") + 6 + 2;

	*at = *at == 'A' ? 'B' : 'A';
	return key;
}

/* A damaged key is not the passphrase's trouble: said so, whatever passphrase was given. */
static void test_damaged(void **state)
{
	static const char *const files[] = { "rsa_openssh", "rsa_pem", "rsa_pkcs8", "rsa_openssh_enc" };
	char msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct secbuf *key = damaged(files[i]);
		for (int with = 0; with < 2; with++) {
			int rc = verdict(key, with ? PASS : NULL, msg, sizeof(msg));
			if (rc != -1 || !strstr(msg, "its text is damaged or not a private key in PEM or OpenSSH "
			                             "format: give the whole file, from -----BEGIN to -----END"))
				fail_msg("damaged %s (%s): %d '%s'", files[i], with ? "a passphrase" : "none", rc, msg);
		}
		secbuf_free(key);
	}
	/* Damage inside the encrypted part looks like a wrong passphrase: the passphrase is asked about. */
	struct secbuf *key = read_key("rsa_openssh_enc");
	char *end = strstr((char *)key->data, "-----END") - 10;
	*end = *end == 'A' ? 'B' : 'A';
	assert_int_equal(verdict(key, PASS, msg, sizeof(msg)), -2);
	assert_non_null(strstr(msg, "wrong passphrase"));
	secbuf_free(key);
}

/* Cut short anywhere (a paste that lost its end): never read as a key, never a passphrase question. */
static void test_truncated(void **state)
{
	static const char *const files[] = { "rsa_openssh", "rsa_pem", "rsa_pkcs8" };
	char msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct secbuf *key = read_key(files[i]);
		size_t full = key->len;
		for (size_t cut = 40; cut < full - 40; cut += 97) {
			key->len = cut;
			char keep = key->data[cut];
			key->data[cut] = '\0';
			int rc = verdict(key, NULL, msg, sizeof(msg));
			if (rc != -1)
				fail_msg("%s cut at %zu of %zu: %d '%s'", files[i], cut, full, rc, msg);
			key->data[cut] = (unsigned char)keep;
		}
		key->len = full;
		secbuf_free(key);
	}
}

/* Pasted without the newline after its END line (a copy that stops at the last dash): still the key. */
static void test_no_final_newline(void **state)
{
	static const struct {
		const char *file, *passphrase;
	} keys[] = {
		{ "rsa_openssh", NULL }, { "rsa_pem", NULL }, { "rsa_pkcs8", NULL },
		{ "rsa_openssh_enc", PASS }, { "rsa_pem_enc", PASS }, { "rsa_pkcs8_enc", PASS },
	};
	char msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct secbuf *key = read_key(keys[i].file);

		assert_int_equal(key->data[key->len - 1], '\n');
		key->data[--key->len] = '\0';
		int rc = verdict(key, keys[i].passphrase, msg, sizeof(msg));
		if (rc != 0)
			fail_msg("%s without its final newline: %d '%s'", keys[i].file, rc, msg);
		secbuf_free(key);
	}
}

/*
 * An encrypted PKCS#8 key whose PBKDF2 count is damaged or absurd: refused at
 * once, not hours of OpenSSL's work (as OpenSSH keys' bcrypt rounds are).
 */
static void test_pbkdf2_iterations(void **state)
{
	/* EncryptedPrivateKeyInfo { { PBES2, { { PBKDF2, { salt, 2^31 - 1 } } } }, data }, DER. */
	static const unsigned char der[] = {
		0x30, 0x30, 0x30, 0x28, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d,
		0x30, 0x1b, 0x30, 0x19, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c,
		0x30, 0x0c, 0x04, 0x04, 0x01, 0x02, 0x03, 0x04, 0x02, 0x04, 0x7f, 0xff, 0xff, 0xff,
		0x04, 0x04, 0x00, 0x00, 0x00, 0x00,
	};
	char b64[sodium_base64_ENCODED_LEN(sizeof(der), sodium_base64_VARIANT_ORIGINAL)], text[256], msg[512];

	(void)state;
	sodium_bin2base64(b64, sizeof(b64), der, sizeof(der), sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof(text), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n%s\n-----END ENCRYPTED PRIVATE KEY-----\n", b64);
	assert_true(sshkey_pem_pbkdf2_iterations(text) == 2147483647u);
	struct secbuf *key = secbuf_dup(text, strlen(text));
	assert_int_equal(verdict(key, PASS, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "the key's passphrase protection asks for 2147483647 PBKDF2 iterations (a damaged "
	                            "key, or hours of work; at most 10000000 are done here): protect it again with "
	                            "'ssh-keygen -p -f KEY'"));
	secbuf_free(key);
	/* ssh-keygen's (OpenSSL's) own count, read the same way: the key opens. */
	key = read_key("rsa_pkcs8_enc");
	assert_true(sshkey_pem_pbkdf2_iterations((const char *)key->data) == 2048);
	assert_int_equal(verdict(key, PASS, msg, sizeof(msg)), 0);
	secbuf_free(key);
	assert_true(sshkey_pem_pbkdf2_iterations("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n") == 0);
}

/* What is often given for a private key: a public key, a PuTTY key, none at all. */
static void test_misgiven(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC test@host\n", "a public key: give the private key (the file without .pub)" },
		{ "PuTTY-User-Key-File-3: ssh-rsa\n", "a PuTTY key (.ppk): convert it with 'puttygen" },
		{ "ghp_notakey", "not a private key (whose text starts with -----BEGIN ... PRIVATE KEY-----): give the "
		                 "private key, the file ssh-keygen wrote beside its .pub (such as ~/.ssh/id_rsa)" },
		{ "[127.0.0.1]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC\n", "not a private key (whose text starts" },
		{ "", "no SSH private key given" },
	};
	char msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct secbuf *key = secbuf_dup(cases[i].text, strlen(cases[i].text));
		assert_non_null(key);
		int rc = verdict(key, NULL, msg, sizeof(msg));
		if (rc != -1 || !strstr(msg, cases[i].msg))
			fail_msg("'%s': %d '%s', want '%s'", cases[i].text, rc, msg, cases[i].msg);
		secbuf_free(key);
	}
}

/* F3's key: RSA 4096 in the PEM form Harness asks for (ssh-keygen -m PEM), whose public half is the line shown. */
static void test_generate(void **state)
{
	static const char begin[] = "-----BEGIN RSA PRIVATE KEY-----\n", end[] = "-----END RSA PRIVATE KEY-----\n";
	struct secbuf *priv = NULL;
	char pub[SSHKEY_PUB_MAX], msg[256], *pub64 = NULL, want[2100], host[128] = "";
	ssh_key key = NULL;

	(void)state;
	assert_int_equal(sshkey_generate(&priv, pub, sizeof(pub), "web", msg, sizeof(msg)), 0);
	const char *text = (const char *)priv->data;
	assert_int_equal(strlen(text), priv->len);
	assert_memory_equal(text, begin, sizeof(begin) - 1);
	assert_true(priv->len > sizeof(begin) + sizeof(end));
	assert_string_equal(text + priv->len - (sizeof(end) - 1), end);
	/* The body: base64 in lines of 64, the last one shorter. */
	const char *line = text + sizeof(begin) - 1, *stop = text + priv->len - (sizeof(end) - 1);
	size_t lines = 0;
	while (line < stop) {
		const char *nl = memchr(line, '\n', (size_t)(stop - line));
		assert_non_null(nl);
		assert_true(nl + 1 == stop ? nl - line <= 64 : nl - line == 64);
		assert_int_equal(strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
		                 (size_t)(nl - line));
		line = nl + 1;
		lines++;
	}
	assert_true(lines >= 45); /* 4096 bits: ~2350 bytes of DER, 49 lines (2048: 26) */
	assert_int_equal(sshkey_import(priv, NULL, &key, msg, sizeof(msg)), 0);
	assert_int_equal(ssh_key_type(key), SSH_KEYTYPE_RSA);
	assert_int_equal(ssh_pki_export_pubkey_base64(key, &pub64), SSH_OK);
	gethostname(host, sizeof(host) - 1);
	snprintf(want, sizeof(want), "ssh-rsa %s azrepos-connect:web@%s", pub64, host);
	assert_string_equal(pub, want);
	ssh_string_free_char(pub64);
	ssh_key_free(key);
	secbuf_free(priv);
}

/* A public key line's fingerprint, as ssh-keygen -l gives it; none for a line that is no key. */
static void test_pub_fingerprint(void **state)
{
	char fp[128];

	(void)state;
	assert_true(sshkey_pub_fingerprint("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEcL+vXYxkgiY5BA/8FihNlrPUPuJ73kALIxnidGScuA "
	                                   "test", fp, sizeof(fp)));
	assert_string_equal(fp, "SHA256:7aSo5LWyqIgPYvwI52Q4WwAIjj1O/edotFFgjaHDd+c");
	assert_true(sshkey_pub_fingerprint("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEcL+vXYxkgiY5BA/8FihNlrPUPuJ73kALIxnidGScuA",
	                                   fp, sizeof(fp)));
	assert_string_equal(fp, "SHA256:7aSo5LWyqIgPYvwI52Q4WwAIjj1O/edotFFgjaHDd+c");
	assert_false(sshkey_pub_fingerprint("ssh-ed25519 AAAA-not-base64 test", fp, sizeof(fp)));
	assert_string_equal(fp, "");
	assert_false(sshkey_pub_fingerprint("no key here", fp, sizeof(fp)));
	assert_false(sshkey_pub_fingerprint("", fp, sizeof(fp)));
}

/* Each form as Harness sees it: PEM (with a passphrase or not), else convertible, else only with its passphrase. */
static void test_form(void **state)
{
	static const struct {
		const char *file;
		enum sshkey_form form;
	} cases[] = {
		{ "rsa_pem", SSHKEY_FORM_PEM },         { "rsa_pem_enc", SSHKEY_FORM_PEM },
		{ "rsa_openssh", SSHKEY_FORM_OTHER },   { "rsa_pkcs8", SSHKEY_FORM_OTHER },
		{ "ed25519", SSHKEY_FORM_OTHER },       { "rsa_openssh_enc", SSHKEY_FORM_ENCRYPTED },
		{ "rsa_pkcs8_enc", SSHKEY_FORM_ENCRYPTED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct secbuf *key = read_key(cases[i].file);
		if (sshkey_form(key) != cases[i].form)
			fail_msg("%s: form %d, want %d", cases[i].file, sshkey_form(key), cases[i].form);
		secbuf_free(key);
	}
}

/*
 * rsa_openssh, rsa_pkcs8 and rsa_pem are one key: each in PEM form is rsa_pem
 * byte for byte (what 'ssh-keygen -p -m PEM' makes of the others); a PEM key
 * with a passphrase is that form already. Another key with a passphrase, or
 * one not RSA, is refused with sshkey_import's verdict.
 */
static void test_to_pem(void **state)
{
	static const struct {
		const char *file;
		int rc;
		const char *msg, *want;
	} cases[] = {
		{ "rsa_openssh", 0, "", "rsa_pem" },
		{ "rsa_pkcs8", 0, "", "rsa_pem" },
		{ "rsa_pem", 0, "", "rsa_pem" },
		{ "rsa_pem_enc", 0, "", "rsa_pem_enc" },
		{ "rsa_openssh_enc", -2, "it needs a passphrase", NULL },
		{ "rsa_pkcs8_enc", -2, "it needs a passphrase", NULL },
		{ "ed25519", -3, "Azure DevOps accepts only RSA keys", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct secbuf *key = read_key(cases[i].file), *pem = (struct secbuf *)1;
		char msg[512] = "";
		int rc = sshkey_to_pem(key, &pem, msg, sizeof(msg));

		if (rc != cases[i].rc || !strstr(msg, cases[i].msg) || (rc == 0) != (pem != NULL))
			fail_msg("%s: %d '%s' %p, want %d '%s'", cases[i].file, rc, msg, (void *)pem, cases[i].rc,
			         cases[i].msg);
		if (rc == 0) {
			struct secbuf *want = read_key(cases[i].want);
			if (!secbuf_equal(pem, want))
				fail_msg("%s in PEM form:\n%s\nwant:\n%s", cases[i].file, pem->data, want->data);
			secbuf_free(want);
		}
		secbuf_free(pem);
		secbuf_free(key);
	}
}

/* Damaged where the conversion reads (the header, the private part's check words): refused, never a key. */
static void test_to_pem_damaged(void **state)
{
	char msg[512];

	(void)state;
	struct secbuf *key = damaged("rsa_openssh"), *pem = NULL;
	assert_int_equal(sshkey_to_pem(key, &pem, msg, sizeof(msg)), -1);
	assert_null(pem);
	secbuf_free(key);
}

/* A public key file's path cut short would name another file: none is written or removed. */
static void test_pub_path_too_long(void **state)
{
	char path[32], pub[SSHKEY_PUB_MAX];

	(void)state;
	assert_string_equal(sshkey_pub_path("/d", "web-ssh-key", path, sizeof(path)), "/d/web-ssh-key.pub");
	/* 34 bytes for 31: /tmp/x/<the id cut short> is neither written nor removed. */
	assert_null(sshkey_pub_path("/tmp/x", "a-secret-id-of-21-chars", path, sizeof(path)));
	assert_int_equal(errno, ENAMETOOLONG);
	snprintf(pub, sizeof(pub), "ssh-rsa AAAA test");
	assert_int_equal(sshkey_write_pub("/tmp/x", "a-secret-id-of-21-chars", pub, path, sizeof(path)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_false(sshkey_pub_forget("/tmp/x", "a-secret-id-of-21-chars", NULL, NULL, path, sizeof(path)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_pbkdf2_iterations),
		cmocka_unit_test(test_misgiven),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_pub_fingerprint),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_to_pem),
		cmocka_unit_test(test_to_pem_damaged),
		cmocka_unit_test(test_pub_path_too_long),
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("sshkey", tests, NULL, NULL);
}
