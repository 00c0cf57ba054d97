#include <config.h>

#include <stdio.h>
#include <string.h>

#include "sshkey.h"

/* Never ask: without this, a key that needs a passphrase makes OpenSSL prompt on the terminal. */
static int sshkey_no_prompt(const char *prompt, char *buf, size_t len, int echo, int verify, void *user)
{
	(void)prompt;
	(void)buf;
	(void)len;
	(void)echo;
	(void)verify;
	(void)user;
	return -1;
}

int sshkey_import(const struct secbuf *key, const struct secbuf *passphrase, ssh_key *out,
                  char *msg, size_t msglen)
{
	ssh_key k = NULL;

	*out = NULL;
	if (!key || key->len == 0 || strlen((const char *)key->data) != key->len) {
		snprintf(msg, msglen, "no SSH private key given: give the key file's text (PEM or OpenSSH format)");
		return -1;
	}
	if (ssh_pki_import_privkey_base64((const char *)key->data,
	                                  passphrase && passphrase->len ? (const char *)passphrase->data : NULL,
	                                  sshkey_no_prompt, NULL, &k) != SSH_OK) {
		if (passphrase && passphrase->len)
			snprintf(msg, msglen, "cannot read the SSH private key: wrong passphrase, or not a private key");
		else
			snprintf(msg, msglen, "cannot read the SSH private key: it needs a passphrase "
			                      "(give ssh-key-passphrase), or is not a private key in PEM or "
			                      "OpenSSH format");
		return -1;
	}
	enum ssh_keytypes_e type = ssh_key_type(k);
	if (type != SSH_KEYTYPE_RSA) {
		snprintf(msg, msglen, "the SSH key is %s: Azure DevOps accepts only RSA keys; "
		                      "generate one with ssh-keygen -t rsa -b 4096", ssh_key_type_to_char(type));
		ssh_key_free(k);
		return -1;
	}
	*out = k;
	return 0;
}
