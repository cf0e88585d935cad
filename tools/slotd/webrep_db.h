/* SPDX-License-Identifier: GPL-2.0 */
/*
 * webrep_db.h - the web reputation database: names to score and category
 *
 * A database is built from text by wr_db_parse() (or a file by
 * wr_db_load()) and then only read: a reload builds a new one and
 * swaps it in. The grammar and the lookup order are in webrep_db.c.
 */
#ifndef WR_DB_H
#define WR_DB_H

#include <stdbool.h>
#include <stddef.h>

#define WR_CATEGORY_MAX		32	/* a category and its NUL */
#define WR_DB_ERRORS_KEPT	100	/* error lines kept; all are counted */

struct wr_db;

struct wr_db_stats {
	unsigned int hosts;		/* example.com */
	unsigned int wildcards;		/* *.example.com */
	unsigned int urls;		/* example.com/path */
	unsigned int errors;		/* bad lines */
};

struct wr_match {
	unsigned int score;		/* 0-100 */
	const char *category;
	const char *entry;		/* the name as the database has it */
};

struct wr_db *wr_db_new(void);
void wr_db_free(struct wr_db *db);
/* Add the entries of @text, the contents of @file; the bad lines added. */
unsigned int wr_db_parse(struct wr_db *db, const char *file,
			 const char *text, size_t len);
/* A database from the file @path, or NULL with -errno in @err. */
struct wr_db *wr_db_load(const char *path, int *err);

const struct wr_db_stats *wr_db_stats(const struct wr_db *db);
/* The kept error lines, "FILE:LINE: reason", in file order. */
unsigned int wr_db_n_errors(const struct wr_db *db);
const char *wr_db_error(const struct wr_db *db, unsigned int i);

/* Look @host (lowercase) up, with @path for HTTP (else NULL). */
bool wr_category_valid(const char *s, size_t n);
bool wr_db_lookup(const struct wr_db *db, const char *host,
		  const char *path, struct wr_match *m);

#endif /* WR_DB_H */
