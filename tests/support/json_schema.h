/* json_schema: a JSON parser and a validator for the JSON Schema subset model/ uses (tests). */
#ifndef SUSAUDIT_JSON_SCHEMA_H
#define SUSAUDIT_JSON_SCHEMA_H

#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	int boolean;
	double number;
	int integer;  /* a number written without fraction or exponent */
	char *string; /* JSON_STRING: decoded UTF-8, NUL-terminated */
	size_t n;     /* items of an array, members of an object */
	struct json **items;
	char **keys; /* JSON_OBJECT: the member names, same order as items */
};

/* Parses one JSON text. Returns the tree (free with json_free), or NULL with the reason and
 * byte offset in `err`. */
struct json *json_parse(const char *s, size_t len, char *err, size_t errlen);
void json_free(struct json *j);

/* The member `key` of an object, or NULL. */
const struct json *json_get(const struct json *object, const char *key);

/* Validates `doc` against `schema` (draft 2020-12 keywords: type, const, enum, required,
 * properties, additionalProperties, items, $ref to "#/...", oneOf, anyOf, minimum, pattern as
 * a POSIX extended regex; $schema, $id, title, description are annotations). A keyword outside
 * that subset is an error, so the schema cannot outgrow the validator unnoticed. Returns 0, or
 * -1 with the failing JSON pointer and reason in `err`. */
int json_schema_validate(const struct json *schema, const struct json *doc, char *err,
			 size_t errlen);

#endif
