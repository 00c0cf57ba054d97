/*
 * The one field table (DESIGN.md §1, §2, §5): every field of a connector is
 * declared once here with its key (answers-file key, --flag name, JSON key),
 * label, help, page, kind, when it applies, default and validator. The TUI
 * draws its pages from it, the CLI maps flags through it, `show` prints from
 * it, the connector files and the export read and write through it.
 */
#ifndef AZ_FIELDS_H
#define AZ_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

struct connector;

/* In table order: the order of the pages and of the fields on each page. */
enum field_id {
	FIELD_NAME,
	FIELD_IDENTIFIER,
	FIELD_DESCRIPTION,
	FIELD_TAGS,
	FIELD_SCOPE,
	FIELD_ORG,
	FIELD_PROJECT,
	FIELD_URL_TYPE,
	FIELD_CONNECTION,
	FIELD_ALLOW_HTTP,
	FIELD_URL,
	FIELD_TEST_REPO,
	FIELD_USERNAME,
	FIELD_TOKEN,
	FIELD_SSH_KEY,
	FIELD_SSH_KEY_PASSPHRASE,
	FIELD_API_ACCESS,
	FIELD_API_TOKEN,
	FIELD_SECRET_SCOPE,
	FIELD_DELEGATES,
	FIELD_DELEGATE_TAGS,
	FIELD_COUNT
};

enum field_page {
	FIELD_PAGE_OVERVIEW,
	FIELD_PAGE_DETAILS,
	FIELD_PAGE_CREDENTIALS,
	FIELD_PAGE_DELEGATES,
	FIELD_PAGE_COUNT
};

/*
 * How a value is held (always as a string in the model):
 * TEXT   as typed;
 * SECRET the secret store id of the secret, never its value (the connector
 *        file key is "<key>-secret");
 * CHOICE one of the choices' values;
 * TOGGLE "true" or "false";
 * LIST   items joined with ',' (strlist.h).
 */
enum field_kind { FIELD_TEXT, FIELD_SECRET, FIELD_CHOICE, FIELD_TOGGLE, FIELD_LIST };

struct field_choice {
	const char *value; /* as stored, in flags, files and --json */
	const char *label; /* as shown to a person */
};

/* What validation may look at besides the connector (no globals). */
struct fields_env {
	const char *connectors_dir; /* for "identifier unique among saved connectors"; NULL: skip */
	const char *editing;        /* identifier of the connector being edited (not a clash), or NULL */
	const char *program;        /* the command line that runs this program, for advice; NULL: its name */
};

/* A message with a fix that quotes a long URL whole fits (cut, it would say less). */
#define FIELD_MSG_MAX 1024

struct field {
	enum field_id id;
	const char *key;
	const char *label;
	const char *aka;            /* other names a person may write it by (Harness YAML's), ' ' between, or NULL */
	const char *help;           /* one or two sentences: what it is, where to find it */
	const char *(*help_for)(const struct connector *c); /* one for the other fields, or NULL: help */
	const char *example;        /* a sample value (placeholder, "required" message), or NULL */
	const char *(*example_for)(const struct connector *c); /* one fitting the other fields */
	enum field_page page;
	enum field_kind kind;
	bool required;              /* must have a value whenever it applies */
	const struct field_choice *choices; /* CHOICE: ends with a NULL value */
	const char *suffix;         /* SECRET: default store id is "<identifier>-<suffix>" */
	enum store_kind store_kind; /* SECRET: what the store holds for it (a token unless said) */
	const char *def;            /* the default value, or NULL */
	const char *def_secret;     /* SECRET: the one it is when none is given, said in help (NULL: none) */
	/* When it applies to a connector (NULL: always), and that said for people ("connection ssh"). */
	bool (*applies)(const struct connector *c);
	const char *when;
	/* A default derived from other fields into buf (NULL: none). false: none now. */
	bool (*derive)(const struct connector *c, char *buf, size_t buflen);
	/* CHOICE: the value the other fields point to while none is chosen, and why (NULL: none). */
	const char *(*points_to)(const struct connector *c, const char **why);
	/* TEXT: trailing '/' dropped as it is set, so the file, the export and the test agree. */
	bool drop_trailing_slash;
	/* The rules of a non-empty value beyond its kind (NULL: none). */
	bool (*check)(const struct connector *c, const char *value, const struct fields_env *env,
	              char *msg, size_t msglen);
};

/* The field of an id; by key (NULL when no field has that key). */
const struct field *fields_at(enum field_id id);
const struct field *fields_find(const char *key);

/*
 * The field word[0..len) names, an unknown key or flag name written as a person
 * might: its key, label or another name of it (Harness YAML's), case, '-', '_'
 * and spaces set aside ("connectionType", "test_repository", "validationRepo").
 */
const struct field *fields_find_loose(const char *word, size_t len);

const char *fields_page_title(enum field_page page);

/* The label of a choice value ("repo" -> "Repository"); value itself when unknown. */
const char *fields_choice_label(enum field_id id, const char *value);

/*
 * The choice the other values of c point to for field id ("repo": why is
 * "the URL names a repository"), or NULL.
 */
const char *fields_pointed_choice(const struct connector *c, enum field_id id, const char **why);

/* The sample value of a field for this connector as it stands (NULL: none). */
const char *fields_example(const struct connector *c, enum field_id id);

/* The help of field id for the connector's other fields (where to find the URL of its type). */
const char *fields_help(const struct connector *c, enum field_id id);

/*
 * The human form of a value that is not a secret, into buf: a choice's label,
 * a list's items joined with ", ", else the value. Returns buf.
 */
const char *fields_human(enum field_id id, const char *value, char *buf, size_t buflen);

/* The choices of a choice or toggle field joined by sep: values, or labels as the screen shows them. */
const char *fields_choices_text(enum field_id id, bool labels, const char *sep, char *buf, size_t buflen);

/* Does the field apply to the connector as it stands (e.g. test-repo only for Project)? */
bool fields_applies(const struct connector *c, enum field_id id);

/*
 * Store a value (NULL or "" clears it). A choice is matched ignoring case and
 * stored as its value; a toggle takes true|false; a list is split on ','
 * and trimmed. Returns false with a message when the value is not of the
 * field's kind (e.g. "choose one of: project, repo") or out of memory.
 */
bool fields_set(struct connector *c, enum field_id id, const char *value, char *msg, size_t msglen);

/* As fields_set, but a list gets the items appended (a repeated --flag). */
bool fields_add(struct connector *c, enum field_id id, const char *value, char *msg, size_t msglen);

/* The default of a field for this connector: derived into buf, or static; NULL: none. */
const char *fields_default(const struct connector *c, enum field_id id, char *buf, size_t buflen);

/*
 * The suggested store id of a secret field: "<identifier>-<suffix>" made a
 * valid secret id (ident_secret_id). buflen >= 65.
 */
void fields_secret_id(const struct connector *c, enum field_id id, char *buf, size_t buflen);

/* Give every applicable field without a value its default, in table order. false: no memory. */
bool fields_apply_defaults(struct connector *c);

/* Is value, given for field id, or holding, what looks like a token (refused, never shown or kept)? */
bool fields_hides_token(enum field_id id, const char *value);

/*
 * Validate value (e.g. the text being typed; a list as typed) as the value of
 * field id in connector c, cross-field rules included. NULL or "" is fine
 * unless the field is required. true, or false with the message.
 */
bool fields_validate(const struct connector *c, enum field_id id, const char *value,
                     const struct fields_env *env, char *msg, size_t msglen);

/*
 * The corrected value a message names, when it passes the field's checks as
 * the connector stands: for the URL the last URL quoted '...' ("use 'X'"),
 * for the test repository the name quoted "..." (taken from a URL given
 * there). Into out; false for other fields, or when the message names none.
 */
bool fields_suggestion(const struct connector *c, enum field_id id, const char *msg,
                       const struct fields_env *env, char *out, size_t outlen);

struct field_error {
	enum field_id id;
	char msg[FIELD_MSG_MAX];
};

/*
 * Validate every applicable field of c as stored (static defaults included):
 * writes one error per invalid field to errs in table order and returns how
 * many (0: valid). Printed as "<key>: <message>", one a line.
 */
size_t fields_validate_all(const struct connector *c, const struct fields_env *env,
                           struct field_error errs[FIELD_COUNT]);

#endif
