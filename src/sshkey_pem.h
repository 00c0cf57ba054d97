/* The PEM form of an RSA private key that a Harness SSH credential takes. */
#ifndef AZ_SSHKEY_PEM_H
#define AZ_SSHKEY_PEM_H

#include "secbuf.h"

/*
 * The RSA private key in text (without a passphrase: PEM, PKCS#8 or OpenSSH
 * form) as "-----BEGIN RSA PRIVATE KEY-----" PEM, a copy when it is one
 * already; NULL when text is none of these (or out of memory). Nothing is
 * checked beyond the layout: sshkey_import first.
 */
struct secbuf *sshkey_pem_from(const char *text);

#endif
