/*
 * A private key as the wizard or `new --ssh-key-file` hands it to libssh:
 * sshkey_import on any bytes, without a passphrase and with one. It must
 * refuse or give an RSA key, never crash or leak. The same bytes go to the
 * PEM writer of `secret get --pem` (whose own reading of OpenSSH and PKCS#8
 * text runs before libssh looks at what it wrote).
 */
#include <config.h>

#include <stdlib.h>

#include <sodium.h>

#include "fuzz.h"
#include "secbuf.h"
#include "sshkey.h"
#include "sshkey_pem.h"

const char fuzz_target_name[] = "sshkey";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secbuf *key, *pass;
	char msg[320];
	ssh_key k;

	if (sodium_init() < 0 || !(key = secbuf_dup(data, size)) || !(pass = secbuf_dup("x", 1)))
		abort();
	for (int i = 0; i < 2; i++)
		if (sshkey_import(key, i ? pass : NULL, &k, msg, sizeof(msg)) == 0) {
			if (ssh_key_type(k) != SSH_KEYTYPE_RSA)
				abort();
			ssh_key_free(k);
		}
	secbuf_free(sshkey_pem_from((const char *)key->data));
	secbuf_free(pass);
	secbuf_free(key);
	return 0;
}
