/* The PEM form of an RSA private key that a Harness SSH credential takes. */
#ifndef AZ_SSHKEY_PEM_H
#define AZ_SSHKEY_PEM_H

#include <stdint.h>

#include "secbuf.h"

/*
 * The RSA private key in text (without a passphrase: PEM, PKCS#8 or OpenSSH
 * form) as "-----BEGIN RSA PRIVATE KEY-----" PEM, a copy when it is one
 * already; NULL when text is none of these (or out of memory). Nothing is
 * checked beyond the layout: sshkey_import first.
 */
struct secbuf *sshkey_pem_from(const char *text);

/*
 * The PBKDF2 iterations a passphrase-protected PKCS#8 key in text asks for
 * (read before OpenSSL spends them: a damaged count costs hours); 0 when text
 * is no such key.
 */
uint64_t sshkey_pem_pbkdf2_iterations(const char *text);

#endif
