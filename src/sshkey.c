#include <config.h>

#include <stdio.h>
#include <string.h>

#include "sshkey.h"

int sshkey_import(const struct secbuf *key, const struct secbuf *passphrase, ssh_key *out,
                  char *msg, size_t msglen)
{
	ssh_key k = NULL;

	*out = NULL;
	if (!key || key->len == 0 || strlen((const char *)key->data) != key->len) {
		snprintf(msg, msglen, "not a private key: give the key file's text (PEM or OpenSSH format)");
		return -1;
	}
	if (ssh_pki_import_privkey_base64((const char *)key->data,
	                                  passphrase ? (const char *)passphrase->data : NULL,
	                                  NULL, NULL, &k) != SSH_OK) {
		if (passphrase)
			snprintf(msg, msglen, "cannot read the private key: wrong passphrase, or not a key");
		else if (strstr((const char *)key->data, "ENCRYPTED"))
			snprintf(msg, msglen, "the private key has a passphrase: give it as ssh-key-passphrase");
		else
			snprintf(msg, msglen, "cannot read the private key: expected PEM (BEGIN RSA PRIVATE KEY) "
			                      "or OpenSSH (BEGIN OPENSSH PRIVATE KEY) text; if it has a "
			                      "passphrase, give it as ssh-key-passphrase");
		return -1;
	}
	enum ssh_keytypes_e type = ssh_key_type(k);
	if (type != SSH_KEYTYPE_RSA) {
		snprintf(msg, msglen, "this is a %s key: Azure DevOps accepts only RSA keys; "
		                      "make one with: ssh-keygen -t rsa -b 4096", ssh_key_type_to_char(type));
		ssh_key_free(k);
		return -1;
	}
	*out = k;
	return 0;
}
