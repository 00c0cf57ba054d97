/* A private scratch folder for a unit test, under $TMPDIR as other tools' are. */
#ifndef AZ_TMPDIR_H
#define AZ_TMPDIR_H

/* A new folder "$TMPDIR/<stem>.XXXXXX" (or under /tmp), mode 0700, malloc'ed; NULL on failure. */
char *tmpdir_make(const char *stem);
/* rm -r dir, whatever the modes a test left in it. */
void tmpdir_remove(const char *dir);

#endif
