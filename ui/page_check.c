/* The connection test: the probes live, then save; on failure Retry, Back, Save anyway or Quit. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "azure_url.h"
#include "clock.h"
#include "connector.h"
#include "exitcode.h"
#include "known_hosts.h"
#include "sshkey.h"
#include "term.h"
#include "wizard_int.h"

/* The secrets typed, pasted or read from a file, into w->s (fresh: to be stored). */
static void check_take_secrets(struct wizard *w)
{
	char msg[FIELD_MSG_MAX];

	conncheck_secrets_clear(&w->s.v);
	memset(&w->s, 0, sizeof(w->s));
	w->s.replace = w->start->editing != NULL;
	w->s.base = w->start->base;
	w->s.wizard = true;
	for (int id = 0; id < FIELD_COUNT; id++) {
		if (fields_at(id)->kind != FIELD_SECRET || !fields_applies(w->cc, id))
			continue;
		w->s.named[id] = *input_text(&w->sid[id]) != '\0';
		w->s.v.val[id] = wizard_secret_value(w, id, msg, sizeof(msg));
		w->s.fresh[id] = w->s.v.val[id] != NULL;
		if (*msg) {
			w->s.unread[id] = true;
			newconn_error(&w->errs, fields_at(id)->key, "%s", msg);
		}
	}
}

/* Said when Ctrl-Z comes during the test; taken back once it is over. */
static const char check_ctrl_z[] = "Ctrl-Z: suspended once the test is over (Esc stops it)";

/* While the probes run: show them, and let Esc or Ctrl-C stop them. */
static int check_progress(const struct check_result *res, size_t n, void *user)
{
	struct wizard *w = user;
	struct secbuf *paste = NULL;
	wint_t ch;

	memcpy(w->res, res, n * sizeof(*res));
	w->nres = n;
	wizard_draw(w);
	term_timeout(0);
	enum term_key k = term_getkey(&ch, &paste);
	term_timeout(-1);
	secbuf_free(paste);
	/* Stopped, the job would run out the probes' deadline: not now, and that is said. */
	if (k == TERM_KEY_CHAR && ch == 26)
		snprintf(w->status, sizeof(w->status), "%s", check_ctrl_z);
	return k == TERM_KEY_CHAR && (ch == 3 || ch == 27);
}

/*
 * The store did not open, or the save failed: what the core said names the
 * way out (a rekey --reset, a chmod), too long for the status line: the page
 * says it.
 */
static void check_failed_store(struct wizard *w)
{
	w->check = TEST_ERRORS;
	if (w->errs.n)
		return;
	snprintf(w->failure, sizeof(w->failure), "%s", w->status);
	w->status[0] = '\0';
}

/*
 * An edit whose save lost to another run's save of the connector: nothing saved, the values saved
 * now taken under this edit's own changes (wizard_rebase), the way on said.
 */
static bool check_rebase(struct wizard *w)
{
	char both[256]; /* the labels of the fields both changed: a few at most */

	if (!wizard_rebase(w, both, sizeof(both)))
		return false;
	snprintf(w->failure, sizeof(w->failure), "The connector '%s' was changed by another run since this edit read "
	         "it. Its values now are taken where you changed nothing, your changes kept over "
	         "them%s%s%s. Check them on the review (B), then Enter tests and saves again.", w->start->editing,
	         *both ? " (changed there too, yours kept: " : "", both, *both ? ")" : "");
	w->errs.n = 0;
	w->status[0] = '\0';
	return true;
}

const char *page_check_ca_file(const struct wizard *w)
{
	/* Over SSH alone no TLS is spoken: the CA given is not said (it is kept, for a switch back). */
	if (!conncheck_uses_https(w->c))
		return "";
	return *w->ca_file ? w->ca_file : w->start->check.ca_file ? w->start->check.ca_file : "";
}

/*
 * Add to what is said after the wizard, on lines of their own, lead and the command that
 * checks the saved connector id again: with the CA the test trusted, which is not in the
 * connector (without it, the command fails on TLS). Each command is a line to copy whole.
 */
static void check_done_again(struct wizard *w, const char *id, const char *lead)
{
	char prog[CLI_PROGRAM_MAX], ca[sizeof(w->ca_file) * 4 + 16] = "", word[CLI_WORD_MAX];
	size_t len = strlen(w->done);
	const char *ca_file = page_check_ca_file(w);

	if (*ca_file)
		cli_arg("--ca-file", ca_file, ca, sizeof(ca));
	if (len < sizeof(w->done))
		snprintf(w->done + len, sizeof(w->done) - len, "\n%s:\n  %s test %s%s", lead,
		         cli_program(w->ctx, true, prog, sizeof(prog)), cli_word(id, word, sizeof(word)), ca);
}

/* Saved anyway: what failed, and how to check again, stay on the plain terminal after the wizard. */
static void check_done_failures(struct wizard *w, const char *id)
{
	size_t len = strlen(w->done);

	for (size_t i = 0; i < w->nres && len < sizeof(w->done); i++)
		if (w->res[i].status == CHECK_FAILED)
			len += (size_t)snprintf(w->done + len, sizeof(w->done) - len, "\n  %s: %s", w->res[i].probe,
			                        w->res[i].message);
	check_done_again(w, id, "Check it again with");
}

/* An edit's old secrets that no connector uses now stay in the store: said, with what removes them. */
static void check_done_unused(struct wizard *w)
{
	char prog[CLI_PROGRAM_MAX];
	size_t len = strlen(w->done);

	for (size_t i = 0; i < w->s.nunused && len < sizeof(w->done); i++) {
		/* An id that looks like a token is not repeated: that command removes it unnamed. */
		bool token = ident_looks_like_token(w->s.unused[i]);
		len += (size_t)snprintf(w->done + len, sizeof(w->done) - len, "\nNo saved connector uses the "
		                        "secret %s%s%s now (it stays in the store). To remove it:\n  %s secret rm %s",
		                        token ? "" : "'", token ? "(withheld)" : w->s.unused[i], token ? "" : "'",
		                        cli_program(w->ctx, true, prog, sizeof(prog)),
		                        token ? "--withheld" : w->s.unused[i]);
	}
	if (*w->s.maybe_unused && len < sizeof(w->done))
		snprintf(w->done + len, sizeof(w->done) - len, "\nNo connector read names %s now, but a connector "
		         "file that is refused may (see 'list').", w->s.maybe_unused);
}

static void check_save(struct wizard *w)
{
	const char *id = connector_get(w->cc, FIELD_IDENTIFIER);
	bool ok = check_all_ok(w->res, w->nres);

	/* The answers first (a dry run's too, as with --non-interactive): one not written saves nothing. */
	if (w->start->write_answers &&
	    newconn_write_answers(w->ctx, w->start->write_answers, w->cc) != AZ_EXIT_OK) {
		wizard_take_messages(w);
		check_failed_store(w);
		w->rc = AZ_EXIT_ERROR;
		return;
	}
	if (w->start->dry_run) {
		w->check = TEST_PASSED;
		snprintf(w->done, sizeof(w->done), "dry run: the connector '%s' is valid, the check %s; "
		         "nothing was written%s", id, ok ? "passed" : "FAILED",
		         w->start->write_answers ? " but the answers file" : "");
	} else if (newconn_unchanged(w->ctx, w->start->editing, w->cc, &w->s)) {
		/* An edit that changes nothing writes nothing, and says so (as without the wizard). */
		wizard_draft_drop(w);
		w->check = TEST_PASSED;
		snprintf(w->done, sizeof(w->done), "connector '%s' unchanged: nothing written%s", id,
		         ok ? "" : " (its connection test FAILED)");
	} else {
		/* A new store (its passphrase asked in a box) is made now, as the test passed or S was pressed. */
		w->check = TEST_SAVING;
		int rc = newconn_save(w->ctx, w->cc, w->start->base, &w->s, &w->store, &w->errs);
		wizard_take_messages(w);
		/* Saved, only a folder not synced: that is said with the rest, not as a failure to save. */
		if (rc != AZ_EXIT_OK && !w->s.saved) {
			check_failed_store(w);
			if (rc == AZ_EXIT_STORE_BUSY && check_rebase(w))
				return;
			w->rc = rc;
			return;
		}
		wizard_draft_drop(w);
		w->check = TEST_SAVED;
		/* A key made with F3, then the connection changed to HTTP: the connector has no key. */
		bool dropped = !fields_applies(w->cc, FIELD_SSH_KEY) && wizard_drop_made_key(w);
		if (!fields_applies(w->cc, FIELD_SSH_KEY))
			w->pub_path[0] = '\0';
		snprintf(w->done, sizeof(w->done), "saved connector '%s' in %s/%s.json%s%s%s", id,
		         w->ctx->paths.connectors_dir, id, ok ? "" : " (its connection test FAILED)",
		         *w->pub_path ? "\nIts public key, to add in Azure DevOps: " : "", w->pub_path);
		if (!ok) {
			check_done_failures(w, id);
		} else if (*page_check_ca_file(w)) {
			/* The CA given: a later 'test' needs it again, as the command says. */
			check_done_again(w, id, "Test it again with (the CA is not part of the connector)");
		}
		check_done_unused(w);
		size_t len = strlen(w->done);
		if (dropped && len < sizeof(w->done))
			snprintf(w->done + len, sizeof(w->done) - len, "\nThe SSH key made with F3 is not used by "
			         "this HTTP connector: it is discarded with its public key file (remove that key "
			         "from Azure DevOps if it was added).");
		/* What was not synced, from the save itself: the last line said may be a later note. */
		if (rc != AZ_EXIT_OK) {
			len = strlen(w->done);
			if (len < sizeof(w->done))
				snprintf(w->done + len, sizeof(w->done) - len, "\nBut %s", w->s.unsynced);
			w->status[0] = '\0';
			/* A failed test saved anyway keeps its status: the folder not synced is said. */
			w->rc = ok ? rc : AZ_EXIT_CHECK;
			return;
		}
	}
	w->rc = ok ? AZ_EXIT_OK : AZ_EXIT_CHECK;
}

void page_check_start(struct wizard *w)
{
	struct conncheck_opts opts = w->start->check;
	char msg[512];

	w->errs.n = 0;
	w->nres = 0;
	w->status[0] = '\0';
	w->failure[0] = '\0';
	connector_free(w->cc);
	if (!(w->cc = connector_dup(w->c))) {
		newconn_error(&w->errs, "connector", "out of memory");
		w->check = TEST_ERRORS;
		return;
	}
	/* Values of fields that no longer apply stay in the editors (to switch back), not in the connector. */
	for (int id = 0; id < FIELD_COUNT; id++)
		if (!fields_applies(w->cc, id))
			connector_put(w->cc, id, NULL);
	check_take_secrets(w);
	bool key_later = newconn_validate(w->ctx, w->start->editing, w->cc, &w->s, &w->errs);
	if (w->errs.n) {
		w->check = TEST_ERRORS;
		return;
	}
	w->check = TEST_RUNNING;
	wizard_draw(w);
	/* Folders it could not be saved in are said before the check sends a token (as without the wizard). */
	int rc = newconn_dirs_usable(w->ctx, w->cc, &w->s, w->start->dry_run);
	/* An existing store opens now, for the secrets the probes use; a new one is made at the save. */
	if (rc == AZ_EXIT_OK)
		rc = newconn_open_store(w->ctx, w->start->dry_run, false, w->cc, &w->s, &w->store, &w->errs);
	w->busy[0] = '\0';
	w->status[0] = '\0';
	wizard_take_messages(w);
	if (rc == AZ_EXIT_OK && key_later)
		newconn_check_key(w->cc, &w->s, &w->errs);
	if (rc != AZ_EXIT_OK || w->errs.n) {
		check_failed_store(w);
		return;
	}
	if (*w->accept_fp)
		opts.accept_host_key = w->accept_fp;
	if (*w->ca_file)
		opts.ca_file = w->ca_file;
	w->test_start_ms = clock_ms();
	int crc = conncheck_run(w->cc, &w->s.v, &opts, check_progress, w, w->res, &w->nres, msg, sizeof(msg));
	/* Ctrl-Z pressed meanwhile: the suspend it asked for, now that the probes are over. */
	if (strcmp(w->status, check_ctrl_z) == 0) {
		w->status[0] = '\0';
		term_suspend();
	}
	if (crc != 0) {
		newconn_error(&w->errs, "check", "%s", msg);
		w->check = TEST_ERRORS;
		return;
	}
	if (check_all_ok(w->res, w->nres))
		check_save(w);
	else
		w->check = TEST_FAILED;
}

/*
 * The probe that failed on a certificate whose CA is not trusted here, or on the CA file given
 * (another CA file would help: C), or NULL.
 */
static const struct check_result *check_ca_failure(const struct wizard *w)
{
	for (size_t i = 0; i < w->nres; i++)
		if (w->res[i].status == CHECK_FAILED && (w->res[i].untrusted_ca || w->res[i].bad_ca_file))
			return &w->res[i];
	return NULL;
}

/* The git-ssh result whose key the server refused, with that key's public key (P shows it), or NULL. */
static const struct check_result *check_refused_key(const struct wizard *w)
{
	for (size_t i = 0; i < w->nres; i++)
		if (w->res[i].status == CHECK_FAILED && *w->res[i].key_pub)
			return &w->res[i];
	return NULL;
}

/* P: the refused key's public key on the plain screen, one line that copies whole. */
static void check_show_key_pub(const struct check_result *r)
{
	char fp[128], text[sizeof(r->key_pub) + 512];

	sshkey_pub_fingerprint(r->key_pub, fp, sizeof(fp));
	snprintf(text, sizeof(text), "\nThe SSH key given was rejected. Its fingerprint, as Azure DevOps lists keys:\n"
	         "%s\n\nAdd its public key in Azure DevOps, signed in as the user the connector is for:\n"
	         "User settings > SSH public keys > New Key.\n\n%s\n\n"
	         "Then press R on the test page to run it again.\n\nAny key goes back to the wizard. ",
	         fp, r->key_pub);
	term_show_plain(text);
	/* Not left on the shell's screen at the end: the key saved may be another (E), not one to add. */
	term_forget_plain();
}

/*
 * The field the first failure points at, for E to open: the URL (a name not found, a host or port,
 * not git), the token of the probe it refused, the SSH key; -1 for none (a host key or CA file,
 * which A and C take, a refusal before connecting).
 */
static int check_fault_field(const struct wizard *w)
{
	if (check_ca_failure(w))
		return -1;
	for (size_t i = 0; i < w->nres; i++) {
		const struct check_result *r = &w->res[i];
		if (r->status != CHECK_FAILED)
			continue;
		switch (r->category) {
		case CHECK_CAT_AUTH:
		case CHECK_CAT_FORBIDDEN:
			if (strcmp(r->probe, "git-ssh") == 0)
				return FIELD_SSH_KEY;
			/* The API's own token: given on its field (over HTTP an empty one is the token above). */
			if (strcmp(r->probe, "api") == 0 && fields_applies(w->c, FIELD_API_TOKEN) &&
			    (!fields_applies(w->c, FIELD_TOKEN) || (w->in[FIELD_API_TOKEN].buf && w->in[FIELD_API_TOKEN].buf->len)))
				return FIELD_API_TOKEN;
			return FIELD_TOKEN;
		case CHECK_CAT_DNS:
		case CHECK_CAT_CONNECT:
		case CHECK_CAT_TLS:
		case CHECK_CAT_NOT_FOUND:
		case CHECK_CAT_PROTOCOL:
		case CHECK_CAT_TIMEOUT:
			return FIELD_URL;
		default:
			return -1;
		}
	}
	return -1;
}

/* E: the page of the field at fault, that field in focus. */
static void check_edit_fault(struct wizard *w, enum field_id id)
{
	struct wizard_item items[FIELD_COUNT * 2];

	wizard_goto(w, (int)fields_at(id)->page);
	size_t n = wizard_items(w, w->page, items);
	for (size_t i = 0; i < n; i++)
		if (items[i].id == id && !items[i].sid)
			w->focus = (int)i;
}

/* What is wrong with path as a CA file ("" when fine): said here, plainly, rather than as a TLS
 * failure of every probe. */
static void check_ca_file_msg(const char *path, char *msg, size_t msglen)
{
	*msg = '\0';
	if (!*path)
		snprintf(msg, msglen, "type the path of the file, or Esc");
	else if (conncheck_ca_file_check(path, msg, msglen) < 0)
		snprintf(msg, msglen, "cannot read %.300s: %s", path, strerror(errno));
}

/*
 * C: trust the CA certificates of a file (PEM) for this run, as --ca-file does, and test again.
 * A path that will not do is said in the box, which asks again with the path as typed (a slip
 * is mended, not typed anew); Esc gives up.
 */
static void check_ask_ca_file(struct wizard *w)
{
	char path[sizeof(w->ca_file)], full[sizeof(w->ca_file)];

	/* The file of --ca-file to start from, if C was not used yet: a wrong one is mended, not retyped. */
	snprintf(path, sizeof(path), "%s", page_check_ca_file(w));
	w->status[0] = '\0';
	for (;;) {
		if (!dialog_path(w, "CA file", "Path of your CA's certificate file (PEM):", path, sizeof(path))) {
			w->status[0] = '\0';
			return;
		}
		/*
		 * As typed in a shell: spaces around it (a paste) are no part of it unless the file's name
		 * has them (Tab completed it), "~/" is $HOME, and its quotes or '\' escapes go when the
		 * file is there only without them.
		 */
		if (!wizard_is_file(path)) {
			size_t lead = strspn(path, " \t"), len = strlen(path);
			while (len > lead && (path[len - 1] == ' ' || path[len - 1] == '\t'))
				path[--len] = '\0';
			memmove(path, path + lead, len - lead + 1);
		}
		char plain[sizeof(path)];
		if (!wizard_is_file(path) && wizard_unquoted_file(path, plain, sizeof(plain), NULL))
			snprintf(path, sizeof(path), "%s", plain);
		if (wizard_home_path(path, full, sizeof(full)))
			check_ca_file_msg(full, w->status, sizeof(w->status));
		else
			snprintf(w->status, sizeof(w->status), "that path is too long: give a shorter one");
		if (!*w->status)
			break;
	}
	snprintf(w->ca_file, sizeof(w->ca_file), "%s", full);
	/* Typed, so kept with the draft: a session dropped before the save does not lose it. */
	w->dirty = w->undrafted = true;
	wizard_draft_save(w);
	/* A draft that could not be written is said once the test is over, unless it saved the connector. */
	char draft_msg[sizeof(w->status)];
	snprintf(draft_msg, sizeof(draft_msg), "%s", w->status);
	page_check_start(w);
	if (*draft_msg && !*w->status && w->check != TEST_SAVED && w->check != TEST_PASSED)
		snprintf(w->status, sizeof(w->status), "%s", draft_msg);
}

/* The unknown host key of a failed SSH probe, or NULL. */
static const struct check_result *check_unknown_key(const struct wizard *w)
{
	for (size_t i = 0; i < w->nres; i++)
		if (w->res[i].host_key_status == CHECK_HOSTKEY_UNKNOWN && *w->res[i].host_key_fp)
			return &w->res[i];
	return NULL;
}

/*
 * Which key is asked about, as known_hosts will name it: the server ("host" or "[host]:port") and
 * the key type, with the fingerprint. A fingerprint alone does not say which server it is for.
 */
static void check_key_names(const struct wizard *w, const struct check_result *r, char *host,
                            size_t hostlen, char *ktype, size_t ktypelen)
{
	struct azure_url u;
	char msg[256];

	snprintf(host, hostlen, "the server");
	if (azure_url_parse(connector_value(w->cc, FIELD_URL) ? connector_value(w->cc, FIELD_URL) : "",
	                    &u, msg, sizeof(msg)) == 0) {
		known_hosts_name(u.host, azure_url_port(&u), host, hostlen);
		azure_url_free(&u);
	}
	/* host_key is "<type> <base64>". */
	snprintf(ktype, ktypelen, "%.*s", (int)strcspn(r->host_key, " "), r->host_key);
}

static int check_draw_results(struct wizard *w, int y, int bottom)
{
	for (size_t i = 0; i < w->nres && y <= bottom; i++) {
		const struct check_result *r = &w->res[i];
		bool running = r->status == CHECK_SKIPPED && !*r->message;
		/*
		 * One case for every word: "ok" beside "FAILED" read as less of an answer. A host key not
		 * known yet is a question A answers, not a failure: it is asked (7 columns at most, as
		 * SKIPPED, the probe's name after them).
		 */
		bool ask = !running && r == check_unknown_key(w);
		const char *word = running ? "..." : ask ? "TRUST?" : r->status == CHECK_OK ? "OK" :
		                   r->status == CHECK_FAILED ? "FAILED" : "SKIPPED";
		attr_t a = running ? term_style(TERM_DIM) : ask ? term_style(TERM_KEY) :
		           r->status == CHECK_OK ? term_style(TERM_OK) :
		           r->status == CHECK_FAILED ? term_style(TERM_ERROR) : term_style(TERM_DIM);

		attron(a);
		mvaddstr(y, 2, word);
		attroff(a);
		mvaddstr(y, 10, r->probe);
		/* A probe still running shows the time so far: a slow server is seen to be slow. */
		mvprintw(y, 20, "%5.1f s", (double)(running ? clock_ms() - w->test_start_ms : r->duration_ms) / 1000.0);
		y++;
		if (running)
			continue;
		/*
		 * The probe's advice is for the command line (--accept-host-key, --ca-file); here A and C
		 * do it. A long message (a changed host key: the file, the line, what to do) takes the
		 * rows there are, leaving two a probe after it and three for what follows.
		 */
		int lines = bottom - y - (int)(w->nres - i - 1) * 2 - 3;
		lines = lines < 3 ? 3 : lines > 8 ? 8 : lines;
		char said[sizeof(r->message) + 64];
		const char *detail = strrchr(r->message, '(');
		if (r == check_unknown_key(w))
			snprintf(said, sizeof(said), "the server's host key is not known yet: see below");
		else if (r->untrusted_ca && w->check == TEST_FAILED)
			snprintf(said, sizeof(said), "certificate not trusted: see below %s", detail ? detail : "");
		else
			snprintf(said, sizeof(said), "%s", r->message);
		y += wizard_wrap(y, 10, COLS - 12, lines, said, term_style(TERM_PLAIN));
	}
	return y;
}

/* An error as the page's fields name it: "SSH private key: ..." for the core's "ssh-key: ...". */
static const char *check_error_line(const char *line, char *buf, size_t buflen)
{
	size_t len = strcspn(line, ":");
	char key[32];

	if (line[len] != ':' || len >= sizeof(key))
		return line;
	memcpy(key, line, len);
	key[len] = '\0';
	const struct field *f = fields_find(key);
	if (!f)
		return line;
	snprintf(buf, buflen, "%s%s", f->label, line + len);
	return buf;
}

void page_check_draw(struct wizard *w)
{
	static const char *const keys[] = {
		[TEST_IDLE] = "",
		[TEST_RUNNING] = "Esc stop the test",
		[TEST_PASSED] = "Enter finish",
		[TEST_SAVED] = "Enter finish",
		[TEST_FAILED] = "", /* made below: what it offers depends on the failure */
		[TEST_ERRORS] = "Enter or B back to the review  ^C quit",
		[TEST_SAVING] = "", /* a new store's passphrase box says its own keys */
	};
	const struct check_result *unknown = check_unknown_key(w), *ca = check_ca_failure(w);
	const struct check_result *refused = w->check == TEST_FAILED ? check_refused_key(w) : NULL;
	int fault = w->check == TEST_FAILED ? check_fault_field(w) : -1;
	char k[160], edit[64] = "";
	int top, bottom;

	/* With P beside it, E says less: the keys fit 80 columns, a dry run's S too. */
	if (refused)
		snprintf(edit, sizeof(edit), "  E edit the key  P its public key");
	else if (fault >= 0)
		snprintf(edit, sizeof(edit), "  E edit %s", fields_at(fault)->label);
	/* A dry run saves nothing: S only ends it (and writes --write-answers). */
	bool dry = w->start->dry_run;
	/* A and C are the way on when offered: first, not cut off at the end of a narrow row. */
	if (w->check == TEST_FAILED)
		snprintf(k, sizeof(k), "%s%sR retry  B back%s  S %s  ^C quit", unknown ? "A trust the host key  " : "",
		         ca ? "C CA file  " : "", edit, dry ? "end the dry run" : "save anyway");
	else
		snprintf(k, sizeof(k), "%s", keys[w->check]);
	wizard_frame(w, k, &top, &bottom);
	/* The deadline is said up front: a silent server is waited for that long, not for ever. */
	int limit_ms = w->start->check.timeout_ms > 0 ? w->start->check.timeout_ms : CHECK_DEFAULT_TIMEOUT_MS;
	const char *ident = connector_get(w->c, FIELD_IDENTIFIER) ? connector_get(w->c, FIELD_IDENTIFIER) : "";
	char limit[32], title[256];
	snprintf(limit, sizeof(limit), " (at most %d s)", limit_ms / 1000);
	/* A long identifier (up to 128) is cut, not the limit: the line has one row. */
	wizard_title_quoted(title, sizeof(title), "Connection test of ", ident, limit, COLS - 2);
	mvaddnstr(3, 1, title, -1);
	int y = top;
	if (w->check == TEST_RUNNING && w->nres == 0)
		mvaddstr(y++, 2, "Opening the secret store and starting the probes...");
	/* Saved anyway, the text below names each failure: the rows go to it (and its commands). */
	if (!(w->check == TEST_SAVED && !check_all_ok(w->res, w->nres)))
		y = check_draw_results(w, y, bottom) + 1;
	if (w->check == TEST_ERRORS && !w->errs.n && *w->failure) {
		/* A store that did not open, or a failed save, with no field to blame: why, right under it. */
		mvaddstr(y++, 1, "Nothing was saved.");
		wizard_wrap(y, 1, COLS - 2, bottom - y + 1, w->failure, term_style(TERM_ERROR));
	} else if (w->check == TEST_ERRORS) {
		/* Field errors are listed; a store that did not open, or a failed save, says why. */
		mvaddstr(y++, 1, w->errs.n ? "Nothing was saved. To fix:" : "Nothing was saved.");
		for (size_t i = 0; i < w->errs.n && y <= bottom; i++) {
			char line[sizeof(w->errs.line[0]) + 64];
			/* Whole, as far as the rows go: a row kept for each error after it, two for the failure. */
			int rows = bottom + 1 - y - (int)(w->errs.n - i - 1) - (*w->failure ? 2 : 0);
			y += wizard_wrap(y, 2, COLS - 4, rows > 1 ? rows : 1,
			                 check_error_line(w->errs.line[i], line, sizeof(line)), term_style(TERM_ERROR));
		}
		if (*w->failure)
			wizard_wrap(y + 1, 2, COLS - 4, bottom - y, w->failure, term_style(TERM_ERROR));
	} else if (w->check == TEST_FAILED && unknown) {
		char host[300], ktype[64], text[512];
		check_key_names(w, unknown, host, sizeof(host), ktype, sizeof(ktype));
		snprintf(text, sizeof(text), "The host key of %s is not known here:", host);
		y += wizard_wrap(y, 1, COLS - 2, 4, text, term_style(TERM_PLAIN));
		snprintf(text, sizeof(text), "%s%s%s", ktype, *ktype ? " " : "", unknown->host_key_fp);
		y += wizard_wrap(y, 3, COLS - 4, 2, text, term_style(TERM_PLAIN));
		wizard_wrap(y, 1, COLS - 2, 2, "If that is the fingerprint its administrator gives you, press "
		            "A to trust it.", term_style(TERM_PLAIN));
	} else if (w->check == TEST_FAILED && ca) {
		wizard_wrap(y, 1, COLS - 2, 3, ca->bad_ca_file
		            ? "The CA file could not be used. Press C and give your CA's certificate file "
		              "(PEM). Nothing is saved yet."
		            : "The server's certificate is not trusted here. If the server uses its own CA (an "
		              "Azure DevOps Server, a TLS-inspecting proxy), press C and give that CA's "
		              "certificate file (PEM). Nothing is saved yet.", term_style(TERM_PLAIN));
	} else if (w->check == TEST_FAILED) {
		bool stopped = false, key_refused = false;
		for (size_t i = 0; i < w->nres; i++) {
			stopped |= w->res[i].status == CHECK_SKIPPED;
			key_refused |= w->res[i].status == CHECK_FAILED && w->res[i].category == CHECK_CAT_AUTH &&
			               strcmp(w->res[i].probe, "git-ssh") == 0;
		}
		/* A key made with F3 (pub_path goes when another replaces it) is refused until its public key is added. */
		if (key_refused && *w->pub_path) {
			char text[sizeof(w->pub_path) + 160];
			snprintf(text, sizeof(text), "The SSH key made with F3 is refused until its public key is added in "
			         "Azure DevOps: it is in %s.", w->pub_path);
			y += wizard_wrap(y, 1, COLS - 2, 3, text, term_style(TERM_PLAIN)) + 1;
		} else if (refused) {
			y += wizard_wrap(y, 1, COLS - 2, 3, "P shows the public key of the SSH key given, to add in "
			                 "Azure DevOps (User settings > SSH public keys).", term_style(TERM_PLAIN)) + 1;
		}
		char text[256], to_edit[80] = "";
		if (fault >= 0)
			snprintf(to_edit, sizeof(to_edit), "; E goes to the %s", fields_at(fault)->label);
		if (stopped)
			snprintf(text, sizeof(text), "The test was stopped%s. Run it again (R), change the values (B%s), "
			         "or %s (S).", dry ? "" : ": nothing is saved yet", to_edit,
			         dry ? "end the dry run" : "save anyway");
		else
			snprintf(text, sizeof(text), "The test failed%s. Fix the values (B%s), try again (R), or %s (S).",
			         dry ? "" : ": nothing is saved yet", to_edit, dry ? "end the dry run" : "save anyway");
		wizard_wrap(y, 1, COLS - 2, 2, text, term_style(TERM_PLAIN));
	} else if (w->check == TEST_SAVED || w->check == TEST_PASSED) {
		/*
		 * Saved anyway, it names each failure and the command to test again: every row there is,
		 * the help's two too (this page has none), as on the review.
		 */
		int rows = (*w->status ? bottom : bottom + 2) - y + 1;
		wizard_wrap(y, 1, COLS - 2, rows > 1 ? rows : 1, w->done, term_style(TERM_OK));
	}
}

void page_check_key(struct wizard *w, int type, wint_t ch)
{
	bool chr = type == TERM_KEY_CHAR;
	bool enter = (chr && (ch == '\r' || ch == '\n')) || (type == TERM_KEY_CODE && ch == KEY_ENTER);
	bool back = chr && (ch == 27 || ch == 'b' || ch == 'B');
	const struct check_result *unknown = check_unknown_key(w);

	switch (w->check) {
	case TEST_SAVED:
	case TEST_PASSED:
		if (enter)
			w->quit = true;
		break;
	case TEST_ERRORS:
		if (enter || back)
			wizard_goto(w, WIZARD_REVIEW);
		break;
	case TEST_FAILED:
		w->status[0] = '\0';
		if (back)
			wizard_goto(w, WIZARD_REVIEW);
		else if (chr && (ch == 'r' || ch == 'R'))
			page_check_start(w);
		else if (chr && (ch == 's' || ch == 'S')) {
			if (w->start->dry_run ||
			    dialog_confirm(w, "Save anyway", "The connection test failed. Save the connector "
			                   "and its secrets anyway? (the exit status will say the test failed)"))
				check_save(w);
		} else if (chr && (ch == 'c' || ch == 'C') && check_ca_failure(w))
			check_ask_ca_file(w);
		else if (chr && (ch == 'e' || ch == 'E') && check_fault_field(w) >= 0)
			check_edit_fault(w, (enum field_id)check_fault_field(w));
		else if (chr && (ch == 'p' || ch == 'P') && check_refused_key(w))
			check_show_key_pub(check_refused_key(w));
		else if (chr && (ch == 'a' || ch == 'A') && unknown) {
			char host[300], ktype[64], kept[600], q[1536];
			bool dry = w->start->dry_run;
			check_key_names(w, unknown, host, sizeof(host), ktype, sizeof(ktype));
			/* A dry run writes nothing, known_hosts included: it trusts the key for this test only. */
			if (dry)
				snprintf(kept, sizeof(kept), "A dry run records nothing: a real run asks again.");
			else
				snprintf(kept, sizeof(kept), "It is recorded in %s.", w->ctx->paths.known_hosts);
			snprintf(q, sizeof(q), "Trust the host key of %s %s?\n%s%s%s\n%s", host,
			         dry ? "for this dry run" : "from now on", ktype, *ktype ? " " : "",
			         unknown->host_key_fp, kept);
			if (dialog_confirm(w, "Host key", q)) {
				snprintf(w->accept_fp, sizeof(w->accept_fp), "%s", unknown->host_key_fp);
				page_check_start(w);
			}
		} else {
			/* Enter, most likely: not taken without a word, the page's keys are named, in the footer's order. */
			snprintf(w->status, sizeof(w->status), "not a key of this page: %s%sR runs the test again, B goes "
			         "back to the values%s%s, S %s", unknown ? "A trusts the host key, " : "",
			         check_ca_failure(w) ? "C takes a CA file, " : "",
			         check_fault_field(w) >= 0 ? ", E edits the value at fault" : "",
			         check_refused_key(w) ? ", P shows the key's public key" : "",
			         w->start->dry_run ? "ends the dry run" : "saves anyway");
		}
		break;
	default:
		break;
	}
}
