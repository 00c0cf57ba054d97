/* JSON text as the program writes it (connector files, export, --json). */
#ifndef AZ_JSON_H
#define AZ_JSON_H

#include <stdio.h>

#include <cjson/cJSON.h>

/* cJSON_Print of tree plus a final newline (malloc'ed; NULL when out of memory). */
char *json_print(const cJSON *tree);

/* json_print of tree onto out, then tree deleted (NULL: out of memory); -1 when out of memory. */
int json_put(FILE *out, cJSON *tree);

/*
 * Messages said (msg_capture's text, NULL for none) as an array "messages"
 * added to o: one string a line, without the program's name before it.
 */
void json_add_messages(cJSON *o, const char *said);

#endif
