/* Azure DevOps project and repository names: rules, length, percent-encoding. */
#ifndef AZ_AZURE_NAME_H
#define AZ_AZURE_NAME_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum azure_name_kind { AZURE_NAME_PROJECT, AZURE_NAME_REPO };

/*
 * Azure naming rules for a project or repository name (a name, never a URL:
 * one pasted instead is said, with the name in it when it parses).
 */
bool azure_name_check(const char *name, enum azure_name_kind kind, char *msg, size_t msglen);

/* The rules alone, for a name taken from a URL. */
bool azure_name_rules(const char *name, enum azure_name_kind kind, char *msg, size_t msglen);

/*
 * Length in UTF-16 units, as Azure counts name lengths (a character outside
 * the BMP counts two); -1 if s is not valid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF included).
 */
long azure_name_utf16_len(const char *s);

/* Is name one of list's (NULL-ended), case aside, as Azure compares names? */
bool azure_name_in(const char *name, const char *const *list);

/* Percent-encode a name for a URL path segment (keeps A-Z a-z 0-9 - . _ ~ ! ( )). */
char *azure_name_encode(const char *name);
/* The same, added to b. */
void azure_name_encode_to(struct strbuf *b, const char *name);

/* Decode %XX escapes; NULL on a bad escape, a NUL byte or out of memory. */
char *azure_name_decode(const char *text, size_t len);

#endif
